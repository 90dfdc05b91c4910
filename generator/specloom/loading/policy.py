"""What the loader may read: which files and URLs, how much, and for how long.

A spec may come from anyone, and its `$ref`s name files and URLs: by default
only files under the spec's own folder are read (for a spec read from a URL,
only URLs of the same origin), never a device, FIFO or socket, and no document
larger than `max_document_bytes`. Wider reading is always an explicit choice:
`ref_roots` adds folders, `allow_remote_refs` allows any http(s) URL.
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

import msgspec

DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
DEFAULT_URL_DEADLINE_SECONDS = 60.0


class ReadPolicy(msgspec.Struct, frozen=True):
    """Limits on what loading a spec reads."""

    ref_roots: tuple[str, ...] = ()
    """Folders, besides the spec's own, that references may read files from."""
    allow_remote_refs: bool = False
    """Whether references may name http(s) URLs of any origin."""
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    """The largest file or URL body read, in bytes."""
    url_deadline_seconds: float = DEFAULT_URL_DEADLINE_SECONDS
    """The longest one URL download may take, from request to last byte."""


def parse_size(text: str) -> int:
    """A byte count written as digits with an optional K, M or G suffix (`500K`, `64M`)."""
    found = re.fullmatch(r"([0-9]+)([KMG]?)", text.strip().upper())
    if found is None or int(found[1]) == 0:
        raise ValueError(f"not a size: {text!r} (try 1000000, 500K or 64M)")
    return int(found[1]) * {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[found[2]]


class Confinement:
    """Decides, for one spec, whether a reference may read a location."""

    def __init__(self, root_location: str, policy: ReadPolicy) -> None:
        self._policy = policy
        self._root_is_url = is_url(root_location)
        self._origin = _origin(root_location) if self._root_is_url else None
        spec_folder = None if self._root_is_url else os.path.dirname(root_location)
        folders = [spec_folder] if spec_folder is not None else []
        self._folders = [os.path.realpath(f) for f in [*folders, *policy.ref_roots]]

    def refusal(self, location: str) -> str | None:
        """Why a reference may not read `location` (a URL or absolute path), or None."""
        if is_url(location):
            if self._policy.allow_remote_refs or _origin(location) == self._origin:
                return None
            return "references to other URLs are not followed (pass --allow-remote-refs)"
        real = os.path.realpath(location)
        if any(_is_within(real, folder) for folder in self._folders):
            return None
        if self._root_is_url:
            return "a spec read from a URL refers to local files only under --allow-ref-root"
        return (
            "it is outside the spec's folder; only files there are read "
            "(pass --allow-ref-root DIR to allow another folder)"
        )


def root_location(source: str) -> str | None:
    """The absolute path or URL to read the spec the user named from; None for a file URL
    of another host."""
    if is_url(source):
        return source
    if source.startswith("file:"):
        parts = urlsplit(source)
        if parts.netloc not in ("", "localhost"):
            return None
        return os.path.abspath(unquote(parts.path))
    return os.path.abspath(source)


def is_url(location: str) -> bool:
    """Whether `location` is an http(s) URL rather than a file path."""
    return location.startswith(("http://", "https://"))


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _is_within(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder
