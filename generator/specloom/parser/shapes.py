"""Request and response shapes of models with `readOnly` and `writeOnly` properties.

A model with such properties is generated twice: under its own name as the shape a
response has (its `writeOnly` properties left out), and as `<Name>Request`, the shape a
request body has (its `readOnly` properties left out). A model or alias that contains one
of those, at any depth, gets a `<Name>Request` too, and request bodies use the request
shapes. Nothing changes for a spec without `readOnly` or `writeOnly`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from msgspec.structs import replace

from specloom.ir.model import Body, ModelDef, Operation, References, TypeAliasDef, TypeDef
from specloom.parser.context import ParseContext, Slot

REQUEST_SUFFIX = "Request"

_NAME_OR_STRING = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|\b([A-Za-z_]\w*)\b")


def split_shapes(ctx: ParseContext, operations: list[Operation | None]) -> list[Operation | None]:
    """Add the request shapes to `ctx.slots`, drop `writeOnly` fields from the response
    shapes, and point request bodies at the request shapes."""
    definitions = {slot.name: slot.definition for slot in ctx.slots if slot.definition}
    direct = {
        name
        for name, definition in definitions.items()
        if isinstance(definition, ModelDef)
        and any(f.read_only or f.write_only for f in definition.fields)
    }
    if not direct:
        return operations
    renamed = _request_names(_containing(direct, definitions), ctx)
    ctx.request_shapes = renamed
    for slot in list(ctx.slots):
        definition = slot.definition
        if definition is None or slot.name not in renamed:
            continue
        request = _request_shape(definition, renamed)
        ctx.slots.append(
            Slot(renamed[slot.name], slot.wire_name, slot.pointer, request, slot.eager)
        )
        if isinstance(definition, ModelDef):
            fields = tuple(f for f in definition.fields if not f.write_only)
            slot.definition = replace(definition, fields=fields)
    return [with_request_body(op, renamed) if op else None for op in operations]


def _containing(direct: set[str], definitions: Mapping[str, TypeDef | None]) -> list[str]:
    """`direct` and every definition that refers to one of them, at any depth, in slot order."""
    needed = set(direct)
    changed = True
    while changed:
        changed = False
        for name, definition in definitions.items():
            if name in needed or not isinstance(definition, ModelDef | TypeAliasDef):
                continue
            if needed.intersection(definition.references.types):
                needed.add(name)
                changed = True
    return [name for name in definitions if name in needed]


def _request_names(names: list[str], ctx: ParseContext) -> dict[str, str]:
    return {name: ctx.type_names.claim(name + REQUEST_SUFFIX) for name in names}


def _request_shape(definition: TypeDef, renamed: Mapping[str, str]) -> TypeDef:
    name = renamed[definition.name]
    if isinstance(definition, ModelDef):
        fields = tuple(
            replace(
                f,
                annotation=rename_types(f.annotation, renamed),
                value_annotation=rename_types(f.value_annotation, renamed),
            )
            for f in definition.fields
            if not f.read_only
        )
        extra = definition.extra_annotation
        note = f"The request shape of `{definition.name}`: without its read-only properties."
        return replace(
            definition,
            name=name,
            description=f"{definition.description}\n\n{note}".strip(),
            fields=fields,
            extra_annotation=rename_types(extra, renamed) if extra else extra,
            references=_renamed_references(definition.references, renamed),
        )
    if isinstance(definition, TypeAliasDef):
        return replace(
            definition,
            name=name,
            annotation=rename_types(definition.annotation, renamed),
            references=_renamed_references(definition.references, renamed),
        )
    return definition


def with_request_body(operation: Operation, renamed: Mapping[str, str]) -> Operation:
    """`operation` with its request body typed by the request shapes of `renamed`."""
    body = operation.body
    if body is None or not renamed.keys() & _names(body.annotation):
        return operation
    new_body: Body = replace(
        body,
        annotation=rename_types(body.annotation, renamed),
        value_annotation=rename_types(body.value_annotation, renamed),
        media=tuple((media, rename_types(each, renamed)) for media, each in body.media),
    )
    references = operation.references
    added = (renamed[name] for name in _names(body.annotation) if name in renamed)
    types = tuple(sorted({*references.types, *added}))
    return replace(operation, body=new_body, references=replace(references, types=types))


def rename_types(annotation: str, renamed: Mapping[str, str]) -> str:
    """`annotation` with each type name in `renamed` replaced (string literals untouched)."""

    def swap(match: re.Match[str]) -> str:
        if match[1] is not None:
            return match[0]
        return renamed.get(match[2], match[2])

    return _NAME_OR_STRING.sub(swap, annotation)


def _names(annotation: str) -> set[str]:
    return {m[2] for m in _NAME_OR_STRING.finditer(annotation) if m[2] is not None}


def _renamed_references(references: References, renamed: Mapping[str, str]) -> References:
    types = tuple(sorted({renamed.get(name, name) for name in references.types}))
    return replace(references, types=types)
