"""Compiled templates kept between runs: the same text as compiling afresh, and a cache
that cannot be used only means compiling again."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import jinja2
import pytest

from specloom.cache import cache_root
from specloom.render.engine import environment
from specloom.render.template_cache import TemplateCodeCache

TEMPLATES = {"greeting.jinja": "{% for name in names %}Hello {{ name }}!\n{% endfor %}"}
CONTEXT = {"names": ["Ada", "Grace"]}
EXPECTED = "Hello Ada!\nHello Grace!\n"


def _environment(folder: Path) -> jinja2.Environment:
    """A fresh environment (nothing compiled in memory) over `folder`."""
    return jinja2.Environment(
        loader=jinja2.DictLoader(TEMPLATES), bytecode_cache=TemplateCodeCache(folder)
    )


def _render(folder: Path) -> str:
    return _environment(folder).get_template("greeting.jinja").render(CONTEXT)


def test_a_compiled_template_is_stored_then_used_instead_of_compiling(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    assert _render(folder) == EXPECTED
    assert len(list(folder.iterdir())) == 1

    env = _environment(folder)
    with mock.patch.object(env, "compile", wraps=env.compile) as compile_template:
        assert env.get_template("greeting.jinja").render(CONTEXT) == EXPECTED
    compile_template.assert_not_called()


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    assert _render(folder) == EXPECTED
    changed = jinja2.Environment(
        loader=jinja2.DictLoader({"greeting.jinja": "Bye {{ names[0] }}"}),
        bytecode_cache=TemplateCodeCache(folder),
    )
    assert changed.get_template("greeting.jinja").render(CONTEXT) == "Bye Ada"


@pytest.mark.parametrize("damage", [b"", b"j2 not a template", os.urandom(300)])
def test_a_damaged_file_is_compiled_again(tmp_path: Path, damage: bytes) -> None:
    folder = tmp_path / "templates"
    _render(folder)
    [stored] = folder.iterdir()
    stored.write_bytes(damage)
    assert _render(folder) == EXPECTED
    assert _render(folder) == EXPECTED  # and rewritten whole
    assert stored.read_bytes() != damage


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    assert _render(blocker / "templates") == EXPECTED


def test_specloom_keeps_its_compiled_templates_even_without_the_result_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    environment.cache_clear()
    try:
        env = environment()
        env.get_template("package/pyproject.toml.jinja")
    finally:
        environment.cache_clear()
    assert isinstance(env.bytecode_cache, TemplateCodeCache)
    assert env.bytecode_cache.folder.parent == cache_root() / "templates"
    assert any(env.bytecode_cache.folder.iterdir())


def test_folders_of_versions_unused_for_a_month_are_removed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path))
    folders = cache_root() / "templates"
    stale, recent = folders / "0123456789abcdef", folders / "fedcba9876543210"
    for folder in (stale, recent):
        folder.mkdir(parents=True)
        (folder / "compiled").write_bytes(b"code")
    month_and_a_day = 31 * 24 * 3600
    old = os.stat(stale).st_mtime - month_and_a_day
    os.utime(stale, (old, old))
    environment.cache_clear()
    try:
        environment().get_template("package/pyproject.toml.jinja")  # a run's environment
        assert not stale.exists()
        assert (recent / "compiled").exists()
        (current,) = [f for f in folders.iterdir() if f not in (stale, recent)]
        # The folder in use is marked as used by each run, so a run of another version
        # keeps it.
        long_ago = os.stat(current).st_mtime - month_and_a_day
        os.utime(current, (long_ago, long_ago))
        environment.cache_clear()
        environment()
        assert os.stat(current).st_mtime > long_ago + month_and_a_day - 60
    finally:
        environment.cache_clear()
