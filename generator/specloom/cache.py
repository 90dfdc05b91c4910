"""Results kept between runs, under the user's cache directory, keyed by content.

A key is a hash of everything a result depends on (the input text, specloom's version and
the formatters' versions), so an entry is never stale: it is only ever found again for
the same input. Formatting a file that has not changed since the last run, validating a
path item that has not changed (`specloom.validation_cache`) or rendering a module whose
values have not changed (`specloom.render_cache`) is then a lookup. docs/cache.md says
what is kept, where, and how to clear it.

The cache lives in one SQLite file: `$SPECLOOM_CACHE_DIR`, else the platform's cache
folder (`$XDG_CACHE_HOME/specloom` or `~/.cache/specloom` on Linux). `SPECLOOM_NO_CACHE=1`
turns it off. Entries unused for 30 days are dropped, and the least recently used ones
when the file holds more than `MAX_SIZE` bytes. Any failure to read or write it
(read-only home, a locked or damaged file) only turns it off for the run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sqlite3
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

_FILE_NAME = "cache.sqlite3"
_DIST_INFO = ".dist-info"
MAX_AGE_S = 30 * 24 * 3600
"""An entry unused for this long is dropped (and a compiled-templates folder removed)."""
_BATCH = 500
_TOUCH_AFTER_S = 60
"""An entry read is marked as used then only when it was last marked this long ago: each
mark is a write to the file, synced to disk (about 1 ms of a run, for each read)."""
MAX_SIZE = 512 * 1024 * 1024
"""Above this many bytes of entries, a write drops the least recently used quarter."""


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    if os.environ.get("SPECLOOM_NO_CACHE", "") not in ("", "0"):
        return None
    return cache_root()


def cache_root() -> Path:
    """The cache folder, whether or not the cache of results is turned off (compiled
    templates are kept there either way: `specloom.render.template_cache`)."""
    explicit = os.environ.get("SPECLOOM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData/Local")
        return Path(base) / "specloom" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library/Caches/specloom"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "specloom"


def key_of(*parts: str | bytes) -> str:
    """A key for a result depending on `parts` (each kept apart from the next)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def installed_version(distribution: str) -> str:
    """The installed version of `distribution` (`-` when it is not installed), for keys:
    as its `.dist-info` folder is named, the first found along `sys.path` (as
    `importlib.metadata` finds it, without parsing its metadata: black's alone takes
    milliseconds), else as `importlib.metadata` reads it."""
    found = _dist_info_versions().get(_project_key(distribution))
    if found is not None:
        return found
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


@functools.cache
def _dist_info_versions() -> dict[str, str]:
    """Project -> version, from the `<project>-<version>.dist-info` folders of `sys.path`."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a folder gone
            continue
        for name in names:
            if name.endswith(_DIST_INFO):
                project, _, version = name[: -len(_DIST_INFO)].partition("-")
                if version:
                    versions.setdefault(_project_key(project), version)
    return versions


def _project_key(name: str) -> str:
    """A project's name as wheels write it in folder names, compared without case."""
    return re.sub(r"[-_.]+", "_", name).lower()


def packed(text: str) -> bytes:
    """`text` compressed for storing, each text on its own: a run never holds the
    serialised whole of what it stores (on Graph's 84 MB of files, 200 MB more at once)."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpacked(data: object) -> str | None:
    """The text `packed` stored as `data`; None when `data` is not such a text."""
    text = unpacked_bytes(data)
    return None if text is None else decoded(text)


def decoded(data: bytes) -> str | None:
    """The text whose UTF-8 form (lone surrogates allowed, as `packed` writes) is `data`;
    None when it is not one."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None


def unpacked_bytes(data: object) -> bytes | None:
    """The UTF-8 form of the text `packed` stored as `data`; None when `data` is not one."""
    if not isinstance(data, bytes):
        return None
    try:
        return zlib.decompress(data)
    except zlib.error:
        return None


