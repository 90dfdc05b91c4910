"""The writer facing a hostile or unlucky output folder: links, tampered manifests, kills,
failures half-way and a second run at the same time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from specloom.write import MANIFEST_NAME, differences, write_tree
from specloom.writing.lock import folder_lock

OLD = {"pkg/__init__.py": "old = 1\n", "pkg/gone.py": "stale\n", "README.md": "# old\n"}
NEW = {"pkg/__init__.py": "new = 2\n", "pkg/added.py": "added\n", "README.md": "# new\n"}

Snapshot = dict[str, tuple[str, str]]


def snapshot(top: Path) -> Snapshot:
    """Every entry under `top`: files with their text, links with their target."""
    found: Snapshot = {}
    for folder, names, files in os.walk(top):
        for name in names + files:
            path = Path(folder, name)
            relative = path.relative_to(top).as_posix()
            if path.is_symlink():
                found[relative] = ("link", os.readlink(path))
            elif path.is_dir():
                found[relative] = ("folder", "")
            else:
                found[relative] = ("file", path.read_text())
    return found


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me\n")
    (folder / "__init__.py").write_text("# the user's, elsewhere\n")
    return folder


def test_a_tampered_manifest_cannot_delete_through_a_link(tmp_path: Path, victim: Path) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    (out / "link").symlink_to("../victim")
    (out / MANIFEST_NAME).write_text(json.dumps({"files": [*OLD, "link/precious.txt"]}))
    problems = write_tree(out, NEW)
    assert len(problems) == 1
    assert "link/precious.txt" in problems[0].message
    assert "outside" in problems[0].message
    assert (victim / "precious.txt").read_text() == "keep me\n"
    assert (out / "pkg/__init__.py").read_text() == "old = 1\n"


def test_a_package_folder_that_is_a_link_is_not_written_through(
    tmp_path: Path, victim: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "pkg").symlink_to("../victim")
    problems = write_tree(out, NEW)
    assert len(problems) == 1
    assert "pkg" in problems[0].message
    assert snapshot(victim) == {
        "precious.txt": ("file", "keep me\n"),
        "__init__.py": ("file", "# the user's, elsewhere\n"),
    }
    assert (out / "pkg").is_symlink()


def test_a_package_folder_replaced_by_a_link_after_a_run_is_refused(
    tmp_path: Path, victim: Path
) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    for name in OLD:
        if name.startswith("pkg/"):
            (out / name).unlink()
    (out / "pkg").rmdir()
    (out / "pkg").symlink_to("../victim")
    assert write_tree(out, NEW)
    assert (victim / "__init__.py").read_text() == "# the user's, elsewhere\n"
    assert (victim / "precious.txt").read_text() == "keep me\n"


def test_a_folder_moved_away_behind_a_link_is_not_taken_for_an_up_to_date_output(
    tmp_path: Path,
) -> None:
    # The same files, reached through a link: neither up to date nor written through.
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    (out / "pkg").rename(tmp_path / "elsewhere")
    (out / "pkg").symlink_to("../elsewhere")
    assert differences(out, OLD) == ["pkg/__init__.py", "pkg/gone.py"]
    assert write_tree(out, OLD)  # refused: the manifest's files lead outside
    assert (out / "pkg").is_symlink()
    assert (tmp_path / "elsewhere/__init__.py").read_text() == "old = 1\n"


def test_links_of_the_user_are_kept_as_links_and_never_followed(
    tmp_path: Path, victim: Path
) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    (out / "pkg/shortcut").symlink_to("../../victim")
    assert write_tree(out, NEW) == []
    assert (out / "pkg/shortcut").is_symlink()
    assert os.readlink(out / "pkg/shortcut") == "../../victim"
    assert (victim / "precious.txt").read_text() == "keep me\n"


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        json.dumps(["pkg/__init__.py"]),
        json.dumps({"files": ["pkg/__init__.py"], "extra": 1}),
        json.dumps({"files": ["../victim/precious.txt"]}),
        json.dumps({"files": ["/etc/passwd"]}),
        json.dumps({"files": [3]}),
    ],
)
def test_a_manifest_specloom_did_not_write_is_refused(
    tmp_path: Path, victim: Path, manifest: str
) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    (out / MANIFEST_NAME).write_text(manifest)
    before = snapshot(out)
    problems = write_tree(out, NEW)
    assert len(problems) == 1
    assert "manifest specloom wrote" in problems[0].message
    assert snapshot(out) == before
    assert (victim / "precious.txt").exists()


def test_a_manifest_that_is_a_link_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    real = tmp_path / "elsewhere.json"
    real.write_text(json.dumps({"files": list(OLD)}))
    (out / MANIFEST_NAME).unlink()
    (out / MANIFEST_NAME).symlink_to(real)
    assert write_tree(out, NEW)
    assert real.read_text() == json.dumps({"files": list(OLD)})


def test_an_output_folder_that_is_a_link_is_refused(tmp_path: Path, victim: Path) -> None:
    out = tmp_path / "out"
    out.symlink_to(victim)
    problems = write_tree(out, NEW)
    assert "symbolic link" in problems[0].message
    assert sorted(p.name for p in victim.iterdir()) == ["__init__.py", "precious.txt"]


def test_folders_are_created_with_the_users_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        assert write_tree(tmp_path / "out", NEW) == []
    finally:
        os.umask(previous)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "out/pkg").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "out/README.md").stat().st_mode & 0o777 == 0o640


def test_the_output_folders_own_mode_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    out.chmod(0o711)
    assert write_tree(out, NEW) == []
    assert out.stat().st_mode & 0o777 == 0o711


# Interrupted writes.


def _old_tree(top: Path) -> Path:
    out = top / "out"
    assert write_tree(out, OLD) == []
    (out / "pkg/mine.py").write_text("the user's code\n")
    (out / "notes").mkdir()
    (out / "notes/todo.txt").write_text("todo\n")
    (out / "pkg/shortcut").symlink_to("../notes")
    return out


def _expected_new(top: Path) -> Snapshot:
    reference = _old_tree(top)
    assert write_tree(reference, NEW) == []
    return snapshot(reference)


class Interrupted(Exception):
    pass


def _steps(top: Path) -> list[str]:
    seen: list[str] = []
    assert write_tree(_old_tree(top), NEW, step=seen.append) == []
    return seen


def test_a_failure_at_any_step_leaves_the_old_tree_and_no_staging_folder(tmp_path: Path) -> None:
    steps = _steps(tmp_path / "count")
    assert "swap" in steps
    for index, name in enumerate(steps[: steps.index("swap") + 1]):
        top = tmp_path / f"fail{index}"
        out = _old_tree(top)
        before = snapshot(out)

        def fail_at(what: str, name: str = name) -> None:
            if what == name:
                raise Interrupted(what)

        with pytest.raises(Interrupted):
            write_tree(out, NEW, step=fail_at)
        assert snapshot(out) == before, name
        assert [p.name for p in top.iterdir()] == ["out"], name


def test_an_io_error_is_a_diagnostic_and_changes_nothing(tmp_path: Path) -> None:
    out = _old_tree(tmp_path)
    before = snapshot(out)

    def broken_disk(what: str) -> None:
        if what == "write pkg/added.py":
            raise OSError(28, "No space left on device")

    problems = write_tree(out, NEW, step=broken_disk)
    assert len(problems) == 1
    assert "No space left on device" in problems[0].message
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


KILLED_RUN = """
import json, os, signal, sys
from pathlib import Path
from specloom.write import write_tree

