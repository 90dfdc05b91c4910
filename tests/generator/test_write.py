"""The writer: staged, never clobbers user files, removes only its own stale files."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from writer_reads import writer_reads

from specloom.diagnostics import Diagnostic
from specloom.write import MANIFEST_NAME, Step, differences, write_tree
from specloom.writing.manifest import manifest_text
from specloom.writing.written import text_digest

FILES = {"pkg/__init__.py": "x = 1\n", "README.md": "# hi\n"}

Digests = Callable[[Mapping[str, str]], dict[str, bytes] | None]


@pytest.fixture(params=["compared", "recorded"])
def digests_of(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> Digests:
    """How a test's runs tell what the folder holds: by reading every file, or with the
    folder's record too (the files' digests given, the cache on)."""
    if request.param == "compared":
        return lambda files: None
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("SPECLOOM_NO_CACHE", raising=False)
    return lambda files: {path: text_digest(text.encode()) for path, text in files.items()}


def written(
    out: Path, files: Mapping[str, str], digests_of: Digests, step: Step | None = None
) -> list[Diagnostic]:
    return write_tree(out, files, digests=digests_of(files), step=step)


def test_writes_a_new_tree_with_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert write_tree(out, FILES) == []
    assert (out / "pkg/__init__.py").read_text() == "x = 1\n"
    assert (out / MANIFEST_NAME).is_file()
    assert not [p for p in tmp_path.iterdir() if p.name != "out"], "staging folder left behind"


def test_regenerating_replaces_own_files_removes_stale_ones_and_keeps_user_files(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write_tree(out, {**FILES, "pkg/old.py": "old\n"})
    (out / "pkg/mine.py").write_text("user code\n")
    assert write_tree(out, {"pkg/__init__.py": "x = 2\n", "README.md": "# hi\n"}) == []
    assert (out / "pkg/__init__.py").read_text() == "x = 2\n"
    assert not (out / "pkg/old.py").exists()
    assert (out / "pkg/mine.py").read_text() == "user code\n"


def test_regenerating_rewrites_only_the_files_that_changed(
    tmp_path: Path, digests_of: Digests
) -> None:
    out = tmp_path / "out"
    written(out, {**FILES, "pkg/b.py": "b = 1\n"}, digests_of)
    (out / "pkg/b.py").write_text("b = 'edited by hand'\n")
    before = {name: (out / name).stat() for name in ("README.md", "pkg/__init__.py")}
    changed_files = {**FILES, "pkg/__init__.py": "x = 2\n", "pkg/b.py": "b = 1\n"}
    assert written(out, changed_files, digests_of) == []
    unchanged, changed = (out / "README.md").stat(), (out / "pkg/__init__.py").stat()
    assert (unchanged.st_ino, unchanged.st_mtime_ns) == (
        before["README.md"].st_ino,
        before["README.md"].st_mtime_ns,
    )
    assert changed.st_ino != before["pkg/__init__.py"].st_ino
    assert (out / "pkg/__init__.py").read_text() == "x = 2\n"
    assert (out / "pkg/b.py").read_text() == "b = 1\n"  # an edited file is written again


def test_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("the user's readme\n")
    problems = write_tree(out, FILES)
    assert len(problems) == 1
    assert "README.md" in problems[0].message
    assert (out / "README.md").read_text() == "the user's readme\n"
    assert sorted(p.name for p in out.iterdir()) == ["README.md"]


@pytest.mark.parametrize("evil", ["../escape.py", "/etc/passwd", "a/../../b.py", "a\\b.py", ""])
def test_refuses_paths_outside_the_output_folder(tmp_path: Path, evil: str) -> None:
    out = tmp_path / "out"
    problems = write_tree(out, {evil: "boom\n"})
    assert problems
    assert not out.exists()
    assert not (tmp_path / "escape.py").exists()


def test_an_output_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder")
    assert write_tree(out, FILES)
    assert out.read_text() == "not a folder"


def test_differences_lists_changed_missing_and_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, {**FILES, "stale.py": "s\n"})
    assert differences(out, {**FILES, "stale.py": "s\n"}) == []
    changed = {"pkg/__init__.py": "x = 3\n", "README.md": "# hi\n", "new.py": "n\n"}
    assert differences(out, changed) == ["new.py", "pkg/__init__.py", "stale.py"]


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_tree(first, FILES)
    write_tree(second, dict(reversed(list(FILES.items()))))
    for name in [*FILES, MANIFEST_NAME]:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def _never(description: str) -> None:
    raise AssertionError(f"a run with nothing to change took a step: {description}")


def test_writing_the_same_files_again_changes_nothing_on_disk(
    tmp_path: Path, digests_of: Digests
) -> None:
    out = tmp_path / "out"
    assert written(out, FILES, digests_of) == []
    (out / "mine.txt").write_text("the user's\n")
    names = [*FILES, MANIFEST_NAME, "mine.txt"]
    before = {name: (out / name).stat().st_mtime_ns for name in names}
    inode = os.stat(out).st_ino
    assert written(out, dict(reversed(list(FILES.items()))), digests_of, step=_never) == []
    assert os.stat(out).st_ino == inode
    assert {name: (out / name).stat().st_mtime_ns for name in names} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "staging folder created"


USERS_COPY = "users-copy.md"


def _change_a_file(out: Path, tmp_path: Path) -> dict[str, str]:
    return {**FILES, "pkg/__init__.py": "x = 2\n"}


def _edit_a_file_by_hand(out: Path, tmp_path: Path) -> dict[str, str]:
    (out / "README.md").write_text("# edited\n")
    return FILES


def _add_a_file(out: Path, tmp_path: Path) -> dict[str, str]:
    return {**FILES, "pkg/new.py": "new\n"}


def _remove_a_file(out: Path, tmp_path: Path) -> dict[str, str]:
    files = {**FILES, "stale.py": "s\n"}
    assert write_tree(out, files) == []  # now stale.py is in the manifest
    return FILES


def _replace_a_file_by_a_link(out: Path, tmp_path: Path) -> dict[str, str]:
    (out / USERS_COPY).write_text(FILES["README.md"])  # same text, reached through the link
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(USERS_COPY)
    return FILES


def _edit_the_manifest_by_hand(out: Path, tmp_path: Path) -> dict[str, str]:
    (out / MANIFEST_NAME).write_text(json.dumps({"files": sorted(FILES)}))  # same list
    return FILES


@pytest.mark.parametrize(
    "change",
    [
        _change_a_file,
        _edit_a_file_by_hand,
        _add_a_file,
        _remove_a_file,
        _replace_a_file_by_a_link,
        _edit_the_manifest_by_hand,
    ],
)
def test_any_difference_still_writes_the_whole_tree(
    tmp_path: Path, change: Callable[[Path, Path], dict[str, str]], digests_of: Digests
) -> None:
    out = tmp_path / "out"
    assert written(out, FILES, digests_of) == []
    files = change(out, tmp_path)
    steps: list[str] = []
    assert written(out, files, digests_of, step=steps.append) == []
    assert "swap" in steps
    on_disk = {
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_symlink() or not path.is_dir()
    }
    assert on_disk - {USERS_COPY} == {*files, MANIFEST_NAME}
    for relative, text in files.items():
        assert not (out / relative).is_symlink()
        assert (out / relative).read_text() == text
    assert (out / MANIFEST_NAME).read_text() == manifest_text(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "staging folder left behind"
    if (out / USERS_COPY).exists():
        assert (out / USERS_COPY).read_text() == FILES["README.md"]


@pytest.mark.parametrize(
    "manifest",
    ["not json", json.dumps({"files": [*FILES, "../escape.py"]}), json.dumps({"files": {}})],
)
def test_a_bad_manifest_is_still_refused_when_nothing_else_changed(
    tmp_path: Path, manifest: str, digests_of: Digests
) -> None:
    out = tmp_path / "out"
    assert written(out, FILES, digests_of) == []
    (out / MANIFEST_NAME).write_text(manifest)
    problems = written(out, FILES, digests_of, step=_never)
    assert len(problems) == 1
    assert MANIFEST_NAME in problems[0].message
    assert (out / MANIFEST_NAME).read_text() == manifest
    assert all((out / name).read_text() == text for name, text in FILES.items())


def test_a_folder_as_last_written_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = _record_on(monkeypatch, tmp_path)
    out = tmp_path / "out"
    changed = {**FILES, "pkg/__init__.py": "x = 2\n"}
    assert write_tree(out, FILES, digests=recorded(FILES)) == []
    reads = writer_reads(monkeypatch)
    assert write_tree(out, FILES, digests=recorded(FILES), step=_never) == []
    assert reads == []
    assert write_tree(out, changed, digests=recorded(changed)) == []
    assert reads == ["pkg/__init__.py"]  # the one file whose content is not the one recorded
    assert (out / "pkg/__init__.py").read_text() == "x = 2\n"
    assert write_tree(out, changed, digests=recorded(changed), step=_never) == []
    assert reads == ["pkg/__init__.py"]


def test_a_file_of_another_size_is_written_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its size tells it holds other content (a patched `openapi.json`, 11 MB on GitHub's
    spec); a file of the same size is read and compared."""
    out = tmp_path / "out"
    assert write_tree(out, FILES) == []
    reads = writer_reads(monkeypatch)
    longer = {**FILES, "pkg/__init__.py": "x = 10\n"}
    assert write_tree(out, longer) == []
    assert "pkg/__init__.py" not in reads
    assert (out / "pkg/__init__.py").read_text() == "x = 10\n"
    same_size = {**longer, "pkg/__init__.py": "x = 20\n"}
    assert write_tree(out, same_size) == []
    assert "pkg/__init__.py" in reads
    assert (out / "pkg/__init__.py").read_text() == "x = 20\n"


