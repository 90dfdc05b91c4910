"""A run patching the last result reads that result's files from the output folder where
the folder holds them as written, and never trusts a file changed since."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from regenerations import operations

from specloom import cache
from specloom.earlier_files import EarlierFiles
from specloom.result_cache import StoredFile, form_digest
from specloom.write import write_tree

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TEXTS = {"pkg/openapi.json": '{\n  "a": 1\n}\n', "pkg/client.py": "x = 1\n"}


def _written(out: Path) -> dict[str, StoredFile]:
    """`TEXTS` as the result cache stores them, written into `out` with their digests."""
    stored: dict[str, StoredFile] = {p: cache.packed(text) for p, text in TEXTS.items()}
    digests = {p: form_digest(value) for p, value in stored.items()}
    assert write_tree(out, TEXTS, digests=digests) == []
    return stored


def _never(value: Any) -> bytes:
    raise AssertionError("decompressed a file the output folder holds as written")


def test_a_file_as_written_is_read_from_the_folder(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    stored = _written(out)
    monkeypatch.setattr("specloom.earlier_files.stored_bytes", _never)
    earlier = EarlierFiles(stored, out)
    assert earlier.data("pkg/openapi.json") == TEXTS["pkg/openapi.json"].encode()
    assert earlier.data("pkg/missing.py") is None


def test_a_file_changed_since_it_was_written_is_taken_from_the_cache(
    cache_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    stored = _written(out)
    edited = out / "pkg" / "openapi.json"
    before = edited.stat()
    edited.write_text('{\n  "a": 2\n}\n')  # the same size, its times set back
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    (out / "pkg" / "client.py").unlink()
    earlier = EarlierFiles(stored, out)
    assert earlier.data("pkg/openapi.json") == TEXTS["pkg/openapi.json"].encode()
    assert earlier.data("pkg/client.py") == b"x = 1\n"
    assert EarlierFiles(stored, None).data("pkg/client.py") == b"x = 1\n"


@pytest.mark.parametrize("change", ["description", "parameter"])
def test_a_hand_edited_output_file_does_not_leak_into_a_patched_run(
    change: str, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone edits the generated openapi.json; the next run, patching the last result
    after a description edit or a parameter added, writes what a run afresh writes."""
    from specloom.cli import main

    document = json.loads((FIXTURES / "realworld/discourse.json").read_text(encoding="utf-8"))
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    out, fresh = tmp_path / "out" / "api", tmp_path / "fresh" / "api"
    assert main(["generate", str(spec), "--out", str(out), "--quiet"]) == 0
    served = out / "api" / "openapi.json"
    served.write_text(served.read_text(encoding="utf-8").replace('"', "'", 2), encoding="utf-8")
    operation = operations(document)[-1]
    if change == "description":
        operation["description"] = "Described anew."
    else:
        parameter = {"name": "added", "in": "query", "schema": {"type": "integer"}}
        operation.setdefault("parameters", []).append(parameter)
    spec.write_text(json.dumps(document), encoding="utf-8")
    assert main(["generate", str(spec), "--out", str(out), "--quiet"]) == 0
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    assert main(["generate", str(spec), "--out", str(fresh), "--quiet"]) == 0
    assert served.read_bytes() == (fresh / "api" / "openapi.json").read_bytes()
    assert b"Described anew." in served.read_bytes() or b'"added"' in served.read_bytes()
