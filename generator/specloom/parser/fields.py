"""Model fields: annotation, default, validation constraints and flags of one property."""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import Any

import msgspec

from specloom.diagnostics import join_pointer
from specloom.escaping import python_literal
from specloom.ir.model import Field
from specloom.parser.context import ParseContext
from specloom.parser.defaults import default_literal
from specloom.parser.objects import Property
from specloom.parser.patterns import (
    KeptPattern,
    check_pattern,
    delimited_reading,
    python_problem,
)
from specloom.parser.pytypes import PyType

_LENGTH_KEYWORDS = {
    "str": (("minLength", "min_length"), ("maxLength", "max_length")),
    "list": (("minItems", "min_length"), ("maxItems", "max_length")),
}
_MAX_LENGTH = 2**63 - 1
"""The largest length limit emitted: pydantic rejects larger ones, and no value is that long."""


class FieldPlan(msgspec.Struct, frozen=True):
    """A field before its Python name is chosen (names depend on every field's types)."""

    prop: Property
    annotation: PyType
    required: bool


def build_field(plan: FieldPlan, python_name: str, ctx: ParseContext) -> tuple[Field, str | None]:
    """The IR field for a planned property, and the enum its default uses (if any)."""
    schema = plan.prop.schema if isinstance(plan.prop.schema, dict) else {}
    default, enum_used = None, None
    if not plan.required:
        default, enum_used = _default(schema, plan, ctx)
    annotation = plan.annotation
    pattern = kept_pattern(schema, annotation, plan.prop.pointer, ctx)
    field = Field(
        python_name=python_name,
        wire_name=plan.prop.wire_name,
        annotation=annotation.source if plan.required else annotation.source_or_none,
        required=plan.required,
        nullable=annotation.nullable,
        default=default,
        description=description_of(schema),
        pattern=pattern.pattern if pattern else None,
        python_regex=pattern.python_regex if pattern else False,
        deprecated=schema.get("deprecated") is True,
        read_only=schema.get("readOnly") is True,
        write_only=schema.get("writeOnly") is True,
        constraints=constraints(schema, annotation),
        value_annotation=annotation.source,
    )
    return field, enum_used


def description_of(schema: object) -> str:
    """A schema's description, falling back to its title."""
    if not isinstance(schema, dict):
        return ""
    for key in ("description", "title"):
        value = schema.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _default(
    schema: Mapping[str, Any], plan: FieldPlan, ctx: ParseContext
) -> tuple[str | None, str | None]:
    source: Any = schema
    if "default" not in schema and "$ref" in schema:
        source, _ = ctx.resolver.follow(schema)
    if not isinstance(source, dict) or "default" not in source:
        return None, None
    pointer = join_pointer(plan.prop.pointer, "default")
    return default_literal(source["default"], plan.prop.schema, plan.annotation, ctx, pointer)


def kept_pattern(
    schema: Mapping[str, Any], annotation: PyType, pointer: str, ctx: ParseContext
) -> KeptPattern | None:
    """The schema's `pattern` when the annotation is a plain `str` and pydantic can enforce
    it; a pattern it cannot enforce is dropped with a warning at `pointer`/pattern."""
    pattern = schema.get("pattern")
    if pattern is None or annotation.members != ("str",):
        return None
    reading = delimited_reading(pattern) if isinstance(pattern, str) else None
    if reading is not None:
        ctx.warn(
            f"pattern {pattern!r} matches no string as written: it is read as the delimited "
            f"regex it is written as, {reading!r}",
            join_pointer(pointer, "pattern"),
        )
        pattern = reading
    checked = check_pattern(pattern)
    if isinstance(checked, KeptPattern):
        reason = None if checked.python_regex else python_problem(pattern)
        if reason is not None:
            # openapi-spec-validator checks patterns with Python's re; this one is reported
            # here, for every schema that has one, with what happens instead.
            ctx.warn(
                f"pattern {pattern!r}: Python's re cannot compile it ({reason}), but it is "
                "valid ECMA-262, as JSON Schema patterns are: the generated code enforces it "
                "with pydantic's regex engine",
                join_pointer(pointer, "pattern"),
            )
        return checked
    ctx.warn(f"pattern {pattern!r} {checked}; it is not enforced", join_pointer(pointer, "pattern"))
    return None


def pattern_argument(pattern: KeptPattern) -> str:
    """The `Field(pattern=...)` argument's source: a string, or `re.compile(...)`."""
    literal = python_literal(pattern.pattern)
    return f"re.compile({literal})" if pattern.python_regex else literal


