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
is sent as compact JSON text; `deepObject` nests objects as `id[a][b]=x`, repeats the key
for arrays of scalars and indexes arrays of objects (`id[0][a]=x`).

Path values are percent-encoded, so a `/` or `?` in a value never changes the URL; query
pairs are returned unencoded (httpx encodes them); cookie values are percent-encoded where a
cookie cannot hold the character (space, `"`, `,`, `;`, `\\`, `%`, non-ASCII); a header value
that is not ASCII is refused (`ParameterValueError`), and JSON `content` in a header is
written with `\\uXXXX` escapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from types import UnionType
from typing import IO, Annotated, Any, Union, get_args, get_origin
from urllib.parse import quote, urlencode

import httpx
import pydantic
import pydantic_core

from ._adapters import adapter_for
from .operation import BodySpec, ParamSpec, PropertyEncoding, XmlShape

__all__ = [
    "EncodedBody",
    "FilePart",
    "ParameterValueError",
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
    "is_xml_media",
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
    adapter = adapter_for(annotation)
    try:
        return adapter.dump_python(
            value, mode="json", by_alias=True, exclude_unset=True, warnings="error"
        )
    except pydantic_core.PydanticSerializationError:
        # A value not of the declared type, e.g. plain strings for an enum: validated into
        # it first (pydantic would otherwise warn, and send it unchecked).
        return adapter.dump_python(
            adapter.validate_python(value), mode="json", by_alias=True, exclude_unset=True
        )


# Parameters


class ParameterValueError(ValueError):
    """A parameter value outside the spec's limits (pattern, length, range), found before
    anything is sent."""


def _parameter_data(spec: ParamSpec, value: Any) -> Any:
    """`value` as JSON-like data, once it is checked against the limits its annotation
    carries (`Annotated[int, Field(le=100)]`, an alias of one, or a union with such
    members)."""
    if _carries_limits(spec.annotation):
        try:
            adapter_for(spec.annotation).validate_python(value)
        except pydantic.ValidationError as exc:
            problems = "; ".join(error["msg"] for error in exc.errors())
            raise ParameterValueError(
                f"parameter {spec.name!r} ({spec.location} {spec.wire_name!r}): {problems}"
            ) from None
    data = to_jsonable(spec.annotation, value)
    if spec.content_type:
        # A header holds ASCII only: there, JSON escapes other characters as `\uXXXX`.
        ascii_only = spec.location == "header"
        return json.dumps(data, separators=(",", ":"), ensure_ascii=ascii_only)
    return data


def _carries_limits(annotation: Any) -> bool:
    """Whether `annotation` has an `Annotated` part: itself, a union member, or the items
    of a list or mapping (`list[Annotated[str, Field(pattern=...)]]`)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return True
    return origin is not None and any(_carries_limits(arg) for arg in get_args(annotation))


def encode_path(spec: ParamSpec, value: Any) -> str:
    """The text that replaces `{name}` in the path, percent-encoded."""
    data = _parameter_data(spec, value)
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
        # A `#` in the path's own text (a spec's `/send/#env/v1/...`) would end the path.
        self._literals = tuple(part.replace("#", "%23") for part in parts[0::2])
        # (variable, spec or None, whether an int is sent as its plain decimal digits, or
        # None where every value goes through `encode_path`, whether it sits between two slashes)
        self._variables = tuple(
            (
                name,
                spec,
                _plain_int_check(spec) if spec is not None else None,
                _between_slashes(self._literals, index),
            )
            for index, name in enumerate(parts[1::2])
            for spec in [by_wire_name.get(name)]
        )

    def expand(self, values: Mapping[str, Any]) -> str:
        """The path with `values` (by Python name) in place of its variables, encoded."""
        literals = self._literals
        pieces = [literals[0]]
        for index, (name, spec, plain_int, mid_path) in enumerate(self._variables, 1):
            if spec is None:
                raise ValueError(f"path {self.template!r}: no parameter for {{{name}}}")
            value = values.get(spec.name)
            if value is None:
                raise ValueError(f"path parameter {spec.name!r} is required")
            if plain_int is not None and type(value) is int and plain_int(value):
                pieces.append(str(value))
                pieces.append(literals[index])
                continue
            encoded = encode_path(spec, value)  # checked against its limits, refused with them
            if not encoded and mid_path:
                # `/users//repos` reaches a server that merges slashes (nginx does, by
                # default) as `/users/repos`, another resource: better no request at all.
                raise ParameterValueError(
                    f"parameter {spec.name!r} (path {spec.wire_name!r}): {value!r} is sent as "
                    f"an empty text, which would leave an empty segment inside the path "
                    f"{self.template!r}"
                )
            pieces.append(encoded)
            pieces.append(literals[index])
        path = "".join(pieces)
        if "/." not in path and not path.startswith("."):
            return path
        # URL parsers drop `.` and `..` segments; `%2E` keeps a value like `..` in the path.
        return "/".join(
            part.replace(".", "%2E") if part in (".", "..") else part for part in path.split("/")
        )


def _between_slashes(literals: tuple[str, ...], index: int) -> bool:
    """Whether the variable after `literals[index]` is a whole segment inside the path
    (`/users/{id}/repos`): not the last one (`/contents/{path}`, where an empty value
    leaves a trailing slash, a resource of its own), nor a part of one
    (`/files/{name}.json`, `/{a}{b}`)."""
    return literals[index].endswith("/") and literals[index + 1].startswith("/")


def _plain_int_check(spec: ParamSpec) -> Callable[[int], bool] | None:
    """For a `simple` path parameter that `encode_path` sends as an int's decimal digits
    once its limits are met (an annotation without limits, or an `Annotated` int: a
    spec's `minimum`, `maximum`, `format: int64`...), whether an int meets them (the
    annotation's own validator, without the adapter around it); None for any other."""
    if spec.effective_style != "simple":
        return None
    annotation = spec.annotation
    if not _carries_limits(annotation):
        return _always
    if get_origin(annotation) is not Annotated or get_args(annotation)[0] is not int:
        return None
    try:
        validator = adapter_for(annotation).validator
    except (pydantic_core.SchemaError, pydantic.PydanticUserError):
        return None  # left to `encode_path`, which reports it when a value is sent

    def meets_limits(value: int) -> bool:
        try:
            validator.validate_python(value)
        except pydantic.ValidationError:
            return False
        return True

    return meets_limits


def _always(value: int) -> bool:
    return True


def encode_query(
    spec: ParamSpec, value: Any, taken: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """The (name, value) pairs of a query parameter, not yet percent-encoded.

    `taken` are the names of the operation's other query parameters: an exploded `form`
    object whose field has one of those names is refused, as the server would read that
    field as the other parameter.
    """
    data = _parameter_data(spec, value)
    style = spec.effective_style
    if style == "deepObject":
        return _deep_object(spec.wire_name, data)
    delimiter = _QUERY_DELIMITERS.get(style)
    if delimiter is None:
        raise ValueError(f"query parameter {spec.wire_name!r}: unsupported style {style!r}")
    pairs = _form(spec.wire_name, data, spec.effective_explode, delimiter, _unquoted)
    if taken and isinstance(data, dict):
        for key, _ in pairs:
            if key in taken and key != spec.wire_name:
                raise ParameterValueError(
                    f"parameter {spec.name!r} (query {spec.wire_name!r}): its field {key!r} "
                    f"has the name of another query parameter of the operation, so it cannot "
                    f"be sent as its own pair (style form, explode true); leave it unset"
                )
    return pairs


def encode_header(spec: ParamSpec, value: Any) -> str:
    """The value of a header parameter (style `simple`), refused unless it is ASCII text:
    httpx sends a text header value as ASCII only, and servers read its bytes as latin-1."""
    data = _parameter_data(spec, value)
    text = ",".join(_items(data, spec.effective_explode, _unquoted))
    if not text.isascii():
        position, character = next((i, c) for i, c in enumerate(text) if not c.isascii())
        raise ParameterValueError(
            f"parameter {spec.name!r} (header {spec.wire_name!r}): {_excerpt(text)} is not "
            f"ASCII text ({character!r} at {position}); a header value must be ASCII, as httpx "
            f"sends it: percent-encode the value, or declare the parameter with `content` "
            f"(application/json escapes other characters) in the spec"
        )
    return text


def _excerpt(text: str, length: int = 40) -> str:
    return repr(text if len(text) <= length else text[:length] + "...")


def encode_cookie(spec: ParamSpec, value: Any) -> list[tuple[str, str]]:
    """The (name, value) cookies of a cookie parameter (style `form`)."""
    data = _parameter_data(spec, value)
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
            # An array field repeats its key, as an exploded array repeats its name.
            return [
                (quote_text(key), quote_text(_text(each)))
                for key, item in data.items()
                for each in (item if isinstance(item, list) else (item,))
            ]
        parts = [quote_text(part) for key, item in data.items() for part in (key, _text(item))]
        return [(name, delimiter.join(parts))]
    return [(name, quote_text(_text(data)))]


def _deep_object(prefix: str, data: Any) -> list[tuple[str, str]]:
    if isinstance(data, dict):
        nested = (_deep_object(f"{prefix}[{key}]", item) for key, item in data.items())
        return [pair for pairs in nested for pair in pairs]
    if isinstance(data, list):
        if any(isinstance(item, (dict, list)) for item in data):
            # Objects in an array go by index, `id[0][type]=vat`, as Stripe reads them.
            indexed = (_deep_object(f"{prefix}[{i}]", item) for i, item in enumerate(data))
            return [pair for pairs in indexed for pair in pairs]
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
    JSON); XML bodies (with an `xml` shape) are documents as the spec's `xml` objects say;
    `text/*` bodies are UTF-8 text; anything else must be `bytes` (or `str`).
    A property the spec's `encoding` gives a style goes out as a query parameter of that
    style would (`address[city]=Paris` for `deepObject`), one with a JSON content type as
    JSON text; in multipart bodies the encoding's content type is the part's.
    """
    if spec.media:
        spec = _chosen_media(spec, value)
    media = media_type(spec.content_type)
    if is_json_media(media):
        content = adapter_for(spec.annotation).dump_json(value, by_alias=True, exclude_unset=True)
        return EncodedBody(content=content, content_type=spec.content_type)
    if media == "application/x-www-form-urlencoded":
        pairs = _form_fields(spec, to_jsonable(spec.annotation, value))
        return EncodedBody(content=urlencode(pairs).encode(), content_type=spec.content_type)
    if media == "multipart/form-data":
        return EncodedBody(files=_multipart_parts(spec, value))
    if spec.xml is not None and is_xml_media(media):
        from .xml_bodies import encode_xml  # only packages with XML bodies load the codec

        content = encode_xml(to_jsonable(spec.annotation, value), spec.xml)
        return EncodedBody(content=content, content_type=spec.content_type)
    if media.startswith("text/"):
        text = value if isinstance(value, str) else _text(to_jsonable(spec.annotation, value))
        return EncodedBody(content=text.encode(), content_type=_with_charset(spec.content_type))
    return EncodedBody(content=_binary(media, value), content_type=spec.content_type)


def _chosen_media(spec: BodySpec, value: Any) -> BodySpec:
    """The body as the declared media type whose type `value` is an instance of (`bytes` as
    `application/octet-stream` beside a JSON model), else the first one."""
    content_type, annotation = spec.media[0]
    for declared, declared_type in spec.media:
        # `Any` is a class from Python 3.11 on, but no instance check takes it.
        classes = tuple(c for c in _classes(declared_type) if isinstance(c, type) and c is not Any)
        if classes and isinstance(value, classes):
            content_type, annotation = declared, declared_type
            break
    return BodySpec(annotation, content_type, spec.required, spec.encoding, xml=spec.xml)


def _classes(annotation: Any) -> list[Any]:
    """The plain classes of an annotation, through unions and `Annotated`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _classes(get_args(annotation)[0])
    if origin is Union or origin is UnionType:
        return [member for arg in get_args(annotation) for member in _classes(arg)]
    return [annotation] if origin is None else []


def _form_fields(spec: BodySpec, data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        raise TypeError(f"a form body must be an object, not {type(data).__name__}")
    pairs: list[tuple[str, str]] = []
    for name, item in data.items():
        if item is None:
            continue
        encoding = spec.encoding_of(name)
        if encoding is not None and encoding.has_style:
            pairs.extend(_styled(name, item, encoding))
        elif encoding is not None and is_json_media(media_type(encoding.content_type)):
            pairs.append((name, pydantic_core.to_json(item).decode()))
        else:
            items = item if isinstance(item, list) else [item]
            pairs.extend((name, _text(element)) for element in items)
    return pairs


def _styled(name: str, data: Any, encoding: PropertyEncoding) -> list[tuple[str, str]]:
    """A body property written as a query parameter of the encoding's style is."""
    style = encoding.effective_style
    if style == "deepObject":
        return _deep_object(name, data)
    delimiter = _QUERY_DELIMITERS.get(style)
    if delimiter is None:
        raise ValueError(f"body property {name!r}: unsupported style {style!r}")
    return _form(name, data, encoding.effective_explode, delimiter, _unquoted)


def _multipart_parts(spec: BodySpec, value: Any) -> list[tuple[str, FilePart]]:
    fields = adapter_for(spec.annotation).dump_python(value, by_alias=True, exclude_unset=True)
    if not isinstance(fields, dict):
        raise TypeError(f"a multipart body must be an object, not {type(fields).__name__}")
    parts: list[tuple[str, FilePart]] = []
    for name, item in fields.items():
        if item is None:
            continue
        encoding = spec.encoding_of(name)
        if encoding is not None and encoding.has_style:
            data = adapter_for(Any).dump_python(item, mode="json", by_alias=True)
            parts.extend(
                (key, (None, text.encode(), None)) for key, text in _styled(name, data, encoding)
            )
            continue
        content_type = _part_content_type(encoding)
        items = item if isinstance(item, list) else [item]
        parts.extend(
            (name, _multipart_part(name, each, content_type)) for each in items if each is not None
        )
    return parts


def _part_content_type(encoding: PropertyEncoding | None) -> str | None:
    """The one Content-Type the encoding names for a part (the first of a list), None when it
    names none or only a range (`image/*`)."""
    if encoding is None or not encoding.content_type:
        return None
    first = encoding.content_type.split(",")[0].strip()
    return None if not first or "*" in first else first


def _multipart_part(name: str, value: Any, content_type: str | None = None) -> FilePart:
    if isinstance(value, (bytes, bytearray)):
        return (name, bytes(value), content_type or _OCTET_STREAM)
    if isinstance(value, tuple) and len(value) in (2, 3) and _is_file_content(value[1]):
        filename, content, *given = value
        return (filename, content, given[0] if given else content_type)
    if _is_file_content(value):
        return (PurePath(str(getattr(value, "name", name))).name, value, content_type)
    data = adapter_for(Any).dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    if isinstance(data, (list, dict)):
        return (None, pydantic_core.to_json(data), content_type or "application/json")
    if content_type is not None and is_json_media(media_type(content_type)):
        return (None, pydantic_core.to_json(data), content_type)
    return (None, _text(data).encode(), content_type)


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


def decode_body(
    annotation: Any,
    raw: httpx.Response,
    content_type: str | None = None,
    xml: XmlShape | None = None,
) -> Any:
    """The body of `raw` validated as `annotation`; None when `annotation` is None (no body).

    The response's Content-Type decides how to read it, else `content_type` (the declared
    one), else JSON: JSON is validated straight from the bytes, XML (given its `xml` shape)
    from the data of the document, `text/*` as text, anything else as bytes. Raises
    `pydantic.ValidationError` when the body does not match (or is not well-formed).
    """
    if annotation is None:
        return None
    kind = _body_kind(raw.headers.get("content-type") or content_type or "application/json")
    adapter = adapter_for(annotation)
    if kind is _JSON:
        return adapter.validate_json(raw.content)
    if kind is _XML and xml is not None:
        return adapter.validate_python(_xml_data(raw.content, xml))
    if kind is _TEXT:
        return adapter.validate_python(raw.text)
    return adapter.validate_python(raw.content)


_JSON, _XML, _TEXT, _BYTES = "json", "xml", "text", "bytes"


@lru_cache(maxsize=256)
def _body_kind(content_type: str) -> str:
    """How `decode_body` reads a body of this Content-Type (worked out once per value)."""
    media = media_type(content_type)
    if is_json_media(media):
        return _JSON
    if is_xml_media(media):
        return _XML
    return _TEXT if media.startswith("text/") else _BYTES


def _xml_data(content: bytes, xml: XmlShape) -> Any:
    """The data of an XML document; a malformed (or unsafe) one fails as validation does."""
    from .xml_bodies import MalformedXml, decode_xml

    try:
        return decode_xml(content, xml)
    except MalformedXml as error:
        raise pydantic.ValidationError.from_exception_data(
            "XML body",
            [{"type": "value_error", "loc": (), "input": content, "ctx": {"error": error}}],
        ) from None


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


def is_xml_media(media: str) -> bool:
    """Whether a media type is XML: `application/xml`, `text/xml` or `…+xml`."""
    return media in ("application/xml", "text/xml") or media.endswith("+xml")


def is_textual_media(media: str) -> bool:
    """Whether a media type is text: `text/*`, JSON, XML or form data."""
    return media.startswith("text/") or media.endswith(("json", "xml", "x-www-form-urlencoded"))
