"""Putting values on the wire and reading them back: parameters, request bodies, response bodies.

Parameters follow the OpenAPI 3 `style` and `explode` rules. For `id` holding `5`,
`[3, 4, 5]` and `{"role": "admin", "first": "Alex"}`:

```
style           explode  primitive  array            object
simple (path)   false    5          3,4,5            role,admin,first,Alex
simple (path)   true     5          3,4,5            role=admin,first=Alex
label           false    .5         .3,4,5           .role,admin,first,Alex
label           true     .5         .3.4.5           .role=admin.first=Alex
matrix          false    ;id=5      ;id=3,4,5        ;id=role,admin,first,Alex
matrix          true     ;id=5      ;id=3;id=4;id=5  ;role=admin;first=Alex
form            false    id=5       id=3,4,5         id=role,admin,first,Alex
form            true     id=5       id=3&id=4&id=5   role=admin&first=Alex
spaceDelimited  false    id=5       id=3 4 5         id=role admin first Alex
pipeDelimited   false    id=5       id=3|4|5         id=role|admin|first|Alex
deepObject      true     id=5       id=3&id=4&id=5   id[role]=admin&id[first]=Alex
```

Values are first turned into JSON-like data by pydantic (enums give their value, dates and
UUIDs their ISO/str form, models their fields by alias), then `true`/`false` for booleans and
an empty string for null. A value nested deeper than the table (an object inside an array)
is sent as compact JSON text; `deepObject` nests objects as `id[a][b]=x` and repeats the key
for arrays.

Path values are percent-encoded, so a `/` or `?` in a value never changes the URL; query
pairs are returned unencoded (httpx encodes them); cookie values are percent-encoded where a
cookie cannot hold the character (space, `"`, `,`, `;`, `\\`, `%`, non-ASCII).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import quote, urlencode

import httpx
import pydantic_core

from ._adapters import adapter_for
from .operation import BodySpec, ParamSpec

__all__ = [
    "EncodedBody",
    "FilePart",
    "PathTemplate",
    "decode_body",
    "decode_untyped_body",
    "encode_body",
    "encode_cookie",
    "encode_header",
    "encode_path",
    "encode_query",
    "expand_path",
    "is_json_media",
    "is_textual_media",
    "media_type",
    "to_jsonable",
]

FilePart = tuple[str | None, bytes | IO[bytes], str | None]
"""One multipart part as httpx takes it: (filename, content, content type)."""

_PLAIN_TYPES = (str, int, float, bool, type(None))
_QUERY_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
_COOKIE_SAFE = "".join(chr(code) for code in range(0x21, 0x7F) if chr(code) not in '",;\\%')
_TEMPLATE_VARIABLE = re.compile(r"\{([^{}]+)\}")
_OCTET_STREAM = "application/octet-stream"

Quote = Callable[[str], str]


def to_jsonable(annotation: Any, value: Any) -> Any:
    """`value` as JSON-like data (dicts, lists, str, int, float, bool, None), by its type."""
    if type(value) in _PLAIN_TYPES:
        return value
    return adapter_for(annotation).dump_python(
        value, mode="json", by_alias=True, exclude_unset=True
    )


# Parameters


def encode_path(spec: ParamSpec, value: Any) -> str:
    """The text that replaces `{name}` in the path, percent-encoded."""
    data = to_jsonable(spec.annotation, value)
    style, explode = spec.effective_style, spec.effective_explode
    items = _items(data, explode, _quote_path)
    if style == "simple":
        return ",".join(items)
    if style == "label":
        return "." + ("." if explode else ",").join(items)
    if style == "matrix":
        return _matrix(_quote_path(spec.wire_name), data, items, explode)
    raise ValueError(f"path parameter {spec.wire_name!r}: unsupported style {style!r}")


def expand_path(template: str, specs: Sequence[ParamSpec], values: Mapping[str, Any]) -> str:
    """`template` (`/pets/{petId}`) with every variable replaced by its encoded value.

    `specs` are looked up by wire name and `values` by Python name; a variable without a
    parameter or a value is an error. A value never adds, removes or climbs path segments.
    """
    return PathTemplate(template, specs).expand(values)


class PathTemplate:
    """A path template split once into its literal text and its variables, to expand
    many times (`expand_path` does both at once)."""

    __slots__ = ("_literals", "_variables", "template")

    def __init__(self, template: str, specs: Sequence[ParamSpec]) -> None:
        self.template = template
        by_wire_name = {spec.wire_name: spec for spec in specs if spec.location == "path"}
        parts = _TEMPLATE_VARIABLE.split(template)
        self._literals = tuple(parts[0::2])
        # (variable, spec or None, whether an int is sent as its plain decimal digits)
        self._variables = tuple(
            (name, spec, spec is not None and spec.effective_style == "simple")
            for name in parts[1::2]
            for spec in [by_wire_name.get(name)]
        )

    def expand(self, values: Mapping[str, Any]) -> str:
        """The path with `values` (by Python name) in place of its variables, encoded."""
        literals = self._literals
        pieces = [literals[0]]
        for index, (name, spec, simple) in enumerate(self._variables, 1):
            if spec is None:
                raise ValueError(f"path {self.template!r}: no parameter for {{{name}}}")
            value = values.get(spec.name)
            if value is None:
                raise ValueError(f"path parameter {spec.name!r} is required")
            pieces.append(str(value) if simple and type(value) is int else encode_path(spec, value))
            pieces.append(literals[index])
        path = "".join(pieces)
        if "/." not in path and not path.startswith("."):
            return path
        # URL parsers drop `.` and `..` segments; `%2E` keeps a value like `..` in the path.
        return "/".join(
            part.replace(".", "%2E") if part in (".", "..") else part for part in path.split("/")
        )


def encode_query(spec: ParamSpec, value: Any) -> list[tuple[str, str]]:
    """The (name, value) pairs of a query parameter, not yet percent-encoded."""
    data = to_jsonable(spec.annotation, value)
    style = spec.effective_style
    if style == "deepObject":
        return _deep_object(spec.wire_name, data)
    delimiter = _QUERY_DELIMITERS.get(style)
    if delimiter is None:
        raise ValueError(f"query parameter {spec.wire_name!r}: unsupported style {style!r}")
    return _form(spec.wire_name, data, spec.effective_explode, delimiter, _unquoted)


def encode_header(spec: ParamSpec, value: Any) -> str:
    """The value of a header parameter (style `simple`)."""
    data = to_jsonable(spec.annotation, value)
    return ",".join(_items(data, spec.effective_explode, _unquoted))


def encode_cookie(spec: ParamSpec, value: Any) -> list[tuple[str, str]]:
    """The (name, value) cookies of a cookie parameter (style `form`)."""
    data = to_jsonable(spec.annotation, value)
    return _form(spec.wire_name, data, spec.effective_explode, ",", _quote_cookie)


def _items(data: Any, explode: bool, quote_text: Quote) -> list[str]:
    """The parts a `simple`/`label`/`matrix` value is joined from."""
    if isinstance(data, list):
        return [quote_text(_text(item)) for item in data]
    if isinstance(data, dict):
        if explode:
            return [f"{quote_text(key)}={quote_text(_text(item))}" for key, item in data.items()]
        return [quote_text(part) for key, item in data.items() for part in (key, _text(item))]
    return [quote_text(_text(data))]


def _matrix(name: str, data: Any, items: list[str], explode: bool) -> str:
    if explode and isinstance(data, dict):
        return "".join(f";{item}" for item in items)
    if explode and isinstance(data, list):
        return "".join(f";{name}={item}" if item else f";{name}" for item in items)
    joined = ",".join(items)
    return f";{name}={joined}" if joined else f";{name}"


def _form(
    name: str, data: Any, explode: bool, delimiter: str, quote_text: Quote
) -> list[tuple[str, str]]:
    if isinstance(data, list):
        values = [quote_text(_text(item)) for item in data]
        return [(name, value) for value in values] if explode else [(name, delimiter.join(values))]
    if isinstance(data, dict):
        if explode:
            return [(quote_text(key), quote_text(_text(item))) for key, item in data.items()]
        parts = [quote_text(part) for key, item in data.items() for part in (key, _text(item))]
        return [(name, delimiter.join(parts))]
    return [(name, quote_text(_text(data)))]


def _deep_object(prefix: str, data: Any) -> list[tuple[str, str]]:
    if isinstance(data, dict):
        nested = (_deep_object(f"{prefix}[{key}]", item) for key, item in data.items())
        return [pair for pairs in nested for pair in pairs]
    if isinstance(data, list):
        return [(prefix, _text(item)) for item in data]
    return [(prefix, _text(data))]


def _text(data: Any) -> str:
    """One JSON-like scalar as parameter text; containers as compact JSON."""
    if data is True:
        return "true"
    if data is False:
        return "false"
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    if isinstance(data, (list, dict)):
        return pydantic_core.to_json(data).decode()
    return str(data)


def _quote_path(text: str) -> str:
    return quote(text, safe="")


def _quote_cookie(text: str) -> str:
    return quote(text, safe=_COOKIE_SAFE)


def _unquoted(text: str) -> str:
    return text


# Request bodies


@dataclass(frozen=True)
class EncodedBody:
    """A request body ready for `httpx.Client.build_request`: raw content or multipart parts."""

    content: bytes | None = None
    files: list[tuple[str, FilePart]] | None = None
    """Multipart parts; httpx then sets the Content-Type with its boundary."""
    content_type: str | None = None


def encode_body(spec: BodySpec, value: Any) -> EncodedBody:
    """Encode `value` as `spec.content_type`.

    JSON (and `+json`) bodies are dumped by type; form bodies send each field (arrays as
    repeated fields, objects as JSON); multipart bodies send `bytes` and
    `(filename, bytes[, content type])` fields as files and the rest as text (objects as
    JSON); `text/*` bodies are UTF-8 text; anything else must be `bytes` (or `str`).
    """
    media = media_type(spec.content_type)
    if is_json_media(media):
        content = adapter_for(spec.annotation).dump_json(value, by_alias=True, exclude_unset=True)
        return EncodedBody(content=content, content_type=spec.content_type)
    if media == "application/x-www-form-urlencoded":
        pairs = _form_fields(to_jsonable(spec.annotation, value))
        return EncodedBody(content=urlencode(pairs).encode(), content_type=spec.content_type)
    if media == "multipart/form-data":
        return EncodedBody(files=_multipart_parts(spec.annotation, value))
    if media.startswith("text/"):
        text = value if isinstance(value, str) else _text(to_jsonable(spec.annotation, value))
        return EncodedBody(content=text.encode(), content_type=_with_charset(spec.content_type))
    return EncodedBody(content=_binary(media, value), content_type=spec.content_type)


def _form_fields(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        raise TypeError(f"a form body must be an object, not {type(data).__name__}")
    pairs: list[tuple[str, str]] = []
    for name, item in data.items():
        if item is None:
            continue
        items = item if isinstance(item, list) else [item]
        pairs.extend((name, _text(element)) for element in items)
    return pairs


def _multipart_parts(annotation: Any, value: Any) -> list[tuple[str, FilePart]]:
    fields = adapter_for(annotation).dump_python(value, by_alias=True, exclude_unset=True)
    if not isinstance(fields, dict):
        raise TypeError(f"a multipart body must be an object, not {type(fields).__name__}")
    parts: list[tuple[str, FilePart]] = []
    for name, item in fields.items():
        items = item if isinstance(item, list) else [item]
        parts.extend((name, _multipart_part(name, each)) for each in items if each is not None)
    return parts


def _multipart_part(name: str, value: Any) -> FilePart:
    if isinstance(value, (bytes, bytearray)):
        return (name, bytes(value), _OCTET_STREAM)
    if isinstance(value, tuple) and len(value) in (2, 3) and _is_file_content(value[1]):
        filename, content, *content_type = value
        return (filename, content, content_type[0] if content_type else None)
    if _is_file_content(value):
        return (PurePath(str(getattr(value, "name", name))).name, value, None)
    data = adapter_for(Any).dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    if isinstance(data, (list, dict)):
        return (None, pydantic_core.to_json(data), "application/json")
    return (None, _text(data).encode(), None)


def _is_file_content(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray)) or callable(getattr(value, "read", None))


def _binary(media: str, value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    raise TypeError(f"a {media} body must be bytes, not {type(value).__name__}")


def _with_charset(content_type: str) -> str:
    return content_type if "charset=" in content_type.lower() else f"{content_type}; charset=utf-8"


# Response bodies


def decode_body(annotation: Any, raw: httpx.Response, content_type: str | None = None) -> Any:
    """The body of `raw` validated as `annotation`; None when `annotation` is None (no body).

    The response's Content-Type decides how to read it, else `content_type` (the declared
    one), else JSON: JSON is validated straight from the bytes, `text/*` as text, anything
    else as bytes. Raises `pydantic.ValidationError` when the body does not match.
    """
    if annotation is None:
        return None
    kind = _body_kind(raw.headers.get("content-type") or content_type or "application/json")
    adapter = adapter_for(annotation)
    if kind is _JSON:
        return adapter.validate_json(raw.content)
    if kind is _TEXT:
        return adapter.validate_python(raw.text)
    return adapter.validate_python(raw.content)


_JSON, _TEXT, _BYTES = "json", "text", "bytes"


@lru_cache(maxsize=256)
def _body_kind(content_type: str) -> str:
    """How `decode_body` reads a body of this Content-Type (worked out once per value)."""
    media = media_type(content_type)
    if is_json_media(media):
        return _JSON
    return _TEXT if media.startswith("text/") else _BYTES


def decode_untyped_body(raw: httpx.Response) -> Any:
    """The body without a schema: None when empty, parsed JSON when it is JSON, else text.

    A binary media type (not text, JSON, XML or form data) gives the bytes.
    """
    content = raw.content
    if not content:
        return None
    media = media_type(raw.headers.get("content-type", ""))
    if not media or is_json_media(media):
        try:
            return pydantic_core.from_json(content)
        except ValueError:
            return raw.text
    return raw.text if is_textual_media(media) else content


def media_type(content_type: str) -> str:
    """The media type of a Content-Type, lowercased and without parameters."""
    return content_type.partition(";")[0].strip().lower()


def is_json_media(media: str) -> bool:
    """Whether a media type is JSON: `application/json`, `text/json` or `…+json`."""
    return media.endswith(("/json", "+json"))


def is_textual_media(media: str) -> bool:
    """Whether a media type is text: `text/*`, JSON, XML or form data."""
    return media.startswith("text/") or media.endswith(("json", "xml", "x-www-form-urlencoded"))
