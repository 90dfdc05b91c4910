"""Objects and arrays nested in a query, header, cookie or path parameter: JSON text.

A style carries one level of structure (`Tags=a&Tags=b`, `role=admin`); an item of an
array, or a value of a map, that is itself an object or an array travels as its compact
JSON text, as the client writes it (`Tags={"Key":"a","Value":"b"}&Tags={...}`), and as a
parameter declared with `content` does. Not exploded, items are joined by the style's
delimiter (`Tags={"Key":"a"},{"Key":"b"}`): a delimiter inside a JSON item does not
split it.
"""

from __future__ import annotations

import json
from typing import Any

from .._shapes import ObjectLayout, Shape, item_annotation, shape_of
from ._styles import StyleError


def is_container(annotation: Any) -> bool:
    """Whether values of `annotation` are objects or arrays (and so travel as JSON text)."""
    return annotation is not None and shape_of(annotation) is not Shape.SCALAR


def has_json_items(annotation: Any, shape: Shape, layout: ObjectLayout) -> bool:
    """Whether the items of an array, or the values of a map (any key), are JSON text
    (split with `_styles.split_json_aware` when not exploded)."""
    if shape is Shape.ARRAY:
        return is_container(item_annotation(annotation))
    if shape is Shape.OBJECT and layout.keys is None and not layout.field_types:
        return is_container(layout.value_type)
    return False


def parsed(text: Any, where: str) -> Any:
    """The JSON value `text` spells; a `StyleError` naming `where` when it spells none."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        raise StyleError(f"{where}: an object or array here is sent as JSON text") from None


def json_fields(layout: ObjectLayout) -> frozenset[str]:
    """The keys of an object whose values (for an array: whose items) are objects or
    arrays: in an exploded `form` object (`role=admin&name={"first":"Alex"}`) their texts
    are JSON."""
    return frozenset(
        key
        for key, annotation in layout.field_types.items()
        if (
            is_container(item_annotation(annotation))
            if shape_of(annotation) is Shape.ARRAY
            else is_container(annotation)
        )
    )


def parsed_items(raw: Any, name: str) -> Any:
    """The items of an array, or the values of a map, parsed from their JSON texts."""
    if isinstance(raw, list):
        return [parsed(item, f"{name}[{index}]") for index, item in enumerate(raw)]
    if isinstance(raw, dict):
        return {key: parsed(value, f"{name}[{key}]") for key, value in raw.items()}
    return raw


def parsed_fields(raw: Any, keys: frozenset[str], name: str) -> Any:
    """An object's `keys` (see `json_fields`) parsed from their JSON texts."""
    if not isinstance(raw, dict):
        return raw
    return {
        key: parsed_items(value, f"{name}.{key}")
        if key in keys and isinstance(value, list)
        else parsed(value, f"{name}.{key}")
        if key in keys
        else value
        for key, value in raw.items()
    }
