"""Which module of the generated package each definition goes to.

Models are split so that importing one loads only what it needs: the definitions that
refer to each other in a cycle share a module (a strongly connected component of the
"annotation uses type" graph), every other definition has a module of its own, and a
module imports the modules it uses at its top. The modules' imports thus form no cycle,
and each definition is fully defined, with everything its annotations name, once its
module is imported. `models/__init__.py` imports each model from its module on first use.

Services and their operation descriptors get one module per tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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


def _targets(node: str, edges: Mapping[str, Iterable[str]], order: Mapping[str, int]) -> list[str]:
    return sorted((target for target in edges.get(node, ()) if target in order), reverse=True)


def module_names(firsts: Iterable[str]) -> list[str]:
    """A private module name for each group, after its first definition's name: `Pet` ->
    `_pet`; unique even where names differ only in case (file systems that ignore case)."""
    taken: set[str] = set()
    names: list[str] = []
    for first in firsts:
        base = "_" + snake_case(first, "model")
        name, number = base, 2
        while name.casefold() in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name.casefold())
        names.append(name)
    return names
