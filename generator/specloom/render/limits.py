"""What limits in annotations need imported."""

from __future__ import annotations

from collections.abc import Iterable

from specloom.ir import Operation
from specloom.render.imports import names_in


def constraint_imports(
    operations: Iterable[Operation], sources: Iterable[str] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    """What parameter limits (`Annotated[int, Field(ge=1)]`) and limits inside the
    annotations `sources` (a union member's `Annotated[str, Field(pattern=...)]`) need
    imported: modules, names."""
    constraints = [c for op in operations for p in op.parameters for c in p.constraints]
    if not constraints and not any("Field" in names_in(source) for source in sources):
        return [], []
    modules = ["re"] if any(value.startswith("re.compile(") for _, value in constraints) else []
    return modules, [("typing", "Annotated"), ("pydantic", "Field")]
