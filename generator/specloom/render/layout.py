"""Which module of the generated package each definition goes to.

Models are split so that importing one loads only what it needs: the definitions that
refer to each other in a cycle share a module (a strongly connected component of the
"annotation uses type" graph), a group used by one other group only joins that one's
module (an enum of one model lives beside it), and a module imports the modules it uses
at its top. The modules' imports thus form no cycle, and each definition is fully
defined, with everything its annotations name, once its module is imported.
`models/__init__.py` imports each model from its module on first use.

Services and their operation descriptors get one module per tag, named the same way.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from specloom import naming
from specloom.naming import snake_case


def components(nodes: Iterable[str], edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of the graph, each in the order of `nodes`, the
    components in the order of their first node (Tarjan's algorithm, without recursion:
    specs nest deeply)."""
    order = {node: position for position, node in enumerate(nodes)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in order:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, _targets(root, edges, order))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                target = pending.pop()
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, _targets(target, edges, order)))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component, key=order.__getitem__))
    return sorted(found, key=lambda component: order[component[0]])


def modules_of(
    nodes: Iterable[str], edges: Mapping[str, Iterable[str]], hosts: Container[str]
) -> list[tuple[str, list[str]]]:
    """(the definition a module is named after, the definitions of the module in the order
    of `nodes`, which has every definition after those it needs at import) for each
    module: the `components`, each joined to the one component using it when there is
    exactly one and that one holds one of `hosts` (models: not an alias, which would give
    its name to the model it wraps); a module is named after the first definition of
    the component the others joined. Joining a component to its only user keeps the
    graph between modules free of cycles."""
    order = {node: position for position, node in enumerate(nodes)}
    groups = components(order, edges)
    group_of = {node: number for number, group in enumerate(groups) for node in group}
    users: dict[int, set[int]] = {number: set() for number in range(len(groups))}
    for node, targets in edges.items():
        for target in targets:
            if node in group_of and target in group_of and group_of[target] != group_of[node]:
                users[group_of[target]].add(group_of[node])
    owner = list(range(len(groups)))

    def root(number: int) -> int:
        while owner[number] != number:
            owner[number] = owner[owner[number]]
            number = owner[number]
        return number

    for number, using in users.items():
        if len(using) == 1:
            [user] = using
            if any(node in hosts for node in groups[user]):
                owner[root(number)] = root(user)
    merged: dict[int, list[str]] = {}
    for number, group in enumerate(groups):
        merged.setdefault(root(number), []).extend(group)
    modules = [
        (groups[number][0], sorted(members, key=order.__getitem__))
        for number, members in merged.items()
    ]
    return sorted(modules, key=lambda module: order[module[1][0]])


def _targets(node: str, edges: Mapping[str, Iterable[str]], order: Mapping[str, int]) -> list[str]:
    return sorted((target for target in edges.get(node, ()) if target in order), reverse=True)


def module_names(firsts: Iterable[str]) -> list[str]:
    """A private module name for each group, after its first definition's name: `Pet` ->
    `_pet`, cut and kept unique as `naming.module_names` does."""
    return naming.module_names("_" + snake_case(first, "model") for first in firsts)
