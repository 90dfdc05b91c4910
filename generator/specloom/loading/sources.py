"""Reading spec documents from files and URLs into Python values, with precise errors.

Each document is read once and kept, with its text, by `Sources`; a problem
(missing file, bad UTF-8, a YAML or JSON syntax error) becomes one diagnostic
naming the file, line and column, and the document is then remembered as
unreadable so that every later reference to it fails quietly and quickly.

Reading follows a `ReadPolicy`: a reference outside the allowed folders or
origin is refused before anything is opened, only regular files are read, and
no document is read past its size limit (nor a URL past its deadline). A
diagnostic names a document but never quotes its content.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

import msgspec
import yaml

from specloom.diagnostics import Diagnostic, Level, Note
from specloom.loading.json_text import HugeInteger, has_lone_surrogate_escape, json_int
from specloom.loading.policy import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_URL_DEADLINE_SECONDS,
    Confinement,
    ReadPolicy,
    is_url,
    root_location,
)
from specloom.loading.values import MAX_INT_DIGITS, ValueProblem, check_values
from specloom.loading.yaml_rules import compose_yaml, load_yaml

if TYPE_CHECKING:
    import httpx

Fetcher = Callable[[str], bytes]
"""Fetches the body of an http(s) URL; raises `FetchError` (or `OSError`) when it cannot."""

_READ_TIMEOUT_SECONDS = 10.0
_MAX_REDIRECTS = 5


class FetchError(Exception):
    """A URL could not be fetched; the message says why."""


def http_fetcher(
    client: httpx.Client | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    deadline_seconds: float = DEFAULT_URL_DEADLINE_SECONDS,
) -> Fetcher:
    """A `Fetcher` over httpx: `client` is an `httpx.Client` (a default one when None).

    A download stops with a `FetchError` past `max_bytes` or `deadline_seconds` (from the
    request to the last byte, whatever the pace of the server); a redirect is followed
    only within the origin of the URL asked for.
    """

    def fetch(url: str) -> bytes:
        try:
            import httpx  # only specs that reference URLs need it
        except ImportError as exc:
            raise FetchError("reading URLs needs httpx (pip install httpx)") from exc
        deadline = time.monotonic() + deadline_seconds
        timeout = httpx.Timeout(min(_READ_TIMEOUT_SECONDS, deadline_seconds))
        own = client or httpx.Client(timeout=timeout)
        try:
            return _download(own, url, max_bytes, deadline, deadline_seconds)
        except httpx.HTTPStatusError as exc:
            raise FetchError(f"HTTP {exc.response.status_code}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(str(exc) or type(exc).__name__) from exc
        finally:
            if client is None:
                own.close()

    return fetch


def _download(
    client: httpx.Client, url: str, max_bytes: int, deadline: float, seconds: float
) -> bytes:
    origin = urlsplit(url)[:2]
    for _ in range(_MAX_REDIRECTS + 1):
        with client.stream("GET", url, follow_redirects=False) as response:
            if response.is_redirect and "location" in response.headers:
                url = str(response.url.join(response.headers["location"]))
                if urlsplit(url)[:2] != origin:
                    raise FetchError(f"redirected to another origin: {url}")
                continue
            response.raise_for_status()
            return _read_body(response.iter_bytes(), max_bytes, deadline, seconds)
    raise FetchError(f"more than {_MAX_REDIRECTS} redirects")


def _read_body(chunks: Iterator[bytes], max_bytes: int, deadline: float, seconds: float) -> bytes:
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(_too_large(max_bytes))
        if time.monotonic() > deadline:
            raise FetchError(f"the download did not finish within {seconds:g} s")
    return bytes(body)


def _too_large(max_bytes: int) -> str:
    return f"larger than the limit of {max_bytes:,} bytes (see --max-document-size)"


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


class ReadFailure(msgspec.Struct, frozen=True):
    """Why a document could not be read; `line` is set for problems inside its text."""

    message: str
    display: str
    line: int | None = None
    column: int | None = None
    pointer: str = ""
    notes: tuple[Note, ...] = ()
    """Related places, e.g. where an unclosed bracket was opened."""

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            Level.ERROR,
            self.message,
            self.pointer,
            self.display,
            self.line,
            self.column,
            notes=self.notes,
        )


class Sources:
    """Reads documents by location, each at most once, collecting diagnostics."""

    def __init__(self, fetch: Fetcher | None = None, policy: ReadPolicy | None = None) -> None:
        self._policy = policy or ReadPolicy()
        self._fetch = fetch or http_fetcher(
            max_bytes=self._policy.max_document_bytes,
            deadline_seconds=self._policy.url_deadline_seconds,
        )
        self._confinement: Confinement | None = None
        self._read: dict[str, SourceDocument | ReadFailure] = {}
        self.documents: dict[str, SourceDocument] = {}
        """Every document read so far, by location."""
        self.diagnostics: list[Diagnostic] = []

    def read_root(self, source: str) -> SourceDocument | None:
        """The document the user named, or None (with a diagnostic) when it cannot be read."""
        location = root_location(source)
        if location is None:
            self.diagnostics.append(
                ReadFailure("only local file:// URLs can be read", source).diagnostic()
            )
            return None
        self._confinement = Confinement(location, self._policy)
        document = self._get(location, source)
        if isinstance(document, ReadFailure):
            self.diagnostics.append(document.diagnostic())
            return None
        return document

    def texts_read(self) -> dict[str, str] | None:
        """Every document read so far, the root first: its location -> the text read;
        None when one could not be read."""
        if any(isinstance(document, ReadFailure) for document in self._read.values()):
            return None
        return {location: document.text for location, document in self.documents.items()}

    def read_referenced(self, base: SourceDocument, address: str) -> SourceDocument | str:
        """The document `address` (a `$ref` up to its `#`) names relative to `base`, or why not.

        A syntax error in the document is reported (once) as a diagnostic of its own.
        """
        location, display = _resolve_address(base, address)
        refusal = self._confinement.refusal(location) if self._confinement else None
        if refusal is not None:
            return f"{display} is not read: {refusal}"
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
        limit = self._policy.max_document_bytes
        try:
            data = (
                self._fetch(location) if is_url(location) else _read_regular_file(location, limit)
            )
        except _Refused as exc:
            return ReadFailure(str(exc), display)
        except FileNotFoundError:
            return ReadFailure("file not found", display)
        except IsADirectoryError:
            return ReadFailure("is a directory, not a spec file", display)
        except PermissionError:
            return ReadFailure("cannot read the file: permission denied", display)
        except (OSError, FetchError) as exc:
            what = "the URL" if is_url(location) else "the file"
            return ReadFailure(f"cannot read {what}: {_reason(exc)}", display)
        if len(data) > limit:
            return ReadFailure(f"cannot read the URL: {_too_large(limit)}", display)
        return data

    def _parse_text(self, location: str, display: str, text: str) -> SourceDocument | ReadFailure:
        if _looks_like_json(location, text):
            try:
                content = json.loads(text, parse_int=json_int)
                return _checked(location, display, text, content, from_yaml=False)
            except HugeInteger:
                return _huge_integer_failure(text, display)
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
        return _checked(location, display, text, content, from_yaml=True)


def _checked(
    location: str, display: str, text: str, content: Any, *, from_yaml: bool
) -> SourceDocument | ReadFailure:
    try:
        if _may_hold_bad_values(text, from_yaml):
            check_values(content)
    except ValueProblem as problem:
        return ReadFailure(problem.message, display, pointer=problem.pointer)
    return SourceDocument(location, display, text, content)


_YAML_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
"""A YAML escape of a surrogate, short or long (YAML joins no pairs: each is lone)."""


def _may_hold_bad_values(text: str, from_yaml: bool) -> bool:
    # Aliases need YAML and an anchor (`&`, which JSON text holds in many a description
    # or URL), lone surrogates an escape: most documents have neither and skip the walk.
    # (Integers too long are refused while parsing.)
    if not from_yaml:
        return has_lone_surrogate_escape(text)
    return "&" in text or _YAML_SURROGATE_ESCAPE.search(text) is not None


def _huge_integer_failure(text: str, display: str) -> ReadFailure:
    message = f"an integer has more than {MAX_INT_DIGITS:,} digits"
    found = re.search(f"[0-9]{{{MAX_INT_DIGITS + 1},}}", text)
    if found is None:
        return ReadFailure(message, display)
    return ReadFailure(message, display, *_position_in_text(text, found.start()))


class _Refused(OSError):
    """A file that is not read: not a regular file, or larger than the limit."""


def _read_regular_file(path: str, limit: int) -> bytes:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise _Refused("not a regular file (a device, FIFO or socket): it is not read")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise _Refused(f"the file is {_too_large(limit)}")
    return data


def _yaml_failure(exc: yaml.MarkedYAMLError, display: str) -> ReadFailure:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    if exc.problem and exc.context:
        joined = exc.problem.startswith("but ")
        message = f"{exc.context}, {exc.problem}" if joined else f"{exc.problem} ({exc.context})"
    if mark is None:
        return ReadFailure(f"YAML syntax error: {message}", display, 1, 1)
    line, column = mark.line + 1, mark.column + 1
    return ReadFailure(
        f"YAML syntax error: {message}", display, line, column, notes=_began(exc, display)
    )


def _began(exc: yaml.MarkedYAMLError, display: str) -> tuple[Note, ...]:
    """Where the construct that broke began (`while parsing a flow sequence`), when that is
    elsewhere than where the parser gave up."""
    begin, end = exc.context_mark, exc.problem_mark
    if begin is None or end is None or (begin.line, begin.column) == (end.line, end.column):
        return ()
    construct = (exc.context or "").removeprefix("while parsing ").removeprefix("while scanning ")
    construct = construct.removeprefix("a ").removeprefix("an ")
    what = f"the {construct}" if construct else "it"
    return (Note(f"{what} began here", display, begin.line + 1, begin.column + 1),)


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
