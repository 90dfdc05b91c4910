"""The import statements of a generated module, and the names its annotations use.

Generated modules import exactly what they use (ruff rejects unused imports), laid out
the way isort groups and black wraps them: `__future__`, standard library, third party,
then the package's own modules, one blank line between groups.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
import sys
from collections.abc import Iterable

from specloom.ir import References

LINE_LENGTH = 88
"""black's default line length, which the generated code is formatted to."""


_SIMPLE_EXPRESSION = re.compile(r"[A-Za-z0-9_.,|\[\]() ]*")
"""Names, attributes, subscripts, calls and unions, in ASCII, without strings, keyword
arguments or spaces around a dot: the form of nearly every annotation."""
_IDENTIFIER = re.compile(r"(?<![.\w])(?!\d)\w+")


@functools.lru_cache(maxsize=65536)  # specs repeat their annotations thousands of times
def names_in(source: str) -> frozenset[str]:
    """The plain names an expression (an annotation or a default) reads: `list[Pet] | None`
    gives `list` and `Pet`; `datetime.date` gives `datetime`."""
    if _SIMPLE_EXPRESSION.fullmatch(source) and " ." not in source and ". " not in source:
        # What the parse below finds, without it (it costs ~20 us per expression).
        found = _IDENTIFIER.findall(source)
        return frozenset(name for name in found if not keyword.iskeyword(name))
    tree = ast.parse(source.strip(), mode="eval")
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))


def used_references(sources: Iterable[str], references: References) -> References:
    """The part of `references` that the expressions in `sources` actually use."""
    used: set[str] = set()
    for source in sources:
        used |= names_in(source)
    return References(
        types=tuple(name for name in references.types if name in used),
        # `import a.b` binds `a`: a dotted module is used where its first part is read.
        modules=tuple(name for name in references.modules if name.partition(".")[0] in used),
        typing=tuple(name for name in references.typing if name in used),
    )


def merge_references(references: Iterable[References]) -> References:
    """The union of several `References`, each tuple sorted and free of duplicates."""
    types: set[str] = set()
    modules: set[str] = set()
    typing: set[str] = set()
    for item in references:
        types.update(item.types)
        modules.update(item.modules)
        typing.update(item.typing)
    return References(tuple(sorted(types)), tuple(sorted(modules)), tuple(sorted(typing)))


def import_block(modules: Iterable[str] = (), names: Iterable[tuple[str, str]] = ()) -> str:
    """The import statements for `import <module>` of each of `modules` and
    `from <module> import <name>` of each `(module, name)` pair, grouped and sorted.

    Modules starting with `.` are the package's own. Empty when there is nothing to import.
    """
    groups: dict[int, list[str]] = {}
    for module in sorted(set(modules), key=_module_key):
        groups.setdefault(_group(module), []).append(f"import {module}")
    by_module: dict[str, set[str]] = {}
    for module, name in names:
        by_module.setdefault(module, set()).add(name)
    for module in sorted(by_module, key=_module_key):
        groups.setdefault(_group(module), []).append(_from_import(module, by_module[module]))
    return "\n\n".join("\n".join(groups[group]) for group in sorted(groups))


def _from_import(module: str, names: set[str]) -> str:
    ordered = sorted(names, key=_member_key)
    line = f"from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    members = "".join(f"    {name},\n" for name in ordered)
    return f"from {module} import (\n{members})"


def _group(module: str) -> int:
    if module == "__future__":
        return 0
    if module.startswith("."):
        return 3
    if module.partition(".")[0] in sys.stdlib_module_names:
        return 1
    return 2


def _module_key(module: str) -> tuple[str, str]:
    return (module.lower(), module)


def _member_key(name: str) -> tuple[int, str, str]:
    # isort's order-by-type: CONSTANTS, then Classes, then everything else.
    if len(name) > 1 and name.isupper():
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return (rank, name.lower(), name)