count = 0
def step(what):
    global count
    count += 1
    if count == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
write_tree(Path(sys.argv[1]), json.loads(sys.argv[3]), step=step)
"""


def test_a_kill_at_any_step_leaves_the_old_or_the_new_tree(tmp_path: Path) -> None:
    steps = _steps(tmp_path / "count")
    new = _expected_new(tmp_path / "reference")
    outcomes = set()
    for number in range(1, len(steps) + 1):
        top = tmp_path / f"kill{number}"
        out = _old_tree(top)
        old = snapshot(out)
        killed = subprocess.run(
            [sys.executable, "-c", KILLED_RUN, str(out), str(number), json.dumps(NEW)],
            check=False,
        )
        assert killed.returncode == -signal.SIGKILL
        after = snapshot(out)
        assert after in (old, new), f"mixed tree after a kill at {steps[number - 1]!r}"
        outcomes.add("old" if after == old else "new")
        assert write_tree(out, NEW) == []
        assert snapshot(out) == new
        assert [p.name for p in top.iterdir()] == ["out"], "leftovers not cleared"
    assert outcomes == {"old", "new"}


# Two runs at once.

WAITING_RUN = """
import json, sys
from pathlib import Path
from specloom.write import write_tree

def waiting():
    print("waiting", flush=True)
