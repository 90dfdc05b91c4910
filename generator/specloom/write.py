"""Writing a generated tree: built whole beside the output folder, then swapped in at once.

The new tree is built in a staging folder next to the output folder: the
generated files, the manifest `MANIFEST_NAME`, and every entry of the old folder
that specloom did not write (the user's own files, carried over as hard links or
copies). Then one atomic exchange puts it in place, so a reader, or a run killed
at any instant, sees either the whole old tree or the whole new one. Leftovers
of a killed run are cleared by the next one. A run that would change nothing
changes nothing on disk: a folder that already holds exactly the files and the
manifest to write is left as it is. The old tree, once swapped out, is kept in the
cache to build the next tree from, instead of being deleted
(`specloom.writing.spare`): the next write then links and deletes only the files that
changed, not every file.

The output folder is untrusted input (it may be committed, and edited by
anyone): nothing is ever written or deleted through a symbolic link, a manifest
that specloom did not write is refused, and a file specloom did not write is never
overwritten. One run at a time writes into a folder; a second one waits.

Files are compared and written as bytes (`specloom.writing.texts`). Given digests of the
files' content, the writer keeps a record of what it wrote (`specloom.writing.written`)
and reads no file that the record shows untouched since it was written with that content.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from specloom.diagnostics import Diagnostic, error, warning
from specloom.writing import spare
from specloom.writing.carry import (
    Entry,
    carry,
    conflicts,
    default_folder_mode,
    restore_folder_modes,
    user_entries,
)
from specloom.writing.lock import folder_lock
from specloom.writing.manifest import (
    MANIFEST_NAME,
    ManifestError,
    check_inside,
    is_safe_relative,
    manifest_text,
    read_manifest,
)
from specloom.writing.swap import exchange, recover, replace_in_two_steps
from specloom.writing.texts import Pieces, pieces, same, size
from specloom.writing.written import Identity, Written, identity_of, remember, text_digest

__all__ = ["MANIFEST_NAME", "differences", "write_tree"]

Step = Callable[[str], None]
"""Called with a short description before each step that changes the disk."""

_STAGING_SUFFIX = ".specloom-staging"
_BACKUP_SUFFIX = ".specloom-previous"


def write_tree(
    out_dir: Path,
    files: Mapping[str, str],
    *,
    digests: Mapping[str, bytes] | None = None,
    on_wait: Callable[[], None] | None = None,
    step: Step | None = None,
) -> list[Diagnostic]:
    """Write `files` (relative posix path -> text) as the tree of `out_dir`; problems come
    back as values and leave `out_dir` as it was.

    `digests` (relative path -> a digest of the file's content, the same for the same
    content in every run: `result_cache.form_digest`), when given, lets the writer skip
    files it finds as it last wrote them, and record what it writes. `on_wait` is called
    when another run holds the folder and this one waits for it; `step` sees every
    disk-changing step (tests interrupt the write with it).
    """
    problems = [
        error(f"refusing to write outside the output folder: {p!r}")
        for p in files
        if not is_safe_relative(p)
    ]
    if problems:
        return problems
    out_dir = Path(os.path.abspath(out_dir))
    if out_dir.is_symlink():
        return [error(f"output folder {out_dir} is a symbolic link; pass the folder it names")]
    if out_dir.exists() and not out_dir.is_dir():
        return [error(f"output path {out_dir} exists and is not a folder")]
    if _holds_working_folder(out_dir):
        return [
            error(
                f"output folder {out_dir} holds the current folder: it is replaced as a whole, "
                "which would leave this shell in a deleted folder; run from outside it"
            )
        ]
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with folder_lock(out_dir.parent, on_wait or (lambda: None)):
            return _write_locked(out_dir, files, digests, step or (lambda _: None))
    except OSError as exc:
        return [error(f"could not write {out_dir}: {exc}")]


def differences(
    out_dir: Path, files: Mapping[str, str], digests: Mapping[str, bytes] | None = None
) -> list[str]:
    """Relative paths whose content on disk differs from `files` (missing, changed or stale).

    A file reached through a symbolic link counts as changed; an untrustworthy manifest
    lists nothing stale. With `digests` (as `write_tree` takes them), a file the folder's
    record shows untouched since it was written with that content is not read.
    """
    try:
        previous = read_manifest(out_dir)
    except ManifestError:
        previous = frozenset()
    own = _OwnTexts(out_dir, files, b"", digests)
    changed = [p for p in files if not own.holds(p)]
    stale = [p for p in previous if p not in files]
    return sorted(changed + stale)


def _write_locked(
    out_dir: Path, files: Mapping[str, str], digests: Mapping[str, bytes] | None, step: Step
) -> list[Diagnostic]:
    _clear_leftovers(out_dir)
    carried: list[Entry] = []
    manifest = manifest_text(files).encode("utf-8")
    if digests is not None:
        digests = {**digests, MANIFEST_NAME: text_digest(manifest)}
    own = _OwnTexts(out_dir, files, manifest, digests)  # what it finds unchanged: not read again
    if out_dir.exists():
        manifest_held = own.as_recorded(MANIFEST_NAME)
        if manifest_held and all(own.holds(path) for path in files):
            own.record_if_new()  # the manifest, as written, lists exactly `files`
            return []
        try:
            if manifest_held:  # as written, it lists `files`: not read again
                previous = frozenset(files)
                # A file as written is where it was, no link on the way: not looked at.
                check_inside(out_dir, own.not_recorded(files))
            else:
                previous = read_manifest(out_dir)
        except ManifestError as exc:
            return [error(str(exc))]
        if _holds_exactly(own, files, previous):
            own.record_if_new()
            return []
        carried = user_entries(out_dir, previous)
        in_the_way = sorted(conflicts(carried, set(files)))
        if in_the_way:
            listing = ", ".join(in_the_way[:5]) + (" ..." if len(in_the_way) > 5 else "")
            return [
                error(
                    f"refusing to overwrite files specloom did not write in {out_dir}: "
                    f"{listing}; choose another --out folder or remove them"
                )
            ]
    staging, present = _staging(out_dir, files)
    swapped = False
    try:
        unchanged = _build(staging, out_dir, own, files, manifest, carried, present, step)
        step("swap")
        swapped = _swap(staging, out_dir)
    finally:
        step("remove the old tree")
        kept = swapped and spare.keep(staging, out_dir, (e.relative for e in carried))
        left = None if kept else _remove_tree(staging)
    # Only now: the old tree's links, removed, changed the files' change times; the files
    # of a spare kept as they were are as `lstat` found them.
    own.record(unchanged if kept else None)
    if left is None:
        return []
    # The new tree is in place; only the old one could not be deleted (an immutable file?).
    return [warning(f"{staging} could not be removed entirely ({left}); delete it by hand")]


def _staging(out_dir: Path, files: Mapping[str, str]) -> tuple[Path, dict[str, os.stat_result]]:
    """A staging folder beside `out_dir` and the regular files it holds: the output
    folder's spare tree (`specloom.writing.spare`) cleared for `files`, or, when there is
    none or it cannot be cleared (then it is removed), a new empty folder."""
    staging = _new_staging(out_dir)
    if spare.take(out_dir, staging):
        try:
            return staging, spare.cleared(staging, files)
        except OSError:
            _remove_tree(staging)  # what is left, if anything, the next run clears
            staging = _new_staging(out_dir)
    return staging, {}


def _new_staging(out_dir: Path) -> Path:
    return Path(
        tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=_STAGING_SUFFIX, dir=out_dir.parent)
    )


def _build(
    staging: Path,
    out_dir: Path,
    own: _OwnTexts,
    files: Mapping[str, str],
    manifest: bytes,
    carried: list[Entry],
    present: Mapping[str, os.stat_result],
    step: Step,
) -> dict[str, Identity]:
    """Fill `staging` with `files`, the manifest and the `carried` entries; `present`:
    the regular files it already holds (a spare tree, cleared), kept when each is the
    very file the output folder holds with its content, else replaced (never written
    into: it may be another tree's file too). The identity of each file kept."""
    # mkdtemp makes the folder private (0700): give it the mode a folder gets by default,
    # or the old output folder's own.
    mode = stat.S_IMODE(out_dir.stat().st_mode) if out_dir.exists() else default_folder_mode()
    os.chmod(staging, mode)
    folders: set[str] = set()
    unchanged: dict[str, Identity] = {}
    top = os.fspath(staging)  # paths as strings: a thousand files' pathlib objects cost
    for relative in sorted(files):
        step(f"write {relative}")
        target = os.path.join(top, relative)
        found = present.get(relative)
        if found is not None:
            if own.holds(relative) and own.is_file(relative, found):
                unchanged[relative] = identity_of(found)
                continue
            os.unlink(target)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if not own.holds(relative) or not _linked_to_previous(out_dir, relative, target):
            with open(target, "wb") as file:
                file.writelines(own.content(relative))
    step(f"write {MANIFEST_NAME}")
    (staging / MANIFEST_NAME).write_bytes(manifest)
    for entry in carried:
        carry(entry, out_dir, staging, step)
    restore_folder_modes(carried, staging)
    return unchanged


def _holds_exactly(own: _OwnTexts, files: Mapping[str, str], previous: frozenset[str]) -> bool:
    """Whether the output folder, whose manifest lists `previous`, already holds exactly
    what writing `files` would put there: the same manifest text and the same text in
    every file, none reached through a symbolic link."""
    if previous != set(files):
        return False
    # Every file compared, not up to the first that differs: those that hold their text
    # are linked, not read again, when the new folder is built.
    held = [own.holds(path) for path in files]
    return own.holds(MANIFEST_NAME) and all(held)


def _linked_to_previous(out_dir: Path, relative: str, target: str) -> bool:
    """Link `target` to the same file of the previous output, whose text is unchanged: the
    file is then not rewritten (it keeps its time stamps, so tools that look at them see
    only the files that changed). False when it cannot be, and the file must be written."""
    previous = os.path.join(out_dir, relative)
    try:
        os.link(previous, target, follow_symlinks=False)
    except OSError:  # a file system without hard links
        return False
    return True


def _swap(staging: Path, out_dir: Path) -> bool:
    """Put `staging` in place of `out_dir`; afterwards `staging` holds the old tree, if
    there was one (then True)."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return False
    if not exchange(staging, out_dir):
        backup = _backup_of(out_dir)
        replace_in_two_steps(staging, out_dir, backup)
        os.rename(backup, staging)
    return True


def _clear_leftovers(out_dir: Path) -> None:
    """Remove what a killed run left beside `out_dir` (its staging folder, or the old tree)."""
    recover(out_dir, _backup_of(out_dir))
    pattern = re.compile(re.escape(f".{out_dir.name}.") + r"[A-Za-z0-9_]+" + _STAGING_SUFFIX)
    for candidate in out_dir.parent.iterdir():
        if pattern.fullmatch(candidate.name) and not candidate.is_symlink() and candidate.is_dir():
            _remove_tree(candidate)


def _holds_working_folder(out_dir: Path) -> bool:
    if not out_dir.is_dir():
        return False
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the working folder is gone
        return False
    top = os.path.realpath(out_dir)
    return os.path.commonpath([here, top]) == top


def _remove_tree(top: Path) -> str | None:
    """Delete a tree of ours, read-only folders included, never following a link; what
    could not be deleted, if anything."""
    shutil.rmtree(top, ignore_errors=True)
    if not os.path.lexists(top):
        return None
    # A folder it could not empty may be read-only (a user's, carried over): made
    # writable, then removed again.
    for folder, names, _ in os.walk(top):
        for name in names:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(top, ignore_errors=True)
    if not os.path.lexists(top):
        return None
    remaining = [os.path.join(f, n) for f, _, names in os.walk(top) for n in names]
    return f"{len(remaining)} files remain, such as {remaining[0]}" if remaining else "a folder"


def _backup_of(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}{_BACKUP_SUFFIX}")


class _OwnTexts:
    """Which files under one folder hold what is to be written there (`files`, and the
    manifest), none reached through a symbolic link: each folder on the way is resolved
    once, not once for every file in it; a file the folder's record shows untouched since
    it was written with the same content (`specloom.writing.written`) is not read."""

    def __init__(
        self,
        out_dir: Path,
        files: Mapping[str, str],
        manifest: bytes,
        digests: Mapping[str, bytes] | None = None,
    ) -> None:
        self._top = os.path.realpath(out_dir)
        self._files = files
        self._manifest = manifest
        self._digests = digests
        self._record = Written.of(self._top) if digests is not None else None
        self._plain_folders: dict[str, bool] = {}
        self._held: dict[str, bool] = {}
        self._recorded: set[str] = set()
        self._differing: dict[str, Pieces] = {}
        self._read_any = False

    def holds(self, relative: str) -> bool:
        """Whether `relative` holds its content (checked once: a file is not read again
        when the new folder is built after checking it)."""
        held = self._held.get(relative)
        if held is None:
            if self.as_recorded(relative):
                held = True
                self._recorded.add(relative)
            else:
                self._read_any = True
                expected = self._expected(relative)
                data = self._data(relative, size(expected))
                held = data is not None and same(data, expected)
                if not held:
                    self._differing[relative] = expected
            self._held[relative] = held
        return held

    def is_file(self, relative: str, found: os.stat_result) -> bool:
        """Whether `found` (what `lstat` says of a file) is the file `relative` of the
        folder, which the record shows untouched since written (as `holds` found it)."""
        if relative not in self._recorded or self._record is None:
            return False
        return self._record.is_file(relative, found.st_dev, found.st_ino)

    def not_recorded(self, relatives: Iterable[str]) -> list[str]:
        """Those of `relatives` the record does not show untouched since written (each
        compared as `holds` compares it, once)."""
        return [r for r in relatives if not self.holds(r) or r not in self._recorded]

    def content(self, relative: str) -> Pieces:
        """What `relative` is to hold (got once, when it was compared)."""
        return self._differing.pop(relative, None) or self._expected(relative)

    def as_recorded(self, relative: str) -> bool:
        """Whether the record shows `relative` untouched since it was written with the
        content it is to hold."""
        if self._record is None or self._digests is None or self._path(relative) is None:
            return False
        return self._record.holds(relative, self._digests[relative])

    def record(self, known: Mapping[str, Identity] | None = None) -> None:
        """Record what the folder now holds (when the files' digests are known); `known`:
        the identity of files known unchanged since looked at."""
        if self._digests is not None:
            remember(self._top, self._digests, known)

    def record_if_new(self) -> None:
        """`record`, unless the record already shows every file as it is."""
        if self._record is None or self._digests is None:
            return
        if self._read_any or not self._record.covers(self._digests):
            self.record()

    def _expected(self, relative: str) -> Pieces:
        return (self._manifest,) if relative == MANIFEST_NAME else pieces(self._files, relative)

    def _path(self, relative: str) -> str | None:
        """The path of `relative`, or None when a folder on the way is a symbolic link."""
        path = os.path.join(self._top, relative)
        folder = os.path.dirname(path)
        plain = self._plain_folders.get(folder)
        if plain is None:
            plain = os.path.realpath(folder) == os.path.normpath(folder)
            self._plain_folders[folder] = plain
        return path if plain else None

    def _data(self, relative: str, size: int) -> bytes | None:
        """The bytes of `relative`, or None when it is missing, unreadable, not a regular
        file (a symbolic link, say), or not of `size` bytes (then not read: another
        content, as a patched `openapi.json` of 11 MB is)."""
        path = self._path(relative)
        if path is None:
            return None
        try:
            found = os.lstat(path)
            if not stat.S_ISREG(found.st_mode) or found.st_size != size:
                return None
            with open(path, "rb") as file:
                return file.read()
        except OSError:
            return None
