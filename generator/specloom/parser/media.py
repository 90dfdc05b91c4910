"""Media types: which one of a body's or response's `content` is generated, and how."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from specloom.ir.model import BodyKind


class MediaChoice(msgspec.Struct, frozen=True):
    """The media type picked from a `content` map."""

    content_type: str
    """The key as written in the spec."""
    kind: BodyKind
    media: Mapping[str, Any]
    """The Media Type Object (may be empty)."""

    @property
    def wire_content_type(self) -> str:
        """The Content-Type bodies of this entry are sent and answered with: the key, except
        that a media range (`*/*`, `application/*`) with a structured schema is JSON, since a
        range is no Content-Type a body can carry."""
        if self.kind == "json" and is_media_range(self.content_type):
            return "application/json"
        return self.content_type


def is_media_range(content_type: str) -> bool:
    """Whether a `content` key is a media range (`*/*`, `application/*`), not a media type."""
    return content_type.split(";", 1)[0].strip().endswith("/*")


def choose_media_type(content: Mapping[Any, Any]) -> MediaChoice | None:
    """The preferred entry of `content`: JSON (`application/json` or any `+json`), then form,
    multipart, XML with a structured schema, `application/octet-stream`, other binary types
    (XML with a string schema among them), `text/plain`, other text;
    None when `content` has no entry."""
    ranked = ranked_media_types(content)
    return ranked[0] if ranked else None


def ranked_media_types(content: Mapping[Any, Any]) -> list[MediaChoice]:
    """Every entry of `content`, the preferred first (in `choose_media_type`'s order), ties
    in spec order."""
    ranked: list[tuple[int, int, MediaChoice]] = []
    for index, (key, media) in enumerate(content.items()):
        if not isinstance(key, str):
            continue
        media = media if isinstance(media, dict) else {}
        rank, kind = _rank(key, media)
        ranked.append((rank, index, MediaChoice(key, kind, media)))
    return _one_per_content_type(
        [entry[2] for entry in sorted(ranked, key=lambda entry: entry[:2])]
    )


def _one_per_content_type(choices: list[MediaChoice]) -> list[MediaChoice]:
    """One entry per Content-Type on the wire: a media range read as JSON beside a declared
    `application/json` (osf.io: `application/json` without a schema, `*/*` with one) would
    give the same Content-Type two types, the second never chosen. The declared media type
    is kept (it ranks first): what it allows is what that Content-Type carries."""
    kept: dict[str, MediaChoice] = {}
    for choice in choices:
        kept.setdefault(choice.wire_content_type, choice)
    return list(kept.values())


def _rank(content_type: str, media: Mapping[str, Any]) -> tuple[int, BodyKind]:
    base = content_type.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return 0, "json"
    if base == "application/x-www-form-urlencoded":
        return 1, "form"
    if base == "multipart/form-data":
        return 2, "multipart"
    if is_xml_media_type(base) and _is_structured(media.get("schema")):
        return 3, "xml"
    if base == "application/octet-stream":
        return 4, "binary"
    if base == "text/plain":
        return 6, "text"
    if base.startswith("text/"):
        return 7, "text"
    if base in ("*/*", "application/*"):
        # Often written for JSON APIs (e.g. by Spring); JSON unless the schema says bytes.
        return 8, "binary" if _is_binary_schema(media.get("schema")) else "json"
    return 5, "binary"


def is_xml_media_type(media_type: str) -> bool:
    """Whether a media type (lower case, no parameters) is XML: `application/xml`,
    `text/xml` or `…+xml`."""
    return media_type in ("application/xml", "text/xml") or media_type.endswith("+xml")


def _is_structured(schema: object) -> bool:
    """Whether an XML body's schema describes the document's content (an object, an array,
    a reference), rather than leaving it as text (a string schema, or none)."""
    if not isinstance(schema, dict) or schema.get("type") == "string":
        return False
    return any(key in schema for key in _STRUCTURE_KEYWORDS)


_STRUCTURE_KEYWORDS = (
    "$ref",
    "type",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
)


def _is_binary_schema(schema: object) -> bool:
    if not isinstance(schema, dict):
        return schema is None
    return schema.get("type") == "string" and schema.get("format") == "binary"