print(write_tree(Path(sys.argv[1]), json.loads(sys.argv[2]), on_wait=waiting), flush=True)
"""


def test_a_second_run_waits_for_the_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with folder_lock(tmp_path, lambda: None):  # a first run, in the middle of its write
        second = subprocess.Popen(
            [sys.executable, "-c", WAITING_RUN, str(out), json.dumps(NEW)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert second.stdout is not None
        assert second.stdout.readline() == "waiting\n"
        assert not out.exists()
    remaining, _ = second.communicate()
    assert remaining == "[]\n"
    assert snapshot(out)["pkg/added.py"] == ("file", "added\n")


# Systems without an atomic exchange of two folders.


def test_without_an_atomic_exchange_the_tree_is_still_replaced_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specloom import write

    monkeypatch.setattr(write, "exchange", lambda first, second: False)
    out = _old_tree(tmp_path)
    assert write_tree(out, NEW) == []
    assert snapshot(out) == _expected_new(tmp_path / "reference")
    assert [p.name for p in tmp_path.iterdir()] == ["out", "reference"]


def test_a_run_killed_between_the_two_renames_is_undone_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specloom import write

    out = _old_tree(tmp_path)
    old = snapshot(out)
    out.rename(tmp_path / ".out.specloom-previous")  # the first rename happened, then a kill
    monkeypatch.setattr(write, "exchange", lambda first, second: False)

    def stop_before_swap(what: str) -> None:
        if what == "swap":
            raise Interrupted(what)

    with pytest.raises(Interrupted):
        write_tree(out, NEW, step=stop_before_swap)
    assert snapshot(out) == old
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_read_only_folder_of_the_user_is_carried_over_with_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    (out / "locked").mkdir()
    (out / "locked/kept.txt").write_text("kept\n")
    (out / "locked").chmod(0o555)
    try:
        assert write_tree(out, NEW) == []
        assert (out / "locked/kept.txt").read_text() == "kept\n"
        assert (out / "locked").stat().st_mode & 0o777 == 0o555
    finally:
        (out / "locked").chmod(0o755)


def test_the_current_folder_is_not_swapped_away_under_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert write_tree(out, OLD) == []
    (out / "pkg/sub").mkdir()
    monkeypatch.chdir(out / "pkg/sub")
    problems = write_tree(out, NEW)
    assert len(problems) == 1
    assert "holds the current folder" in problems[0].message
    assert (out / "pkg/__init__.py").read_text() == "old = 1\n"


def test_an_old_tree_that_cannot_be_deleted_is_a_warning_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specloom import write

    out = _old_tree(tmp_path)
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")  # no spare tree: the old one is deleted
    monkeypatch.setattr(write.shutil, "rmtree", lambda path, ignore_errors: None)  # immutable
    [problem] = write_tree(out, NEW)
    assert problem.level.value == "warning"
    assert "could not be removed entirely" in problem.message
    assert (out / "pkg/added.py").read_text() == "added\n"
