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

import functools
import hashlib
import importlib.util
import marshal
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from specloom import cache
from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic, Level, Note
from specloom.loading.policy import ReadPolicy, is_url

__all__ = ["Reuse"]

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


@dataclass(frozen=True)
class Stored:
    """The result of an earlier run with the same inputs."""

    files: dict[str, str]
    diagnostics: list[Diagnostic]


class Reuse:
    """The cache entry of one run: what an earlier run stored under it, and a way to store."""

    def __init__(self, key: str | None, spec: tuple[str, str] | None = None) -> None:
        self._key = key
        self._spec = spec
        """The spec file's location and the hash of the text the key was made from."""

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
        spec_digest = _text_digest(spec_bytes)
        if spec_digest is None:
            return cls(None)
        spec = (location, spec_digest)
        return cls(
            cache.key_of(
                _fingerprint(),
                what,
                repr(policy or ReadPolicy()),
                how,
                _validator_variables(),
                given,
                location,
                spec_bytes,
            ),
            spec,
        )

    def stored(self) -> Stored | None:
        """What the last run with the same inputs produced; None when nothing is stored,
        the entry cannot be read, or a file its references read has changed."""
        if self._key is None:
            return None
        data = cache.get_many(_KIND, [self._key]).get(self._key)
        if data is None:
            return None
        try:
            read, packed_files, found = marshal.loads(data)
            if any(_current_digest(location) != digest for location, digest in read.items()):
                return None
            files = {path: cache.unpacked(packed) for path, packed in packed_files.items()}
            diagnostics = [_diagnostic(d) for d in found]
        except (ValueError, EOFError, TypeError, KeyError, AttributeError):
            return None
        texts = {path: text for path, text in files.items() if text is not None}
        return Stored(texts, diagnostics) if len(texts) == len(files) else None

    def keep(
        self, files: dict[str, str], found: list[Diagnostic], read: Mapping[str, str] | None
    ) -> None:
        """Store a run's result; `read` is every location its loading read (the spec file
        first) with the text it read there, None when one could not be read."""
        if self._key is None or self._spec is None or not read:
            return
        if any(is_url(location) for location in read):
            return
        digests = {location: _digest(text) for location, text in read.items()}
        (spec_location, spec_digest), *others = digests.items()
        if (spec_location, spec_digest) != self._spec:
            return  # the spec was edited while this run read it: the key is not its text's
        packed_files = {path: cache.packed(text) for path, text in files.items()}
        entry = (dict(others), packed_files, [_plain(d) for d in found])
        cache.put_many(_KIND, {self._key: marshal.dumps(entry, _MARSHAL)})


def _local_location(given: str) -> str | None:
    """The absolute path of a spec named by a path or a local file:// URL; None for a URL."""
    from specloom.loading.sources import root_location

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
    try:
        return _digest(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


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
    return {**asdict(diagnostic), "level": diagnostic.level.value}


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
                cache.hash_folder(digest, folder)
                hashed.append(folder)
    for distribution in _DISTRIBUTIONS:
        digest.update(f"{distribution} {cache.installed_version(distribution)}\n".encode())
    return digest.hexdigest()