def hash_folder(digest: Any, folder: Path, suffixes: tuple[str, ...] = ()) -> None:
    """Add every file under `folder` (of `suffixes`, when given; bytecode never), with its
    relative path, to `digest`: what a result depends on in code and templates."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape"))
        digest.update(path.read_bytes())


def hash_folders(digest: Any, folders: Iterable[Path], suffixes: tuple[str, ...] = ()) -> None:
    """`hash_folder` of each of `folders`, in order, as one digest added to `digest`; that
    digest is kept in the cache under the files' paths and identities (size, inode,
    modification and change times: any write moves the change time), so that a run
    reads and hashes specloom's 1.2 MB of code and templates only after it changed."""
    listing = [
        f"{path}\0{found.st_dev}\0{found.st_ino}\0{found.st_size}\0"
        f"{found.st_mtime_ns}\0{found.st_ctime_ns}"
        for folder in folders
        for path, found in _files_under(folder, suffixes)
    ]
    signature = key_of("folders", *suffixes, *listing)
    known = get_many(_FOLDERS_KIND, [signature]).get(signature)
    if known is None:
        inner = hashlib.sha256()
        for folder in folders:
            hash_folder(inner, folder, suffixes)
        known = inner.digest()
        put_many(_FOLDERS_KIND, {signature: known})
    digest.update(known)


_FOLDERS_KIND = "folders"


def _files_under(folder: Path, suffixes: tuple[str, ...]) -> list[tuple[str, os.stat_result]]:
    """The files `hash_folder` reads under `folder`, with what `os.stat` says of each."""
    found: list[tuple[str, os.stat_result]] = []
    for top, folders, names in os.walk(folder, followlinks=True):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            if suffixes and os.path.splitext(name)[1] not in suffixes:
                continue
            path = os.path.join(top, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            if stat.S_ISREG(status.st_mode):
                found.append((path, status))
    found.sort()
    return found


def get_many(kind: str, keys: Iterable[str]) -> dict[str, bytes]:
    """The stored values of those of `keys` that are in the cache."""
    wanted = list(dict.fromkeys(keys))
    connection = _connect()
    if connection is None or not wanted:
        return {}
    found: dict[str, bytes] = {}
    stale: list[str] = []
    now = int(time.time())
    try:
        with connection:
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, value, used FROM entries WHERE kind = ? AND key IN ({marks})",
                    [kind, *chunk],
                )
                for key, value, used in rows:
                    found[key] = bytes(value)
                    if used < now - _TOUCH_AFTER_S:
                        stale.append(key)
            if stale:  # a write, and its commit's sync to disk, only when it tells
                connection.executemany(
                    "UPDATE entries SET used = ? WHERE kind = ? AND key = ?",
                    [(now, kind, key) for key in stale],
                )
    except sqlite3.Error:
        return {}
    finally:
        connection.close()
    return found


def put_many(kind: str, values: Mapping[str, bytes]) -> None:
    """Store `values` (key -> value); drops the entries unused for a long time."""
    if not values:
        return
    connection = _connect()
    if connection is None:
        return
    now = int(time.time())
    try:
        with connection:
            connection.executemany(
                "INSERT OR REPLACE INTO entries (kind, key, value, used) VALUES (?, ?, ?, ?)",
                [(kind, key, value, now) for key, value in values.items()],
            )
            # Both through the index on `used`: a scan would read every entry's pages.
            connection.execute("DELETE FROM entries WHERE used < ?", (now - MAX_AGE_S,))
            if _size(connection) > MAX_SIZE:
                connection.execute(
                    "DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries"
                    " ORDER BY used LIMIT (SELECT count(*) / 4 + 1 FROM entries))"
                )
    except sqlite3.Error:
        pass
    finally:
        connection.close()


def _size(connection: sqlite3.Connection) -> int:
    """The bytes of the file's pages in use (freed pages are reused, not given back)."""
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    size = connection.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


def _connect() -> sqlite3.Connection | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(folder / _FILE_NAME, timeout=5)
        connection.execute("PRAGMA mmap_size = 1073741824")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL,"
            " value BLOB NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (kind, key))"
        )
        connection.execute("CREATE INDEX IF NOT EXISTS entries_by_use ON entries (used)")
    except (OSError, sqlite3.Error):
        return None
    return connection
