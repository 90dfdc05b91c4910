"""The result cache: formatting that ran once is not run again for the same text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from specloom import cache
from specloom.render import format as formatting
from specloom.render.format import format_files

FILES = {"pkg/a.py": "x=1\n", "pkg/b.py": "def f( ):\n  return 2\n", "README.md": "x=1\n"}


def test_formatted_files_come_from_the_cache_the_second_time(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = format_files(FILES)
    assert first["pkg/b.py"] == "def f():\n    return 2\n"
    assert (cache_dir / "cache.sqlite3").is_file()

    def refuse(*args: object) -> list[str]:
        raise AssertionError("formatted again")

    monkeypatch.setattr(formatting, "_formatted", refuse)
    assert format_files(FILES) == first


def test_only_changed_files_are_formatted_again(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    format_files(FILES)
    seen: list[list[str]] = []
    original = formatting._formatted

    def spy(files: dict[str, str], paths: list[str], formatter: str) -> list[str]:
        seen.append(paths)
        return original(files, paths, formatter)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "_formatted", spy)
    changed = {**FILES, "pkg/a.py": "x=2\n"}
    assert format_files(changed)["pkg/a.py"] == "x = 2\n"
    assert seen == [["pkg/a.py"]]


def test_formatters_do_not_share_entries(cache_dir: Path) -> None:
    source = {"pkg/a.py": "x=1\n"}
    format_files(source, "black")
    assert format_files(source, "ruff") == {"pkg/a.py": "x = 1\n"}
    assert cache.key_of(formatting._formatters_version("black"), "x=1\n") != cache.key_of(
        formatting._formatters_version("ruff"), "x=1\n"
    )


def test_no_cache_when_turned_off_or_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    assert cache.cache_dir() is None
    assert format_files(FILES)["pkg/a.py"] == "x = 1\n"
    monkeypatch.delenv("SPECLOOM_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(blocker / "cache"))  # under a file
    assert format_files(FILES)["pkg/a.py"] == "x = 1\n"
    assert cache.get_many("format", ["x"]) == {}


def test_a_full_cache_drops_its_least_recently_used_entries(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_SIZE", 400_000)
    clock = iter(range(1_000_000, 2_000_000, 10))
    monkeypatch.setattr(cache.time, "time", lambda: next(clock))
    blob = b"x" * 20_000
    for index in range(60):  # 1.2 MB written in all
        cache.put_many("format", {f"entry-{index}": blob})
        cache.get_many("format", ["entry-0"])  # the first one stays in use
    with sqlite3.connect(cache_dir / "cache.sqlite3") as connection:
        size = cache._size(connection)
        kept = {key for (key,) in connection.execute("SELECT key FROM entries")}
    assert size <= 400_000 + 2 * len(blob)
    assert "entry-0" in kept
    assert "entry-59" in kept
    assert "entry-1" not in kept


def test_dropping_old_entries_reads_the_index_not_every_entry(cache_dir: Path) -> None:
    cache.put_many("format", {"a": b"1"})
    with sqlite3.connect(cache_dir / "cache.sqlite3") as connection:
        plan = connection.execute(
            "EXPLAIN QUERY PLAN DELETE FROM entries WHERE used < ?", (0,)
        ).fetchall()
    assert "entries_by_use" in str(plan)


@pytest.mark.parametrize("text", ["", "plain", "caf\u00e9 \U0001f600", "lone \ud800 surrogate"])
def test_a_packed_text_unpacks_as_it_was(text: str) -> None:
    assert cache.unpacked(cache.packed(text)) == text


@pytest.mark.parametrize("data", [b"", b"not compressed", "a str", None, 3])
def test_what_packed_did_not_write_unpacks_as_none(data: object) -> None:
    assert cache.unpacked(data) is None


def test_files_of_the_same_text_both_get_the_cached_formatting() -> None:
    keys = {"a.py": "same", "b.py": "same", "c.py": "missing", "d.py": "other"}
    cached = {"same": b"x = 1\n", "other": b"y = 2\n"}
    assert formatting._decoded(keys, cached) == {
        "a.py": "x = 1\n",
        "b.py": "x = 1\n",
        "d.py": "y = 2\n",
    }


def _folders_digest(folders: list[Path], suffixes: tuple[str, ...] = ()) -> bytes:
    import hashlib

    digest = hashlib.sha256()
    cache.hash_folders(digest, folders, suffixes)
    return digest.digest()


def test_hashed_folders_are_read_again_only_after_a_file_changed(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    code = tmp_path / "code"
    (code / "sub").mkdir(parents=True)
    (code / "a.py").write_text("a = 1\n")
    (code / "sub" / "b.jinja").write_text("{{ b }}\n")
    first = _folders_digest([code])
    hash_folder = cache.hash_folder
    monkeypatch.setattr(cache, "hash_folder", _never_hashed)
    assert _folders_digest([code]) == first  # known by the files' identities: not read
    edited = code / "sub" / "b.jinja"
    before = edited.stat()
    edited.write_text("{{ c }}\n")  # the same size, its modification time set back
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    monkeypatch.setattr(cache, "hash_folder", hash_folder)
    second = _folders_digest([code])
    assert second != first
    assert _folders_digest([code], (".py",)) != second
    (code / "new.py").write_text("")
    assert _folders_digest([code]) not in (first, second)


def _never_hashed(*args: object) -> None:
    raise AssertionError("read the files of a folder the cache knows")


def test_a_read_marks_its_entry_used_at_most_once_a_minute(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000]
    monkeypatch.setattr(cache.time, "time", lambda: now[0])
    cache.put_many("format", {"a": b"1"})

    def used() -> int:
        with sqlite3.connect(cache_dir / "cache.sqlite3") as connection:
            (value,) = connection.execute("SELECT used FROM entries WHERE key = 'a'").fetchone()
        return int(value)

    now[0] += 59
    assert cache.get_many("format", ["a"]) == {"a": b"1"}
    assert used() == 1_000_000  # read again within the minute: no write
    now[0] += 2
    assert cache.get_many("format", ["a"]) == {"a": b"1"}
    assert used() == 1_000_061
