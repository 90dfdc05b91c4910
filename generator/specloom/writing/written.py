"""What the last run wrote into an output folder: told without reading the files again.

After writing a folder, the writer records in the cache (`specloom.cache`), for each file
it wrote, a digest of the file's content as the run had it (the form the result cache
stored it in, `result_cache.form_digest`) and the file's identity on disk, as `lstat`
gives it: device, inode, mode, size, and the times of its last modification and of its
last change. Any write to the file, a rename onto it, a new link to it, a change of mode,
moves its change time, which no program sets back (only the system clock could), so a
later run that finds the same identity, and has a file of the same digest to write, knows
the file holds it without reading it: on GitHub's spec, 1,092 files (25 MB) are neither
read nor decompressed when the spec has not changed, or changed in one description.

A file whose identity differs (a fresh checkout, an edit, a file system that reports no
change times) is read and compared as before; the record only ever saves work.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
from collections.abc import Mapping

from specloom import cache

_KIND = "written"
_MARSHAL = 4

Identity = tuple[int, int, int, int, int, int]
"""A regular file's device, inode, mode, size, modification and change times (ns)."""


class Written:
    """The record of the files the last run wrote into one folder."""

    def __init__(self, top: str, files: dict[str, tuple[bytes, Identity]]) -> None:
        self._top = top
        self._files = files

    @classmethod
    def of(cls, top: str) -> Written:
        """The record of the folder `top` (a resolved path); empty when there is none or
        the cache is off."""
        data = cache.get_many(_KIND, [_key(top)]).get(_key(top))
        files: dict[str, tuple[bytes, Identity]] = {}
        if data is not None:
            try:
                loaded = marshal.loads(data)
            except (ValueError, EOFError, TypeError):
                loaded = None
            if isinstance(loaded, dict) and all(map(_is_entry, loaded.values())):
                files = loaded
        return cls(top, files)

    def holds(self, relative: str, digest: bytes) -> bool:
        """Whether the file `relative` is, untouched, the one last written with content of
        this `digest`."""
        recorded = self._files.get(relative)
        if recorded is None or recorded[0] != digest:
            return False
        return identity(os.path.join(self._top, relative)) == recorded[1]

    def is_file(self, relative: str, device: int, inode: int) -> bool:
        """Whether the file `relative` was recorded as this device's `inode`."""
        recorded = self._files.get(relative)
        return recorded is not None and recorded[1][:2] == (device, inode)

    def covers(self, digests: Mapping[str, bytes]) -> bool:
        """Whether the record is of exactly these files with these digests (nothing to
        record again)."""
        return len(digests) == len(self._files) and all(
            self._files.get(relative, (b"",))[0] == digest for relative, digest in digests.items()
        )


def remember(
    top: str, digests: Mapping[str, bytes], known: Mapping[str, Identity] | None = None
) -> None:
    """Record that the folder `top` now holds these files, with content of these digests
    (files that are not regular files found there are left out); `known`: the identity
    of files the caller knows unchanged since it looked at them (not looked at again)."""
    files: dict[str, tuple[bytes, Identity]] = {}
    known = known or {}
    for relative, digest in digests.items():
        found = known.get(relative) or identity(os.path.join(top, relative))
        if found is not None:
            files[relative] = (digest, found)
    cache.put_many(_KIND, {_key(top): marshal.dumps(files, _MARSHAL)})


def text_digest(data: bytes) -> bytes:
    """The digest the record keeps of a file's bytes when no other one is given."""
    return hashlib.blake2b(data, digest_size=16).digest()


def identity(path: str) -> Identity | None:
    """The identity of the regular file at `path` (not followed if a link); None when it
    is not one."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return identity_of(found) if stat.S_ISREG(found.st_mode) else None


def identity_of(found: os.stat_result) -> Identity:
    """The identity of a regular file, from what `lstat` says of it."""
    return (
        found.st_dev,
        found.st_ino,
        found.st_mode,
        found.st_size,
        found.st_mtime_ns,
        found.st_ctime_ns,
    )


def _is_entry(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], bytes)
        and isinstance(value[1], tuple)
        and len(value[1]) == 6
        and all(type(part) is int for part in value[1])
    )


def _key(top: str) -> str:
    return cache.key_of("output folder", top)
