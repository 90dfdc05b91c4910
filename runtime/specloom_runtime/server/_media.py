"""Media types: parsing Content-Type headers and matching them against declared types."""

from __future__ import annotations

from functools import lru_cache


def parse_content_type(header: str | None) -> tuple[str, dict[str, str]]:
    """The lower-case media type of a Content-Type header, and its parameters."""
    if not header:
        return "", {}
    media_type, *parts = header.split(";")
    parameters: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if sep:
            parameters[key.strip().lower()] = value.strip().strip('"')
    return media_type.strip().lower(), parameters


@lru_cache(maxsize=256)
def media_type_of(header: str | None) -> str:
    """The lower-case media type of a Content-Type header, without parameters (remembered:
    a server sees the same few headers again and again)."""
    return parse_content_type(header)[0]


def is_json(media_type: str) -> bool:
    """Whether a media type is JSON: `application/json` or any `application/*+json`."""
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def is_xml(media_type: str) -> bool:
    """Whether a media type is XML: `application/xml`, `text/xml` or any `…+xml`."""
    return media_type in ("application/xml", "text/xml") or media_type.endswith("+xml")


def is_wildcard(media_type: str) -> bool:
    """Whether a declared media type is a range (`*/*`, `image/*`)."""
    return media_type.endswith("/*")


def media_matches(declared: str, received: str) -> bool:
    """Whether a received media type is acceptable for a declared one (both without parameters).

    A range matches its members; `application/json` also takes `application/*+json`.
    """
    if declared in ("*/*", received):
        return True
    if is_wildcard(declared):
        return received.startswith(declared[:-1])
    return declared == "application/json" and is_json(received)
