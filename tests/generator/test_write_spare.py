"""The writer building the next tree out of the last one it replaced (`specloom.writing.spare`):
what lands in the output folder is what a tree built afresh holds, whatever became of the
spare tree in between."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from spies import first_arguments
from writer_reads import writer_reads

from specloom import cache
from specloom.write import MANIFEST_NAME, write_tree
from specloom.writing.written import text_digest

FILES = {f"pkg/module_{n}.py": f"value = {n}\n" for n in range(20)} | {"README.md": "# pkg\n"}


def digests(files: Mapping[str, str]) -> dict[str, bytes]:
    return {path: text_digest(text.encode()) for path, text in files.items()}


def tree(top: Path) -> dict[str, str]:
    """Every file under `top` with its text, and every folder (as "/")."""
    found: dict[str, str] = {}
    for folder, names, files in os.walk(top):
        for name in names:
            found[Path(folder, name).relative_to(top).as_posix()] = "/"
        for name in files:
            path = Path(folder, name)
            found[path.relative_to(top).as_posix()] = path.read_text()
    return found


def expected(files: Mapping[str, str], out: Path) -> dict[str, str]:
    """What a tree of `files` built afresh holds (in a folder of its own)."""
    fresh = out.parent / "fresh" / out.name
    assert write_tree(fresh, files) == []
    return tree(fresh)


def spares(cache_dir: Path) -> list[Path]:
    folder = cache_dir / "spare-trees"
    return sorted(folder.iterdir()) if folder.is_dir() else []


CHANGED = {**FILES, "pkg/module_1.py": "value = 'one'\n"}


def spare_after_two_writes(out: Path, cache_dir: Path) -> Path:
    """The spare tree of `out` once written with `FILES`, then with `CHANGED`: the first
    tree, kept."""
    for files in (FILES, CHANGED):
        assert write_tree(out, files, digests=digests(files)) == []
    [kept] = spares(cache_dir)
    return kept


def test_the_next_tree_is_made_from_the_last_one_replaced(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = {**FILES, "pkg/gone.py": "stale\n"}
    second = {**FILES, "pkg/module_3.py": "value = 'three'\n"}
    third = {**second, "pkg/module_7.py": "value = 'seven'\n", "pkg/new/added.py": "x = 1\n"}
    assert write_tree(out, first, digests=digests(first)) == []
    assert spares(cache_dir) == []  # nothing was replaced: nothing kept
    assert write_tree(out, second, digests=digests(second)) == []
    assert len(spares(cache_dir)) == 1
    inodes = {path: (out / path).stat().st_ino for path in second}
    links = first_arguments(monkeypatch, os, "link")  # each link's source
    assert write_tree(out, third, digests=digests(third)) == []
    assert tree(out) == expected(third, out)
    # From the tree of `first`: module_3 and module_7 changed since, gone.py is not kept;
    # every other file was already the output folder's very file.
    assert sorted(Path(source).name for source in links) == ["module_3.py"]
    unchanged = [path for path in second if path not in ("pkg/module_3.py", "pkg/module_7.py")]
    assert all((out / path).stat().st_ino == inodes[path] for path in unchanged)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "fresh", "out"]


def test_a_spare_tree_tampered_with_gives_the_tree_built_afresh(
    tmp_path: Path, cache_dir: Path
) -> None:
    out = tmp_path / "out"
    kept = spare_after_two_writes(out, cache_dir)
    (kept / "pkg/module_2.py").unlink()
    (kept / "pkg/module_4.py").unlink()
    (kept / "pkg/module_4.py").mkdir()  # a folder where a file goes
    (kept / "pkg/module_4.py/inside.txt").write_text("x\n")
    (kept / "pkg/module_5.py").unlink()
    (kept / "pkg/module_5.py").symlink_to("module_6.py")
    (kept / "extra").mkdir()
    (kept / "extra/file.txt").write_text("not ours\n")
    (kept / MANIFEST_NAME).write_text("a manifest of nobody's\n")
    # A file of the spare that is also the output folder's, edited through the spare.
    with open(kept / "pkg/module_8.py", "a") as file:
        file.write("# edited\n")
    again = {**FILES, "pkg/module_9.py": "value = 'nine'\n"}
    assert write_tree(out, again, digests=digests(again)) == []
    assert tree(out) == expected(again, out)


def test_the_users_files_are_carried_from_the_output_folder_not_kept_in_the_spare(
    tmp_path: Path, cache_dir: Path
) -> None:
    out = tmp_path / "out"
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    (out / "pkg/mine.py").write_text("the user's code\n")
    (out / "notes").mkdir()
    (out / "notes/todo.txt").write_text("todo\n")
    assert write_tree(out, CHANGED, digests=digests(CHANGED)) == []
    [kept] = spares(cache_dir)
    assert not (kept / "pkg/mine.py").exists()
    assert not (kept / "notes/todo.txt").exists()
    (out / "notes/todo.txt").write_text("done\n")
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    assert (out / "pkg/mine.py").read_text() == "the user's code\n"
    assert (out / "notes/todo.txt").read_text() == "done\n"
    assert {p: t for p, t in tree(out).items() if p not in ("notes", "notes/todo.txt")} == {
        **expected(FILES, out),
        "pkg/mine.py": "the user's code\n",
    }


def test_a_spare_tree_that_cannot_be_cleared_is_removed_and_the_tree_built_afresh(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    kept = spare_after_two_writes(out, cache_dir)
    (kept / "locked.txt").write_text("x\n")
    original = os.unlink

    def unlink(path: str | Path, *, dir_fd: int | None = None) -> None:
        if os.fspath(path).endswith("locked.txt"):  # an immutable file, say
            raise PermissionError(1, "Operation not permitted", os.fspath(path))
        original(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    assert tree(out) == expected(FILES, out)
    monkeypatch.undo()
    # What could not be removed is left beside the folder, and the next run clears it.
    assert write_tree(out, CHANGED, digests=digests(CHANGED)) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "fresh", "out"]
    assert tree(out) == expected(CHANGED, out)


def test_no_spare_is_kept_with_the_cache_off(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    assert write_tree(out, CHANGED, digests=digests(CHANGED)) == []
    assert spares(cache_dir) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert tree(out) == expected(CHANGED, out)


def test_a_spare_on_another_file_system_is_deleted_and_the_tree_built_afresh(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    spare_after_two_writes(out, cache_dir)
    original = os.rename

    def rename(source: str | Path, target: str | Path) -> None:
        if "spare-trees" in os.fspath(source) or "spare-trees" in os.fspath(target):
            raise OSError(18, "Invalid cross-device link")
        original(source, target)

    monkeypatch.setattr(os, "rename", rename)
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    assert spares(cache_dir) == []  # the one found deleted, the new one not kept
    assert tree(out) == expected(FILES, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "fresh", "out"]


def test_a_run_killed_with_the_spare_taken_leaves_the_folder_and_the_next_run_mends_it(
    tmp_path: Path, cache_dir: Path
) -> None:
    out = tmp_path / "out"
    spare_after_two_writes(out, cache_dir)
    before = tree(out)

    class Killed(BaseException):
        pass

    def kill_before_swap(what: str) -> None:
        if what == "swap":
            raise Killed

    with pytest.raises(Killed):
        write_tree(out, FILES, digests=digests(FILES), step=kill_before_swap)
    assert tree(out) == before
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    assert tree(out) == expected(FILES, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "fresh", "out"]


def test_spares_unused_for_long_are_deleted_when_another_is_kept(
    tmp_path: Path, cache_dir: Path
) -> None:
    kept: list[Path] = []
    for name in ("old", "recent"):
        out = tmp_path / name
        assert write_tree(out, FILES, digests=digests(FILES)) == []
        assert write_tree(out, CHANGED, digests=digests(CHANGED)) == []
        kept += [path for path in spares(cache_dir) if path not in kept]
    old_spare, recent_spare = kept
    long_ago = time.time() - cache.MAX_AGE_S - 60
    os.utime(old_spare, (long_ago, long_ago))
    out = tmp_path / "third"
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    assert write_tree(out, CHANGED, digests=digests(CHANGED)) == []
    assert not old_spare.exists()
    assert recent_spare.is_dir()
    assert write_tree(tmp_path / "old", FILES, digests=digests(FILES)) == []
    assert tree(tmp_path / "old") == expected(FILES, tmp_path / "old")


def test_a_tree_made_from_a_spare_is_recorded_and_not_read_or_written_again(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    for files in (FILES, CHANGED, FILES):
        assert write_tree(out, files, digests=digests(files)) == []
    reads = writer_reads(monkeypatch)

    def never(what: str) -> None:
        raise AssertionError(f"an unchanged folder is not written: {what}")

    assert write_tree(out, FILES, digests=digests(FILES), step=never) == []
    assert reads == []
    (out / "pkg/module_2.py").write_text("value = 9\n")  # by hand, of the same size
    assert write_tree(out, FILES, digests=digests(FILES)) == []
    assert reads == ["pkg/module_2.py"]
    assert tree(out) == expected(FILES, out)
