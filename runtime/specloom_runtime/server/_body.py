"""Reading the request body: check its media type, parse it, validate it."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from .._adapters import adapter_for
from .._shapes import ObjectLayout, object_layout
from ..fields import STRICT_CONTEXT
from ..operation import BodySpec, XmlShape
from ._forms import MalformedBody, decode_text, gather_fields, parse_urlencoded
from ._media import is_json, is_wildcard, is_xml, media_matches, media_type_of, parse_content_type
from ._multipart import Part, part_value
from ._problems import Problem, json_pointer
from ._validation import located_errors


class BodyKind(enum.Enum):
    """How a body is parsed before validation."""

    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"
    XML = "xml"
    TEXT = "text"
    BINARY = "binary"


def body_kind(media_type: str, has_xml_shape: bool = False) -> BodyKind:
    """How to parse a body of this media type (XML as a document when the body has an XML
    shape, else as text or bytes)."""
    if is_json(media_type):
        return BodyKind.JSON
    if has_xml_shape and is_xml(media_type):
        return BodyKind.XML
    if media_type == "application/x-www-form-urlencoded":
        return BodyKind.FORM
    if media_type.startswith("multipart/"):
        return BodyKind.MULTIPART
    if media_type.startswith("text/"):
        return BodyKind.TEXT
    return BodyKind.BINARY


@dataclass(frozen=True)
class BodyReader:
    """Everything needed to read an operation's body, worked out once when the app is built."""

    spec: BodySpec
    media_type: str
    """The declared media type, lower case, without parameters."""
    kind: BodyKind | None
    """None when the declared type is a range: the received type decides."""
    adapter: TypeAdapter[Any]
    layout: ObjectLayout
    alternatives: tuple[BodyReader, ...] = ()
    """Readers of the other media types the body may come as (`BodySpec.media`)."""

    @classmethod
    def for_body(cls, spec: BodySpec) -> BodyReader:
        if spec.media:
            (first_type, first), *others = spec.media
            alternatives = tuple(
                cls.for_body(
                    BodySpec(annotation, content_type, spec.required, spec.encoding, xml=spec.xml)
                )
                for content_type, annotation in others
            )
            spec = BodySpec(first, first_type, spec.required, spec.encoding, xml=spec.xml)
        else:
            alternatives = ()
        media_type = media_type_of(spec.content_type)
        return cls(
            spec=spec,
            media_type=media_type,
            kind=None if is_wildcard(media_type) else body_kind(media_type, spec.xml is not None),
            adapter=adapter_for(spec.annotation),
            layout=object_layout(spec.annotation),
            alternatives=alternatives,
        )

    def for_content_type(self, content_type: str | None) -> BodyReader:
        """The reader of the declared media type a body with this Content-Type is: the one
        it names exactly, else a range it falls in, else this one (which then refuses it)."""
        if not self.alternatives:
            return self
        readers = (self, *self.alternatives)
        received = media_type_of(content_type)
        exact = next((r for r in readers if r.media_type == received), None)
        return exact or next((r for r in readers if r.accepts(content_type)), self)

    @property
    def declared(self) -> str:
        """The declared media types, for a 415's message."""
        return ", ".join(r.spec.content_type for r in (self, *self.alternatives))

    def accepts(self, content_type: str | None) -> bool:
        """Whether a body with this Content-Type header may be sent to the operation."""
        return media_matches(self.media_type, media_type_of(content_type))

    def is_multipart(self, content_type: str) -> bool:
        """Whether a body of this Content-Type is multipart and accepted (read with
        `read_parts` once parsed)."""
        media_type = media_type_of(content_type)
        return media_type.startswith("multipart/") and self.accepts(content_type)

    def read_parts(self, parts: Sequence[Part], problems: list[Problem]) -> Any:
        """The validated body of a parsed multipart request; None (with problems) if invalid."""
        try:
            document = gather_fields(
                [
                    (part.name, part_value(part, self.layout.field_types.get(part.name)))
                    for part in parts
                ],
                self.layout,
                self.spec,
            )
        except MalformedBody as error:
            problems.append(Problem("body", str(error), pointer=""))
            return None
        return self._validate(document, problems)

    def reads_empty(self, content_type: str) -> bool:
        """Whether an empty body of `content_type` is a value, not a missing body: an empty
        form is the empty object (a form whose fields are all left out)."""
        kind = self.kind or body_kind(media_type_of(content_type), self.spec.xml is not None)
        return kind is BodyKind.FORM and self.accepts(content_type)

    def missing(self, problems: list[Problem]) -> None:
        """Note that the request has no body: a problem when one is required."""
        if self.spec.required:
            problems.append(Problem("body", "the request body is missing", pointer=""))

    def read(self, body: bytes, content_type: str, problems: list[Problem]) -> Any:
        """The validated body; None (with problems added) when it is invalid."""
        kind = self.kind or body_kind(media_type_of(content_type), self.spec.xml is not None)
        try:
            if kind is BodyKind.JSON:
                return self._validate_json(body, problems)
            return self._validate(self._parse(kind, body, content_type), problems)
        except MalformedBody as error:
            problems.append(Problem("body", str(error), pointer=""))
            return None

    def _parse(self, kind: BodyKind, body: bytes, content_type: str) -> Any:
        if kind is BodyKind.FORM:
            return parse_urlencoded(body, self.layout, self.spec)
        if kind is BodyKind.XML and self.spec.xml is not None:
            return _xml_data(body, self.spec.xml)
        if kind is BodyKind.TEXT:
            return _decode_text(body, content_type)
        return body

    def _validate_json(self, body: bytes, problems: list[Problem]) -> Any:
        try:
            return self.adapter.validator.validate_json(body, strict=True, context=STRICT_CONTEXT)
        except ValidationError as error:
            problems.extend(_body_problems(error, _parsed_or_none(body)))
            return None

    def _validate(self, document: Any, problems: list[Problem]) -> Any:
        try:
            return self.adapter.validator.validate_python(document, context=STRICT_CONTEXT)
        except ValidationError as error:
            problems.extend(_body_problems(error, document))
            return None


def _decode_text(body: bytes, content_type: str) -> str:
    charset = parse_content_type(content_type)[1].get("charset", "utf-8")
    return decode_text(body, charset, "the body")


def _xml_data(body: bytes, shape: XmlShape) -> Any:
    from ..xml_bodies import MalformedXml, decode_xml  # only XML bodies load the codec

    try:
        return decode_xml(body, shape)
    except MalformedXml as error:
        raise MalformedBody(str(error)) from None


def _parsed_or_none(body: bytes) -> Any:
    """The body as JSON, to locate validation errors in; None when it is not JSON."""
    try:
        return from_json(body)
    except ValueError:
        return None


def _body_problems(error: ValidationError, document: Any) -> list[Problem]:
    return [
        Problem("body", message, pointer=json_pointer(path))
        for path, message in located_errors(error, document)
    ]
