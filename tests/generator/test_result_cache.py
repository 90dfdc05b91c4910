"""A whole generation reused when nothing it depends on changed; anything else runs afresh."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import json
import marshal
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from load_count import Loads
from writer_reads import writer_reads

from specloom import cache, result_cache
from specloom.cache import cache_dir as current_cache_dir
from specloom.cli import main
from specloom.config import GenerateConfig
from specloom.pipeline import GenerateResult, generate

CONFIG = GenerateConfig(package_name="shop", runtime="vendored", source_label="shop")

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "paths": {
        "/items/{item_id}": {
            "get": {
                "operationId": "getItem",
                "description": "One item.",
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The item.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    # A default of the wrong type: a warning, so there are diagnostics to keep.
                    "count": {"type": "integer", "default": "many"},
                },
            }
        }
    },
}


@pytest.fixture(autouse=True)
def _cache(cache_dir: Path) -> Path:
    return cache_dir


def write_spec(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def with_referenced_item(folder: Path, item: dict[str, Any]) -> Path:
    """The shop spec in `folder`, its `Item` schema read from `item.json` there."""
    document = json.loads(json.dumps(SPEC))
    document["components"]["schemas"]["Item"] = {"$ref": "item.json"}
    write_spec(folder / "item.json", item)
    return write_spec(folder / "shop.json", document)


@contextmanager
def around_loading(
    before: Callable[[], object] = lambda: None, after: Callable[[], object] = lambda: None
) -> Iterator[None]:
    """Within this, `before` runs as a run starts loading the spec, `after` once it has (an
    edit while a run reads the files)."""
    import specloom.loader

    original = specloom.loader.load

    def loading(*args: Any, **kwargs: Any) -> Any:
        before()
        loaded = original(*args, **kwargs)
        after()
        return loaded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(specloom.loader, "load", loading)
        yield


def generated(path: Path, config: GenerateConfig = CONFIG, **options: Any) -> GenerateResult:
    result = generate(path, config, **options)
    assert result.files is not None, result.diagnostics
    return result


def test_a_second_run_on_the_same_spec_reuses_the_first_ones_files_and_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    first = generated(spec)
    second = generated(spec)
    assert loads.count == 1
    assert second.files == first.files
    assert second.diagnostics == first.diagnostics
    assert any("many" in d.message for d in second.diagnostics)
    with monkeypatch.context() as without_cache:
        without_cache.setenv("SPECLOOM_NO_CACHE", "1")
        afresh = generated(spec)
    assert afresh.files == second.files
    assert afresh.diagnostics == second.diagnostics


def test_an_edited_spec_is_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    generated(spec)
    edited = json.loads(json.dumps(SPEC))
    # The API's description: an operation's prose would be patched (specloom.doc_edits).
    edited["info"]["description"] = "The one."
    write_spec(spec, edited)
    result = generated(spec)
    assert loads.count == 2
    assert result.files is not None
    assert any("The one." in text for text in result.files.values())


@pytest.mark.parametrize(
    ("config", "skip_validation"),
    [
        pytest.param(GenerateConfig(package_name="store"), False, id="package name"),
        pytest.param(GenerateConfig(package_name="shop", target="client"), False, id="target"),
        pytest.param(CONFIG, True, id="skip validation"),
    ],
)
def test_other_options_are_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: GenerateConfig, skip_validation: bool
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    generated(spec)
    result = generated(spec, config, skip_validation=skip_validation)
    assert loads.count == 2
    with monkeypatch.context() as without_cache:
        without_cache.setenv("SPECLOOM_NO_CACHE", "1")
        afresh = generate(spec, config, skip_validation=skip_validation)
    assert afresh == result


def test_a_validator_setting_in_the_environment_is_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    generated(spec)
    monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_RESOLVER_CACHE_MAXSIZE", "64")
    generated(spec)
    assert loads.count == 2


def test_another_version_of_a_library_is_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    generated(spec)
    real_version = cache.installed_version

    def other_ruff(name: str) -> str:
        return "999.0" if name == "ruff" else real_version(name)

    monkeypatch.setattr(cache, "installed_version", other_ruff)
    result_cache._fingerprint.cache_clear()
    try:
        generated(spec)
    finally:
        result_cache._fingerprint.cache_clear()
    assert loads.count == 2


def test_a_changed_bundled_template_is_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The templates are hashed wherever their package lives (beside the code in a source
    checkout installed in editable mode)."""
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    generated(spec)
    bundled = importlib.util.find_spec("specloom.templates")
    assert bundled is not None
    assert bundled.submodule_search_locations
    edited = tmp_path / "templates"
    shutil.copytree(bundled.submodule_search_locations[0], edited)
    server = edited / "server" / "server.py.jinja"
    server.write_text(server.read_text() + "\n# edited\n")
    monkeypatch.setattr(bundled, "submodule_search_locations", [str(edited)])
    result_cache._fingerprint.cache_clear()
    try:
        generated(spec)
    finally:
        result_cache._fingerprint.cache_clear()
    assert loads.count == 2