def test_a_file_edited_in_place_is_written_again_despite_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size, modification time set back: the change time still tells (past the
    file system's clock tick: an edit within it, by a process racing the write, is not
    seen, docs/cache.md)."""
    recorded = _record_on(monkeypatch, tmp_path)
    out = tmp_path / "out"
    assert write_tree(out, FILES, digests=recorded(FILES)) == []
    readme = out / "README.md"
    before = readme.stat()
    time.sleep(0.05)
    readme.write_text("# HI\n")
    os.utime(readme, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert readme.stat().st_size == before.st_size
    steps: list[str] = []
    assert write_tree(out, FILES, digests=recorded(FILES), step=steps.append) == []
    assert "swap" in steps
    assert readme.read_text() == "# hi\n"


def test_a_folder_moved_behind_a_link_is_not_trusted_by_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = _record_on(monkeypatch, tmp_path)
    out = tmp_path / "out"
    assert write_tree(out, FILES, digests=recorded(FILES)) == []
    elsewhere = tmp_path / "elsewhere"
    (out / "pkg").rename(elsewhere)  # the same files (inodes) behind a link
    (out / "pkg").symlink_to(elsewhere)
    problems = write_tree(out, FILES, digests=recorded(FILES), step=_never)
    assert [p.message for p in problems if "through a symbolic link" in p.message] != []
    assert (out / "pkg").is_symlink()  # refused, as without the record: nothing changed


def _record_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Digests:
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SPECLOOM_NO_CACHE", raising=False)
    return lambda files: {path: text_digest(text.encode()) for path, text in files.items()}


def test_a_file_given_in_pieces_is_compared_and_written_as_their_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patched `openapi.json` comes as the old bytes around the new ones, not joined."""
    from specloom.result_cache import StoredTexts, spliced

    old = b'{"a": 1, "b": 2}\n'
    out = tmp_path / "out"
    assert write_tree(out, {"pkg/openapi.json": old.decode(), "README.md": "# hi\n"}) == []
    reads = writer_reads(monkeypatch)
    at = old.index(b"1")
    for new, written in [(b"3", b'{"a": 3, "b": 2}\n'), (b"[4, 5]", b'{"a": [4, 5], "b": 2}\n')]:
        patched = spliced((out / "pkg/openapi.json").read_bytes(), at, at + 1, new)
        files = StoredTexts(
            {"pkg/openapi.json": b"", "README.md": b""},
            {"pkg/openapi.json": patched, "README.md": b"# hi\n"},
        )
        assert write_tree(out, files) == []
        assert (out / "pkg/openapi.json").read_bytes() == written
        assert files["pkg/openapi.json"] == written.decode()
        assert write_tree(out, files, step=_never) == []  # holds them: not written again
    # Compared when of the same size (the first patch and its check, then the check of
    # the second: the second patch changed the size, so it was written unread).
    assert reads.count("pkg/openapi.json") == 3