def constrained(
    schema: Mapping[str, Any], annotation: PyType, pointer: str, ctx: ParseContext
) -> PyType:
    """`annotation` as `Annotated[str, Field(pattern=..., max_length=...)]` when the schema
    sets limits pydantic can enforce on it (a single `str`, `int`, `float` or `list[...]`),
    else unchanged. `| None` stays outside the `Annotated`."""
    plain = PyType(
        annotation.members, False, annotation.types, annotation.modules, annotation.typing
    )
    pattern = kept_pattern(schema, plain, pointer, ctx)
    arguments = [f"pattern={pattern_argument(pattern)}"] if pattern else []
    arguments += [f"{name}={value}" for name, value in constraints(schema, plain)]
    if not arguments:
        return annotation
    source = f"Annotated[{plain.source}, Field({', '.join(arguments)})]"
    modules = plain.modules | ({"re"} if pattern and pattern.python_regex else set())
    typing = plain.typing | {"Annotated"}
    return PyType((source,), annotation.nullable, plain.types, modules, typing)


def constraints(schema: Mapping[str, Any], annotation: PyType) -> tuple[tuple[str, str], ...]:
    """pydantic `Field` keyword arguments (name, literal) for the schema's length and range
    limits, when the annotation is one plain `str`, `int`, `float` or `list[...]`."""
    if len(annotation.members) != 1:
        return ()
    member = annotation.members[0]
    kind = "list" if member.startswith("list[") else member
    if kind in _LENGTH_KEYWORDS:
        return tuple(
            (argument, python_literal(schema[keyword]))
            for keyword, argument in _LENGTH_KEYWORDS[kind]
            if type(schema.get(keyword)) is int and 0 <= schema[keyword] <= _MAX_LENGTH
        )
    if kind in ("int", "float"):
        limits = _range_constraints(schema)
        if kind == "int":
            limits = [_integer_limit(name, value) for name, value in limits]
            limits += _format_bounds(schema.get("format"), {name for name, _ in limits})
        else:  # pydantic converts a `float`'s limits to floats
            limits = [(name, value) for name, value in limits if abs(value) <= sys.float_info.max]
        return tuple((name, python_literal(value)) for name, value in limits)
    return ()


_FORMAT_BOUNDS = {"int32": 2**31, "int64": 2**63}
"""`format: int32` and `int64` integers lie in [-bound, bound - 1]."""


def _format_bounds(format_name: object, present: set[str]) -> list[tuple[str, int | float]]:
    """The range of an `int32`/`int64` format, for each side the schema leaves open."""
    bound = _FORMAT_BOUNDS.get(format_name) if isinstance(format_name, str) else None
    if bound is None:
        return []
    found: list[tuple[str, int | float]] = []
    if not present & {"ge", "gt"}:
        found.append(("ge", -bound))
    if not present & {"le", "lt"}:
        found.append(("le", bound - 1))
    return found


def _range_constraints(schema: Mapping[str, Any]) -> list[tuple[str, int | float]]:
    found: list[tuple[str, int | float]] = []
    for bound, inclusive, exclusive, flag in (
        ("minimum", "ge", "gt", "exclusiveMinimum"),
        ("maximum", "le", "lt", "exclusiveMaximum"),
    ):
        value, flag_value = _number(schema.get(bound)), schema.get(flag)
        if value is not None:  # OpenAPI 3.0 marks an exclusive bound with `flag: true`
            found.append((exclusive if flag_value is True else inclusive, value))
        exclusive_value = _number(flag_value)
        if exclusive_value is not None:  # OpenAPI 3.1: the flag is the exclusive bound
            found.append((exclusive, exclusive_value))
    multiple_of = _number(schema.get("multipleOf"))
    if multiple_of is not None and multiple_of > 0:
        found.append(("multiple_of", multiple_of))
    return found


def _integer_limit(name: str, value: int | float) -> tuple[str, int]:
    """A limit of an `int` as an integer, which pydantic's int validator requires: `ge=1.5`
    becomes `ge=2`, `lt=1.5` becomes `le=1`, `multiple_of=1.5` becomes `multiple_of=3`."""
    from fractions import Fraction  # with decimal: imported for an integer's limit only

    exact = Fraction(repr(value))  # the number as written: `1e300` is 10**300
    if name == "multiple_of":
        # An integer is a multiple of p/q (lowest terms) exactly when p divides it.
        return name, exact.numerator
    if exact.denominator == 1:
        return name, int(exact)
    if name in ("ge", "gt"):
        return "ge", math.ceil(exact)
    return "le", math.floor(exact)


def _number(value: object) -> int | float | None:
    """`value` when it is a finite JSON number (not a boolean)."""
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return value
    return None