def test_a_changed_referenced_file_is_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = {"type": "object", "description": "An item for sale.", "properties": {}}
    spec = with_referenced_item(tmp_path, item)
    loads = Loads(monkeypatch)
    generated(spec)
    generated(spec)
    assert loads.count == 1
    item["description"] = "An item in stock."
    write_spec(tmp_path / "item.json", item)
    result = generated(spec)
    assert loads.count == 2
    assert result.files is not None
    assert any("An item in stock." in text for text in result.files.values())
    (tmp_path / "item.json").unlink()
    assert generate(spec, CONFIG).files is None  # the reference cannot be read any more
    assert loads.count == 3


def test_a_spec_edited_while_a_run_reads_it_is_not_stored_under_its_old_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    edited = json.loads(json.dumps(SPEC))
    edited["paths"]["/items/{item_id}"]["get"]["description"] = "Edited meanwhile."
    with around_loading(before=lambda: write_spec(spec, edited)):  # after the key was made
        generated(spec)
    write_spec(spec, SPEC)
    loads = Loads(monkeypatch)
    result = generated(spec)
    assert loads.count == 1  # generated afresh, not the edited text's files
    assert result.files is not None
    assert not any("Edited meanwhile." in text for text in result.files.values())


def test_a_referenced_file_edited_after_loading_read_it_is_found_changed(tmp_path: Path) -> None:
    item = {"type": "object", "description": "An item for sale.", "properties": {}}
    spec = with_referenced_item(tmp_path, item)
    in_stock = {**item, "description": "An item in stock."}
    with around_loading(after=lambda: write_spec(tmp_path / "item.json", in_stock)):
        first = generated(spec)
    assert first.files is not None
    assert any("An item for sale." in text for text in first.files.values())
    result = generated(spec)  # the file now says "in stock": not the first run's files
    assert result.files is not None
    assert any("An item in stock." in text for text in result.files.values())


def test_a_spec_with_errors_is_checked_again_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = json.loads(json.dumps(SPEC))
    broken["paths"]["/items/{item_id}"]["get"]["responses"] = "none"
    spec = write_spec(tmp_path / "shop.json", broken)
    loads = Loads(monkeypatch)
    first = generate(spec, CONFIG)
    second = generate(spec, CONFIG)
    assert first.files is None
    assert second.diagnostics == first.diagnostics
    assert loads.count == 2


def test_custom_templates_are_never_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    templates = tmp_path / "templates"
    templates.mkdir()
    config = GenerateConfig(package_name="shop", templates=templates)
    loads = Loads(monkeypatch)
    generated(spec, config)
    generated(spec, config)
    assert loads.count == 2


def _not_an_entry(stored: bytes) -> bytes:
    return b"not an entry"


def _one_file_damaged(stored: bytes) -> bytes:
    read, files, *rest = marshal.loads(stored)
    files[sorted(files)[0]] = b"not compressed"
    return marshal.dumps((read, files, *rest), 4)


@pytest.mark.parametrize("damage", [_not_an_entry, _one_file_damaged])
def test_a_damaged_entry_is_generated_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[bytes], bytes]
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    first = generated(spec)
    folder = current_cache_dir()
    assert folder is not None
    with sqlite3.connect(folder / "cache.sqlite3") as connection:
        (stored,) = connection.execute("SELECT value FROM entries WHERE kind = 'result'").fetchone()
        changed = connection.execute(
            "UPDATE entries SET value = ? WHERE kind = 'result'", (damage(stored),)
        ).rowcount
    assert changed == 1
    loads = Loads(monkeypatch)
    second = generated(spec)
    assert loads.count == 1  # generated in full: nothing reused in part
    assert second.files == first.files
    assert second.diagnostics == first.diagnostics


def test_the_command_line_reports_the_same_and_leaves_an_up_to_date_folder_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    out = tmp_path / "shop"
    assert main(["generate", str(spec), "--out", str(out)]) == 0
    first = capsys.readouterr()
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    loads = Loads(monkeypatch)
    assert main(["generate", str(spec), "--out", str(out)]) == 0
    second = capsys.readouterr()
    assert loads.count == 0
    assert second.err == first.err
    assert "count" in second.err
    assert second.out == first.out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    assert main(["generate", str(spec), "--out", str(out), "--check"]) == 0
    assert os.path.isdir(out)


