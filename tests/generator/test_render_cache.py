"""Rendered modules reused from the previous run: the same files as rendering afresh."""

from __future__ import annotations

import copy
import json
import marshal
import sqlite3
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2 import meta, nodes

from specloom import operation_edits, render_cache, result_cache
from specloom.config import GenerateConfig
from specloom.loader import load
from specloom.pipeline import generate
from specloom.render.engine import environment

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CONFIG = GenerateConfig(package_name="petstore", runtime="vendored", source_label="petstore")


@pytest.fixture(autouse=True)
def _renders_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run on an unchanged spec would reuse the whole last result (`result_cache`)
    before anything is rendered: here every run renders, through the render cache."""
    monkeypatch.setattr(result_cache.Reuse, "stored", lambda self: None)


def petstore() -> dict[str, Any]:
    spec, _ = load(FIXTURES / "petstore/petstore.yaml")
    assert spec is not None
    return copy.deepcopy(spec.document)


def files_of(
    tmp_path: Path, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, str], dict[str, str]]:
    """The files generated from `document` with the cache, and without it."""
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    reusing = generate(path, CONFIG).files
    with monkeypatch.context() as without:
        without.setenv("SPECLOOM_NO_CACHE", "1")
        afresh = generate(path, CONFIG).files
    assert reusing is not None
    assert afresh is not None
    return reusing, afresh


def first_operation(document: dict[str, Any]) -> dict[str, Any]:
    for item in document["paths"].values():
        for method in ("get", "put", "post", "delete", "patch"):
            if method in item:
                operation: dict[str, Any] = item[method]
                return operation
    raise AssertionError("no operation")


def rendered_afresh(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the templates rendered from here on (not taken from the cache)."""
    names: list[str] = []
    original = render_cache._Memo.rendered

    def recording(self: Any, template: str, context: Any, render: Any) -> str:
        def counted() -> str:
            names.append(template)
            text: str = render()
            return text

        return original(self, template, context, counted)

    monkeypatch.setattr(render_cache._Memo, "rendered", recording)
    return names


def test_an_edited_operation_renders_its_own_modules_again_and_nothing_else(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rebuilding one operation (specloom.operation_edits, tested on its own) turned off:
    # this change is made in full, reusing the render cache.
    monkeypatch.setattr(operation_edits, "patched", lambda *args, **kwargs: None)
    document = petstore()
    # Summary and description both: an edit of one string alone is patched without
    # rendering (specloom.doc_edits).
    first_operation(document)["summary"] = "Before."
    first_operation(document)["description"] = "Before the change."
    # Twice: a process's first run shares some equal strings as one object (names cached
    # on the way), which pickles differently into the keys; every later run, and the
    # first run of every other process, as from the command line, pickles alike.
    files_of(tmp_path, document, monkeypatch)
    files_of(tmp_path, document, monkeypatch)
    afresh_names = rendered_afresh(monkeypatch)
    first_operation(document)["summary"] = "After."
    first_operation(document)["description"] = "After the change."
    reusing, afresh = files_of(tmp_path, document, monkeypatch)
    assert reusing == afresh
    assert "After the change." in "".join(reusing.values())
    # The edited tag's descriptors, client service and API class, rendered once with the
    # cache.
    assert sorted(afresh_names) == [
        "client/service.py.jinja",
        "package/_operations.py.jinja",
        "server/api.py.jinja",
    ]


def test_an_edited_component_schema(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = petstore()
    files_of(tmp_path, document, monkeypatch)
    schemas = document["components"]["schemas"]
    schemas["NewPet"]["properties"]["added_field"] = {"type": "integer", "description": "Later."}
    reusing, afresh = files_of(tmp_path, document, monkeypatch)
    assert reusing == afresh
    assert "added_field" in "".join(reusing.values())


def test_a_damaged_cache_renders_afresh(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = petstore()
    expected, _ = files_of(tmp_path, document, monkeypatch)
    with sqlite3.connect(cache_dir / "cache.sqlite3") as connection:
        connection.execute("UPDATE entries SET value = ? WHERE kind = 'render'", (b"\x78\x01junk",))
    reusing, afresh = files_of(tmp_path, document, monkeypatch)
    assert reusing == afresh == expected


def test_one_damaged_text_is_rendered_again_and_the_rest_reused(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = petstore()
    expected, _ = files_of(tmp_path, document, monkeypatch)
    expected, _ = files_of(tmp_path, document, monkeypatch)
    with sqlite3.connect(cache_dir / "cache.sqlite3") as connection:
        (stored,) = connection.execute("SELECT value FROM entries WHERE kind = 'render'").fetchone()
        texts = marshal.loads(stored)
        damaged = sorted(texts)[0]
        texts[damaged] = b"\x78\x01junk"
        connection.execute(
            "UPDATE entries SET value = ? WHERE kind = 'render'", (marshal.dumps(texts, 4),)
        )
    afresh_names = rendered_afresh(monkeypatch)
    reusing, afresh = files_of(tmp_path, document, monkeypatch)
    assert reusing == afresh == expected
    assert len(afresh_names) == 1


@pytest.mark.parametrize("template", sorted(render_cache._REUSED_TEMPLATES))
def test_a_reused_template_reads_only_the_values_in_its_key(template: str) -> None:
    env = environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, template)
    parsed = env.parse(source)
    assert not list(parsed.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)))
    assert not meta.find_undeclared_variables(parsed) & render_cache._IGNORED_VALUES
    assert isinstance(env, jinja2.Environment)
