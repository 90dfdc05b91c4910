"""A whole generation reused when nothing it depends on has changed since an earlier run.

Most runs in CI regenerate from a spec that did not change. Such a run's files and
diagnostics are those of the last run with the same inputs, so they are kept in the cache
(`specloom.cache`) under a hash of everything they depend on: the spec file's bytes, the
way it was named on the command line, the options and the read policy, whether it was
validated, the `OPENAPI_*` variables the validator reads, specloom's own files (code and
templates), the runtime it vendors and the versions of the libraries that shape the
output. Each other file the spec's references read is checked against the hash it had
then. A run that finds its entry loads, validates, parses, renders and formats nothing.

`specloom validate` keeps its findings the same way (`Reuse.of_check`, no files), when
the spec is valid.

Not reused: a spec read from a URL, a spec whose references read a URL or failed to read
a file, a custom template folder (it may change without specloom knowing), and any run
that did not produce files or found the spec invalid (errors are found again, in full).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import msgspec
from msgspec.structs import asdict

from specloom import cache
from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic, Level, Note
from specloom.loading.policy import ReadPolicy, is_url, root_location
from specloom.writing.texts import EncodedTexts, Pieces

__all__ = [
    "Packed",
    "Reuse",
    "StoredFile",
    "StoredTexts",
    "form_digest",
    "packed_result",
    "replaced",
    "stored_bytes",
    "with_replacements",
]

_KIND = "result"
_DISTRIBUTIONS = (
    "black",
    "jinja2",
    "jsonschema",
    "jsonschema-path",
    "jsonschema-rs",
    "markupsafe",
    "openapi-schema-validator",
    "openapi-spec-validator",
    "pyyaml",
    "ruff",
)
"""Libraries whose version can change the files or the findings."""
_MARSHAL = 4
"""The format of stored entries: `marshal`, as Python's own bytecode cache (read by the same
Python only: its version is part of every key), several times faster to read than JSON;
each file's text compressed on its own (`cache.packed`)."""
_VALIDATOR_VARIABLES = ("openapi_",)
"""Prefixes (any case) of the environment variables the validating libraries read."""


class Stored(msgspec.Struct, frozen=True):
    """The result of an earlier run with the same inputs; `digests` are its files'
    `form_digest`s (None when the result is not stored)."""

    files: Mapping[str, str]
    diagnostics: list[Diagnostic]
    digests: dict[str, bytes] | None = None


class Reuse:
    """The cache entry of one run: what an earlier run stored under it, and a way to store."""

    def __init__(
        self,
        key: str | None,
        spec: tuple[str, str] | None = None,
        lineage: str | None = None,
        text: str | None = None,
    ) -> None:
        self.key = key
        self._spec = spec
        """The spec file's location and the hash of the text the key was made from."""
        self.lineage = lineage
        """The key shared by every run of this spec file with these options, whatever its
        text says: where the last one's record is kept (`specloom.doc_edits`)."""
        self.spec_text = text
        """The spec file's text the key was made from."""

    @classmethod
    def of(
        cls,
        source: str | os.PathLike[str],
        config: GenerateConfig,
        *,
        skip_validation: bool,
        policy: ReadPolicy | None,
    ) -> Reuse:
        """The entry of a run with these inputs (one that stores nothing when a result
        cannot be reused: caching off, a URL, custom templates, an unreadable file)."""
        if config.templates is not None:
            return cls(None)
        return cls._of(source, repr(config), f"skip_validation={skip_validation}", policy)

    @classmethod
    def of_check(
        cls, source: str | os.PathLike[str], *, strict: bool, policy: ReadPolicy | None
    ) -> Reuse:
        """The entry of `specloom validate`'s check of `source` (its findings, no files)."""
        return cls._of(source, "check", f"strict={strict}", policy)

    @classmethod
    def _of(
        cls, source: str | os.PathLike[str], what: str, how: str, policy: ReadPolicy | None
    ) -> Reuse:
        given = os.fspath(source)
        if cache.cache_dir() is None:
            return cls(None)
        location = _local_location(given)
        if location is None:
            return cls(None)
        spec_bytes = _read(location)
        if spec_bytes is None:
            return cls(None)
        text = _text(spec_bytes)
        if text is None:
            return cls(None)
        inputs = (
            _fingerprint(),
            what,
            repr(policy or ReadPolicy()),
            how,
            _validator_variables(),
            given,
            location,
        )
        # The text's digest is that of the file's bytes unless they begin with a byte
        # order mark (UTF-8 read strictly encodes back to the same bytes): hashed once.
        digest = _digest(text) if spec_bytes.startswith(_BOM) else _digest_of(spec_bytes)
        return cls(
            cache.key_of(*inputs, digest),
            (location, digest),
            cache.key_of(*inputs),
            text,
        )

    def stored(self) -> Stored | None:
        """What the last run with the same inputs produced; None when nothing is stored,
        the entry cannot be read, or a file its references read has changed."""
        if self.key is None:
            return None
        entry = _entry(self.key)
        if entry is None:
            return None
        read, packed_files, diagnostics, digests = entry[:4]
        if any(_current_digest(location) != digest for location, digest in read.items()):
            return None
        # Decompressed only when asked for: a file the output folder holds is not.
        return Stored(StoredTexts(packed_files), diagnostics, digests)

    def keep_packed(
        self,
        packed_files: dict[str, StoredFile],
        found: list[Diagnostic],
        earlier: Packed | None = None,
    ) -> dict[str, bytes] | None:
        """Store the result of a run that read nothing but the spec file, its files as
        `StoredTexts` reads them; the files' `form_digest`s, None when there is no entry
        to store it in. A file kept as `earlier` (the result it was patched from) kept
        it, the same object, has the digest stored with it there."""
        if self.key is None:
            return None
        return _put(self.key, {}, packed_files, found, earlier)

    def keep(
        self, files: dict[str, str], found: list[Diagnostic], read: Mapping[str, str] | None
    ) -> dict[str, bytes] | None:
        """Store a run's result; `read` is every location its loading read (the spec file
        first) with the text it read there, None when one could not be read. The files'
        `form_digest`s when it was stored (not when it cannot be reused)."""
        if self.key is None or self._spec is None or not read:
            return None
        if any(is_url(location) for location in read):
            return None
        digests = {location: _digest(text) for location, text in read.items()}
        (spec_location, spec_digest), *others = digests.items()
        if (spec_location, spec_digest) != self._spec:
            return None  # the spec was edited while this run read it: the key is not its text's
        packed_files = {path: cache.packed(text) for path, text in files.items()}
        return _put(self.key, dict(others), packed_files, found)