def validated(spec: Path, *options: str) -> tuple[int, str, str]:
    """`specloom validate` on `spec`: the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["validate", str(spec), *options])
    return code, out.getvalue(), err.getvalue()


def test_validating_an_unchanged_spec_again_reports_the_same_without_loading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    first = validated(spec)
    second = validated(spec)
    assert loads.count == 1
    assert second == first
    assert first[0] == 0
    assert "count" in first[2]  # its warning, said again
    with monkeypatch.context() as without_cache:
        without_cache.setenv("SPECLOOM_NO_CACHE", "1")
        assert validated(spec) == first
    assert loads.count == 2


def test_validating_an_edited_spec_or_with_other_options_checks_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    loads = Loads(monkeypatch)
    assert validated(spec)[0] == 0
    # Warnings fail a strict check: the lenient check's "valid" is not reused for it.
    code, _, err = validated(spec, "--strict")
    assert code == 1
    assert "count" in err
    assert loads.count == 2
    edited = json.loads(json.dumps(SPEC))
    edited["paths"]["/items/{item_id}"]["get"]["responses"] = "none"
    write_spec(spec, edited)
    code, _, err = validated(spec)
    assert code == 1
    assert "responses" in err
    assert loads.count == 3
    # An invalid spec is checked again in full every time.
    assert validated(spec) == (code, _, err)
    assert loads.count == 4


def test_validating_after_a_referenced_file_changed_checks_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item: dict[str, Any] = {"type": "object", "properties": {"n": {"type": "integer"}}}
    spec = with_referenced_item(tmp_path, item)
    loads = Loads(monkeypatch)
    assert validated(spec)[0] == 0
    assert validated(spec)[0] == 0
    assert loads.count == 1
    item["properties"]["n"]["minimum"] = "zero"
    write_spec(tmp_path / "item.json", item)
    code, _, err = validated(spec)
    assert code == 1
    assert "minimum" in err
    assert loads.count == 2


def test_a_result_the_output_folder_holds_is_neither_read_nor_decompressed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "shop.json", SPEC)
    out = tmp_path / "shop"
    command = ["generate", str(spec), "--out", str(out), "--quiet"]
    assert main(command) == 0
    unpacked: list[object] = []
    unpack = cache.unpacked_bytes

    def unpacking(data: object) -> bytes | None:
        unpacked.append(data)
        return unpack(data)

    monkeypatch.setattr(cache, "unpacked_bytes", unpacking)
    read = writer_reads(monkeypatch)
    assert main(command) == 0
    assert (unpacked, read) == ([], [])
    edited = out / "shop/__init__.py"
    original = edited.read_text(encoding="utf-8")
    by_hand = original[:-1] + "#"  # the same size: read to tell it from the content
    edited.write_text(by_hand, encoding="utf-8")
    assert main(command) == 0
    assert (len(unpacked), read) == (1, ["shop/__init__.py"])
    assert edited.read_text(encoding="utf-8") == original
    read.clear()
    assert main([*command, "--check"]) == 0  # up to date, told without reading a file
    assert read == []
    edited.write_text(by_hand, encoding="utf-8")
    assert main([*command, "--check"]) == 1
    assert read == ["shop/__init__.py"]


@pytest.mark.parametrize("mark", ["", "\ufeff"], ids=["plain", "byte order mark"])
def test_a_spec_is_reused_with_or_without_a_byte_order_mark(
    mark: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "shop.json"
    spec.write_text(mark + json.dumps(SPEC, indent=2), encoding="utf-8")
    loads = Loads(monkeypatch)
    first = generated(spec)
    again = generated(spec)
    assert loads.count == 1
    assert (again.files, again.diagnostics) == (first.files, first.diagnostics)
    spec.write_text(mark + json.dumps(SPEC), encoding="utf-8")  # another text, same content
    generated(spec)
    assert loads.count == 2


def test_replacements_made_in_turn_place_each_in_the_bytes_made_before_it() -> None:
    data = b"0123456789"
    replacements = [(2, 4, b"ab"), (0, 1, b""), (8, 9, b"XYZ"), (3, 3, b"-"), (0, 12, b"all")]
    expected = data
    made = []
    for start, end, new in replacements:
        expected = result_cache.replaced(expected, start, end, new)
        made.append(result_cache.replaced_in_turn(data, replacements[: len(made) + 1]))
    assert made == [
        b"01ab456789",
        b"1ab456789",
        b"1ab45678XYZ",
        b"1ab-45678XYZ",
        b"all",
    ]
    assert made[-1] == expected
    with pytest.raises(ValueError, match="replacement of 5:11 in 10 bytes"):
        result_cache.replaced_in_turn(data, [(5, 11, b"")])  # ends past the bytes


def test_a_file_patched_many_times_is_read_as_its_replacements_made_it() -> None:
    text = json.dumps(SPEC, indent=2)
    stored: result_cache.StoredFile = cache.packed(text)
    expected = text.encode("utf-8")
    for round_ in range(200):
        at = (round_ * 7) % len(expected)
        new = f"<{round_}>".encode()
        stored = result_cache.with_replacements(stored, [(at, at + 1, new)])
        expected = expected[:at] + new + expected[at + 1 :]
    assert result_cache.stored_bytes(stored) == expected
