"""Swagger 2.0 parameters as OpenAPI 3 parameters and request bodies.

A Swagger operation lists everything it reads as parameters: `in: body` is the
request body (one per media type of `consumes`), and the `in: formData`
parameters together are the fields of a form or multipart body. The rest are
parameters whose value description (`type`, `items`...) moves into `schema`,
and whose `collectionFormat` becomes `style` and `explode`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from specloom.diagnostics import join_pointer
from specloom.loading.swagger_schemas import (
    SIMPLE_SCHEMA_KEYS,
    fix_schema,
    local_ref,
    simple_schema,
)

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

Warn = Callable[[str, str], None]
"""Reports a conversion warning: (message, pointer into the original document)."""

_STYLES: dict[str, tuple[str, bool]] = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
}
"""collectionFormat -> (style, explode) for query values and form fields."""


@dataclass
class Located:
    """A Swagger parameter as the operation sees it, with where it was written."""

    value: dict[str, Any]
    pointer: str
    """Where the parameter is, in the original document (a global one for a `$ref`)."""


def collection_style(format_: Any, place: str, pointer: str, warn: Warn) -> tuple[str, bool] | None:
    """(style, explode) for an array with this collectionFormat in `place`, None for default."""
    format_ = "csv" if format_ is None else format_
    if place in ("path", "header"):
        if format_ != "csv":
            warn(
                f"collectionFormat {format_!r} has no OpenAPI 3 form in a {place} parameter: "
                "the values are comma-separated",
                pointer,
            )
        return "simple", False
    if format_ == "tsv":
        warn(
            "collectionFormat 'tsv' has no OpenAPI 3 form: the values are comma-separated",
            pointer,
        )
        return "form", False
    if format_ not in _STYLES:
        warn(f"unknown collectionFormat {format_!r}: the values are comma-separated", pointer)
        return "form", False
    return _STYLES[format_]


def parameter(value: dict[str, Any], pointer: str, warn: Warn) -> dict[str, Any]:
    """An OpenAPI 3 parameter for a Swagger query, path, header or cookie parameter."""
    if isinstance(value.get("$ref"), str):
        return {**value, "$ref": local_ref(value["$ref"])}
    place = value.get("in")
    converted = {
        key: member
        for key, member in value.items()
        if key not in SIMPLE_SCHEMA_KEYS and key != "collectionFormat"
    }
    if "schema" not in value:
        converted["schema"] = simple_schema(value)
    else:  # not Swagger, but keep what was written
        fix_schema(converted["schema"])
    if value.get("type") == "array" and isinstance(place, str):
        style = collection_style(value.get("collectionFormat"), place, pointer, warn)
        if style is not None:
            converted["style"], converted["explode"] = style
    example = converted.pop("x-example", None)
    if example is not None:
        converted["example"] = example
    return converted


def body(
    param: Located, consumes: list[str], new_pointer: str, renamed: dict[str, str]
) -> dict[str, Any]:
    """The request body an `in: body` parameter stands for, one content entry per media type."""
    value = param.value
    schema = value.get("schema", {})
    fix_schema(schema)
    content: dict[str, Any] = {}
    for media in consumes or [JSON]:
        content[media] = {"schema": schema}  # shared: one type, whatever the media type
        media_pointer = join_pointer(new_pointer, "content", media)
        renamed[media_pointer] = param.pointer
        renamed[media_pointer + "/schema"] = param.pointer + "/schema"
    request: dict[str, Any] = {"content": content}
    for key in ("description", "required"):
        if key in value:
            request[key] = value[key]
    request.update({k: v for k, v in value.items() if k.startswith("x-")})
    renamed[new_pointer] = param.pointer
    return request


def form_body(
    fields: list[Located],
    consumes: list[str],
    new_pointer: str,
    renamed: dict[str, str],
    warn: Warn,
) -> dict[str, Any]:
    """The request body the `in: formData` parameters of an operation stand for.

    One object schema with a property per field, for each form media type the operation
    consumes (multipart when it consumes none and a field is a file, urlencoded otherwise).
    """
    has_file = any(field.value.get("type") == "file" for field in fields)
    media_types = [media for media in consumes if _is_form(media)]
    if not media_types:
        media_types = [MULTIPART if has_file else FORM]
    properties: dict[str, Any] = {}
    required: list[str] = []
    encoding: dict[str, Any] = {}
    for field in fields:
        value = field.value
        name = value.get("name")
        if not isinstance(name, str):
            continue
        field_schema = simple_schema(value)
        if "description" in value:
            field_schema["description"] = value["description"]
        properties[name] = field_schema
        if value.get("required") is True:
            required.append(name)
        if value.get("type") == "array":
            style = collection_style(value.get("collectionFormat"), "formData", field.pointer, warn)
            if style is not None:
                encoding[name] = {"style": style[0], "explode": style[1]}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    content: dict[str, Any] = {}
    for media in media_types:
        entry: dict[str, Any] = {"schema": schema}
        if encoding:
            entry["encoding"] = copy.deepcopy(encoding)
        content[media] = entry
        properties_pointer = join_pointer(new_pointer, "content", media, "schema", "properties")
        for field in fields:
            name = field.value.get("name")
            if isinstance(name, str):
                renamed[join_pointer(properties_pointer, name)] = field.pointer
                encoding_pointer = join_pointer(new_pointer, "content", media, "encoding", name)
                renamed[encoding_pointer] = field.pointer
    renamed[new_pointer] = fields[0].pointer
    request: dict[str, Any] = {"content": content}
    if required:
        request["required"] = True
    return request


def _is_form(media: str) -> bool:
    base = media.split(";", 1)[0].strip().lower()
    return base in (FORM, MULTIPART)