def _put(
    key: str,
    read: dict[str, str],
    packed_files: Mapping[str, StoredFile],
    found: list[Diagnostic],
    earlier: Packed | None = None,
) -> dict[str, bytes]:
    """Store an entry; the files' `form_digest`s (stored with it: they tell a damaged
    file without decompressing it), those of the files `earlier` holds as they are taken
    from it."""
    if earlier is None:
        digests = _form_digests(packed_files)
    else:
        digests = {
            path: earlier.digests[path]
            if earlier.files.get(path) is value and path in earlier.digests
            else form_digest(value)
            for path, value in packed_files.items()
        }
        own = None if read else _own_files(packed_files, earlier.base_files)
        if own is not None:  # kept as what differs from the whole entry `earlier` is kept in
            patched = (_PATCHED, earlier.base, own, [_plain(d) for d in found], digests)
            cache.put_many(_KIND, {key: marshal.dumps(patched, _MARSHAL)})
            return digests
    entry = (read, dict(packed_files), [_plain(d) for d in found], digests)
    cache.put_many(_KIND, {key: marshal.dumps(entry, _MARSHAL)})
    return digests


def _own_files(
    packed_files: Mapping[str, StoredFile], base_files: Mapping[str, StoredFile]
) -> dict[str, Any] | None:
    """The files of `packed_files` that are not `base_files`' own (the same objects): each
    as stored, or `(None, replacements)` when it is the base's form of it with more
    replacements; None when the two do not hold the same files."""
    if packed_files.keys() != base_files.keys():
        return None
    own: dict[str, Any] = {}
    for path, value in packed_files.items():
        original = base_files[path]
        if value is original:
            continue
        base, made = (original, []) if isinstance(original, bytes) else original
        if isinstance(value, tuple) and value[0] is base and value[1][: len(made)] == made:
            own[path] = (None, value[1][len(made) :])
        else:
            own[path] = value
    return own


StoredFile = bytes | tuple[bytes, list[tuple[int, int, bytes]]]
"""A generated file as stored: its text compressed (`cache.packed`), or an earlier text
compressed with the replacements that make it this one, in order (the bytes from `start`
to `end` of its UTF-8 form, and what replaces them): a run that changes a few lines of a
large file stores them alone (`specloom.doc_edits`)."""


