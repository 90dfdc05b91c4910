"""Formatting: the generated Python files formatted (ruff by default), nothing else touched."""

from __future__ import annotations

import errno
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from specloom.config import GenerateConfig
from specloom.render import format as formatting
from specloom.render import render
from specloom.render.format import FormattingError, format_files, format_source
from tests.generator import ir_factory as ir


def test_formats_python_files_and_leaves_the_others_alone() -> None:
    files = {"pkg/a.py": "x = {'a':1}\n", "README.md": "x = {'a':1}\n", "pkg/py.typed": ""}
    formatted = format_files(files)
    assert formatted == {
        "README.md": "x = {'a':1}\n",
        "pkg/a.py": 'x = {"a": 1}\n',
        "pkg/py.typed": "",
    }


def test_returns_files_sorted_by_path_whatever_the_input_order() -> None:
    files = MappingProxyType({"b.py": "b = 1\n", "a.txt": "", "a.py": "a = 1\n"})
    assert list(format_files(files)) == ["a.py", "a.txt", "b.py"]


def test_formats_for_python_310() -> None:
    # Parenthesized context managers are only used when every target version has them.
    managers = ", ".join(f"open_{n}() as file_number_{n}" for n in ("one", "two", "three"))
    source = f"with {managers}:\n    ...\n"
    assert format_source(source).startswith("with (\n    open_one() as file_number_one,\n")


def test_a_file_black_cannot_parse_is_reported_by_name() -> None:
    with pytest.raises(FormattingError, match=r"pkg/broken\.py: cannot parse") as caught:
        format_files({"pkg/fine.py": "x = 1\n", "pkg/broken.py": "def f(:\n"})
    assert caught.value.path == "pkg/broken.py"


def test_formatting_generated_code_is_stable() -> None:
    once = format_files(render(ir.petstore(), GenerateConfig("petstore")))
    assert format_files(once) == once


def test_a_full_memory_scratch_folder_falls_back_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = tmp_path / "shm"
    full.mkdir()

    def open_unless_full(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(full)):
            raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return open(file, *args, **kwargs)

    monkeypatch.setattr(formatting, "_scratch_parent", lambda: str(full))
    monkeypatch.setattr(formatting, "open", open_unless_full, raising=False)
    files = {"pkg/a.py": "x=1\n", "pkg/b.py": "y = [1,2]\n"}
    assert formatting.ruff_format_many(files) == {"pkg/a.py": "x = 1\n", "pkg/b.py": "y = [1, 2]\n"}
