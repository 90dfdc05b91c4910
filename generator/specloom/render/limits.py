"""What parameter limits in signatures need imported."""

from __future__ import annotations

from collections.abc import Iterable

from specloom.ir import Operation


def constraint_imports(
    operations: Iterable[Operation],
) -> tuple[list[str], list[tuple[str, str]]]:
    """What parameter limits (`Annotated[int, Field(ge=1)]`) need imported: modules, names."""
    constraints = [c for op in operations for p in op.parameters for c in p.constraints]
    if not constraints:
        return [], []
    modules = ["re"] if any(value.startswith("re.compile(") for _, value in constraints) else []
    return modules, [("typing", "Annotated"), ("pydantic", "Field")]