class StoredTexts(EncodedTexts):
    """Files as stored (`StoredFile`), decompressed when their text is asked for; `plain`
    gives some files' UTF-8 form as it is at hand."""

    def __init__(
        self, stored: Mapping[str, StoredFile], plain: Mapping[str, bytes | Pieces] | None = None
    ) -> None:
        self._stored = stored
        self._plain = plain or {}

    def encoded(self, relative: str) -> bytes:
        known = self._plain.get(relative)
        if known is not None:
            return known if isinstance(known, bytes) else b"".join(known)
        data = stored_bytes(self._stored[relative])
        if data is None:  # its digest matched when read: an entry written wrong, a bug
            raise RuntimeError(
                f"the cached text of {relative} cannot be read; run again with "
                "SPECLOOM_NO_CACHE=1 and clear the cache (docs/cache.md)"
            )
        return data

    def pieces(self, relative: str) -> Pieces:
        known = self._plain.get(relative)
        return known if isinstance(known, tuple) else (self.encoded(relative),)

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)

    def __contains__(self, relative: object) -> bool:
        return relative in self._stored


def form_digest(value: StoredFile) -> bytes:
    """A digest of a file as stored: the same stored form, the same text (the writer's
    record of an output folder, `specloom.writing.written`, keeps it). Not `marshal`'s
    bytes: they depend on which objects are shared, not only on the values."""
    digest = hashlib.blake2b(digest_size=16)
    base, replacements = (value, []) if isinstance(value, bytes) else value
    digest.update(len(base).to_bytes(8, "little"))
    digest.update(base)
    for start, end, new in replacements:
        for number in (start, end, len(new)):
            digest.update(number.to_bytes(8, "little"))
        digest.update(new)
    return digest.digest()


def _form_digests(stored: Mapping[str, StoredFile]) -> dict[str, bytes]:
    return {path: form_digest(value) for path, value in stored.items()}


def _is_stored_file(value: object) -> bool:
    if isinstance(value, bytes):
        return True
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], bytes)
        and isinstance(value[1], list)
    )


def stored_bytes(value: object) -> bytes | None:
    """The UTF-8 form of the text of a `StoredFile`; None when `value` is not one."""
    if isinstance(value, bytes):
        return cache.unpacked_bytes(value)
    if not isinstance(value, tuple) or len(value) != 2 or not isinstance(value[1], list):
        return None
    data = cache.unpacked_bytes(value[0])
    if data is None:
        return None
    try:
        return replaced_in_turn(data, value[1])
    except (TypeError, ValueError):
        return None


def replaced(data: bytes, start: int, end: int, new: bytes) -> bytes:
    """`data` with the bytes from `start` to `end` replaced by `new`, copied once (a large
    file's halves are not copied on their own first)."""
    return b"".join(spliced(data, start, end, new))


def spliced(data: bytes, start: int, end: int, new: bytes) -> Pieces:
    """`replaced`, in pieces: not copied."""
    view = memoryview(data)
    return (view[:start], new, view[end:])


def replaced_in_turn(data: bytes, replacements: Iterable[tuple[int, int, bytes]]) -> bytes:
    """`data` with each of `replacements` made in turn (each placed in the bytes the ones
    before it made), copied once: a file patched a hundred times is not copied a hundred
    times. ValueError when one is not placed inside those bytes, or is not bytes."""
    pieces: list[bytes | memoryview] = [memoryview(data)]
    size = len(data)
    for start, end, new in replacements:
        if not isinstance(new, bytes) or not 0 <= start <= end <= size:
            raise ValueError(f"replacement of {start}:{end} in {size} bytes")
        first = _split_at(pieces, start)
        last = _split_at(pieces, end)
        pieces[first:last] = [new]
        size += len(new) - (end - start)
    return b"".join(pieces)


def _split_at(pieces: list[bytes | memoryview], offset: int) -> int:
    """The index of the piece that starts at `offset`, splitting the piece around it."""
    at = 0
    for index, piece in enumerate(pieces):
        if at == offset:
            return index
        if offset < at + len(piece):
            view = memoryview(piece)
            pieces[index : index + 1] = [view[: offset - at], view[offset - at :]]
            return index + 1
        at += len(piece)
    return len(pieces)


def with_replacements(value: StoredFile, replacements: list[tuple[int, int, bytes]]) -> StoredFile:
    """The `StoredFile` of `value`'s text with `replacements` made in it, in order."""
    if isinstance(value, bytes):
        return value, replacements
    return value[0], [*value[1], *replacements]


def packed_result(key: str) -> Packed | None:
    """The result stored under `key` by a run that read no file but its spec; None when
    there is no such entry."""
    entry = _entry(key)
    return None if entry is None or entry.read else entry


class Packed(NamedTuple):
    """A stored result, its files compressed (checked against their digests when read)."""

    read: dict[str, str]
    """The digest of each other file the run read."""
    files: dict[str, StoredFile]
    diagnostics: list[Diagnostic]
    digests: dict[str, bytes]
    """The files' `form_digest`s."""
    base: str
    """The key of the whole entry its files are kept in (its own, when it is one)."""
    base_files: dict[str, StoredFile]
    """The files as that entry keeps them."""


