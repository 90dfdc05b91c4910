"""A `default` written as the text of a value of its schema's type (`default: "false"` for
a boolean, `"20"` for an integer), or as a number where the type is text: read as the
value it spells, which is plainly what the spec means (a quoted value in YAML is text).

Validation (`validate_findings`) and the parser (`parser.defaults`) both read such a
default this way, so that what a run says about it is what the generated code does.
"""

from __future__ import annotations

import json
import math
import re
from typing import Final

NOT_READ: Final = object()
"""What `read_as` gives for a value it does not read as the type."""

FORMATS_NOT_TEXT = frozenset({"date", "date-time", "uuid", "binary"})
"""String formats the generated code types as something else than `str`."""
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def read_as(value: object, schema: object) -> object:
    """`value` as a value of the `type` of `schema` (a schema object), or `NOT_READ`.

    Text spelling a boolean (`true`, `false`, in any case), an integer or a number becomes
    it; an integral float (`20.0`) is an integer; a boolean or a number becomes its JSON
    text (`true`, `7`) where the type is `string` (a plain one: not a date, a UUID or
    bytes, which are typed otherwise). Anything else is not read.
    """
    if not isinstance(schema, dict):
        return NOT_READ
    type_name = schema.get("type")
    if type_name == "string" and schema.get("format") in FORMATS_NOT_TEXT:
        return NOT_READ
    if type_name == "boolean" and isinstance(value, str):
        lowered = value.lower()
        return lowered == "true" if lowered in ("true", "false") else NOT_READ
    if type_name == "integer":
        if isinstance(value, str) and _INTEGER.fullmatch(value):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return NOT_READ
    if type_name == "number" and isinstance(value, str) and _NUMBER.fullmatch(value):
        number = float(value)
        if not math.isfinite(number):
            return NOT_READ
        return int(value) if _INTEGER.fullmatch(value) else number
    if type_name == "string" and type(value) in (bool, int, float):
        return json.dumps(value)
    return NOT_READ
