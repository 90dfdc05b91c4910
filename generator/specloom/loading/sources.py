"""Reading spec documents from files and URLs into Python values, with precise errors.

Each document is read once and kept, with its text, by `Sources`; a problem
(missing file, bad UTF-8, a YAML or JSON syntax error) becomes one diagnostic
naming the file, line and column, and the document is then remembered as
unreadable so that every later reference to it fails quietly and quickly.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from specloom.diagnostics import Diagnostic, Level
from specloom.loading.yaml_rules import compose_yaml, load_yaml

if TYPE_CHECKING:
    import httpx

Fetcher = Callable[[str], bytes]
"""Fetches the body of an http(s) URL; raises `FetchError` (or `OSError`) when it cannot."""

_FETCH_TIMEOUT_SECONDS = 30.0


class FetchError(Exception):
    """A URL could not be fetched; the message says why."""


def http_fetcher(client: httpx.Client | None = None) -> Fetcher:
    """A `Fetcher` over httpx: `client` is an `httpx.Client` (a default one when None)."""

    def fetch(url: str) -> bytes:
        try:
            import httpx  # only specs that reference URLs need it
        except ImportError as exc:
            raise FetchError("reading URLs needs httpx (pip install httpx)") from exc
        try:
            if client is None:
                response = httpx.get(url, follow_redirects=True, timeout=_FETCH_TIMEOUT_SECONDS)
            else:
                response = client.get(url)
            response.raise_for_status()
        except httpx.HTTPStatusError as exc:
            raise FetchError(f"HTTP {exc.response.status_code}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(str(exc) or type(exc).__name__) from exc
        return response.content

    return fetch


@dataclass
class SourceDocument:
    """One file or URL, parsed."""

    location: str
    """An absolute path or a URL: what identifies the document and where it is read from."""
    display: str
    """How diagnostics name the document: as the user wrote it, relative to the root."""
    text: str = field(repr=False)
    content: Any = field(repr=False)
    _nodes: yaml.Node | None = field(default=None, init=False, repr=False)
    _composed: bool = field(default=False, init=False, repr=False)

    def node_tree(self) -> yaml.Node | None:
        """The YAML node tree of the text, composed on first use; None when it cannot be."""
        if not self._composed:
            self._composed = True
            try:
                self._nodes = compose_yaml(self.text)
            except (yaml.YAMLError, RecursionError):
                self._nodes = None  # e.g. JSON that YAML reads differently
        return self._nodes


@dataclass(frozen=True)
class ReadFailure:
    """Why a document could not be read; `line` is set for problems inside its text."""

    message: str
    display: str
    line: int | None = None
    column: int | None = None

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Level.ERROR, self.message, "", self.display, self.line, self.column)


class Sources:
    """Reads documents by location, each at most once, collecting diagnostics."""

    def __init__(self, fetch: Fetcher | None = None) -> None:
        self._fetch = fetch
        self._read: dict[str, SourceDocument | ReadFailure] = {}
        self.documents: dict[str, SourceDocument] = {}
        """Every document read so far, by location."""
        self.diagnostics: list[Diagnostic] = []

    def read_root(self, source: str) -> SourceDocument | None:
        """The document the user named, or None (with a diagnostic) when it cannot be read."""
        location = source if is_url(source) else os.path.abspath(source)
        document = self._get(location, source)
        if isinstance(document, ReadFailure):
            self.diagnostics.append(document.diagnostic())
            return None
        return document

    def read_referenced(self, base: SourceDocument, address: str) -> SourceDocument | str:
        """The document `address` (a `$ref` up to its `#`) names relative to `base`, or why not.

        A syntax error in the document is reported (once) as a diagnostic of its own.
        """
        location, display = _resolve_address(base, address)
        known = location in self._read
        document = self._get(location, display)
        if isinstance(document, SourceDocument):
            return document
        if document.line is None:
            return f"{document.message}: {document.display}"
        if not known:
            self.diagnostics.append(document.diagnostic())
        return f"{document.display} cannot be parsed"

    def _get(self, location: str, display: str) -> SourceDocument | ReadFailure:
        document = self._read.get(location)
        if document is None:
            document = self._parse(location, display)
            self._read[location] = document
            if isinstance(document, SourceDocument):
                self.documents[location] = document
        return document

    def _parse(self, location: str, display: str) -> SourceDocument | ReadFailure:
        data = self._read_bytes(location, display)
        if isinstance(data, ReadFailure):
            return data
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line, column = _position_in_bytes(data, exc.start)
            message = f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded"
            return ReadFailure(message, display, line, column)
        return self._parse_text(location, display, text)

    def _read_bytes(self, location: str, display: str) -> bytes | ReadFailure:
        try:
            if is_url(location):
                return (self._fetch or http_fetcher())(location)
            with open(location, "rb") as stream:
                return stream.read()
        except FileNotFoundError:
            return ReadFailure("file not found", display)
        except IsADirectoryError:
            return ReadFailure("is a directory, not a spec file", display)
        except PermissionError:
            return ReadFailure("cannot read the file: permission denied", display)
        except (OSError, FetchError) as exc:
            what = "the URL" if is_url(location) else "the file"
            return ReadFailure(f"cannot read {what}: {_reason(exc)}", display)

    def _parse_text(self, location: str, display: str, text: str) -> SourceDocument | ReadFailure:
        if _looks_like_json(location, text):
            try:
                return SourceDocument(location, display, text, json.loads(text))
            except json.JSONDecodeError as exc:
                if _path_of(location).endswith(".json"):
                    message = f"JSON syntax error: {exc.msg}"
                    return ReadFailure(message, display, exc.lineno, exc.colno)
            except RecursionError:
                return ReadFailure("the document is nested too deeply", display, 1, 1)
        try:
            content, duplicates = load_yaml(text)
        except yaml.MarkedYAMLError as exc:
            return _yaml_failure(exc, display)
        except yaml.reader.ReaderError as exc:
            line, column = _position_in_text(text, exc.position)
            message = f"YAML syntax error: character #x{exc.character:04x} is not allowed"
            return ReadFailure(message, display, line, column)
        except yaml.YAMLError as exc:
            return ReadFailure(f"YAML syntax error: {exc}", display, 1, 1)
        except RecursionError:
            return ReadFailure("the document is nested too deeply", display, 1, 1)
        for key, node in duplicates:
            self.diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    f"key {key!r} appears twice in one mapping; the later value is used",
                    file=display,
                    line=node.start_mark.line + 1,
                    column=node.start_mark.column + 1,
                )
            )
        return SourceDocument(location, display, text, content)


def _yaml_failure(exc: yaml.MarkedYAMLError, display: str) -> ReadFailure:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    if exc.problem and exc.context:
        joined = exc.problem.startswith("but ")
        message = f"{exc.context}, {exc.problem}" if joined else f"{exc.problem} ({exc.context})"
    if mark is None:
        return ReadFailure(f"YAML syntax error: {message}", display, 1, 1)
    return ReadFailure(f"YAML syntax error: {message}", display, mark.line + 1, mark.column + 1)


def is_url(location: str) -> bool:
    """Whether `location` is an http(s) URL rather than a file path."""
    return location.startswith(("http://", "https://"))


def _resolve_address(base: SourceDocument, address: str) -> tuple[str, str]:
    if is_url(address):
        return address, address
    if is_url(base.location):
        url = urljoin(base.location, address)
        return url, url
    if address.startswith("file:"):
        path = unquote(urlsplit(address).path)
        return path, path
    relative = unquote(address)
    location = os.path.normpath(os.path.join(os.path.dirname(base.location), relative))
    display = posixpath.normpath(posixpath.join(posixpath.dirname(base.display), relative))
    return location, display


def _looks_like_json(location: str, text: str) -> bool:
    return _path_of(location).endswith(".json") or text.lstrip()[:1] == "{"


def _path_of(location: str) -> str:
    return urlsplit(location).path.lower() if is_url(location) else location.lower()


def _position_in_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _position_in_text(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