def _entry(key: str) -> Packed | None:
    """What is stored under `key`; None when nothing is, or what is cannot be read (a
    file whose form does not have the digest stored with it included, a patched entry
    whose base is gone)."""
    data = cache.get_many(_KIND, [key]).get(key)
    if data is None:
        return None
    try:
        loaded = marshal.loads(data)
        if len(loaded) == 5 and loaded[0] == _PATCHED:
            return _patched_entry(*loaded[1:])
        read, packed_files, found, digests = loaded
        diagnostics = [_diagnostic(d) for d in found]
    except (ValueError, EOFError, TypeError, KeyError, AttributeError):
        return None
    if not isinstance(read, dict) or not isinstance(packed_files, dict):
        return None
    if not all(map(_is_stored_file, packed_files.values())):
        return None
    if _form_digests(packed_files) != digests:
        return None
    return Packed(read, packed_files, diagnostics, digests, key, packed_files)


def _patched_entry(base_key: str, own: Any, found: Any, digests: Any) -> Packed | None:
    """A patched result: the files of the whole entry `base_key` but those it keeps
    itself (`own`: a file as stored, or `(None, replacements)` made in the base's form of
    it); None when that entry is gone or the files do not have their digests."""
    base = _entry(base_key)
    if base is None or base.read or base.base != base_key or not isinstance(own, dict):
        return None
    files = dict(base.files)
    for path, value in own.items():
        if path not in files:
            return None
        if isinstance(value, tuple) and len(value) == 2 and value[0] is None:
            value = with_replacements(files[path], value[1])
        if not _is_stored_file(value):
            return None
        files[path] = value
    if not isinstance(digests, dict) or digests.keys() != files.keys():
        return None
    for path in files:
        known = form_digest(files[path]) if path in own else base.digests.get(path)
        if known != digests[path]:
            return None
    diagnostics = [_diagnostic(d) for d in found]
    return Packed({}, files, diagnostics, digests, base_key, base.files)


_PATCHED = "patched"
"""The mark of a stored result kept as the files that differ from another one's."""


def _local_location(given: str) -> str | None:
    """The absolute path of a spec named by a path or a local file:// URL; None for a URL."""
    location = root_location(given)
    return None if location is None or is_url(location) else location


def _read(location: str) -> bytes | None:
    try:
        with open(location, "rb") as file:
            return file.read()
    except OSError:
        return None


def _current_digest(location: str) -> str | None:
    """The hash of the text `location` holds now, as loading would read it."""
    data = _read(location)
    return None if data is None else _text_digest(data)


def _text_digest(data: bytes) -> str | None:
    """The `_digest` of the text loading reads from `data`; None when it reads none."""
    text = _text(data)
    return None if text is None else _digest(text)


def _text(data: bytes) -> str | None:
    """The text loading reads from `data`; None when it reads none."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _digest(text: str) -> str:
    return _digest_of(text.encode("utf-8", "surrogatepass"))


def _digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_BOM = codecs.BOM_UTF8


def _validator_variables() -> str:
    return repr(
        sorted(
            (name, value)
            for name, value in os.environ.items()
            if name.lower().startswith(_VALIDATOR_VARIABLES)
        )
    )


def _plain(diagnostic: Diagnostic) -> dict[str, Any]:
    """`diagnostic` as values `marshal` writes (its level by name)."""
    notes = tuple(asdict(note) for note in diagnostic.notes)
    return {**asdict(diagnostic), "level": diagnostic.level.value, "notes": notes}


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    notes = tuple(Note(**note) for note in data["notes"])
    return Diagnostic(**{**data, "level": Level(data["level"]), "notes": notes})


@functools.cache
def _fingerprint() -> str:
    """What generated files depend on besides their inputs: specloom's files, the runtime
    files it copies into a package, the Python version and the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    hashed: list[Path] = []
    # The templates are a package of their own: inside specloom's folder when installed,
    # elsewhere in a source checkout installed in editable mode.
    for name in ("specloom", "specloom.templates", "specloom_runtime"):
        found = importlib.util.find_spec(name)
        for location in (found.submodule_search_locations if found else None) or []:
            folder = Path(location).resolve()
            if not any(folder.is_relative_to(done) for done in hashed):
                hashed.append(folder)
    cache.hash_folders(digest, hashed)
    for distribution in _DISTRIBUTIONS:
        digest.update(f"{distribution} {cache.installed_version(distribution)}\n".encode())
    return digest.hexdigest()
