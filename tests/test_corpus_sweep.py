"""The corpus sweep script tells how each spec ended and counts operations honestly."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "corpus_sweep.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_sweep", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_declared_operations_follow_local_path_item_refs_and_skip_extensions() -> None:
    sweep = load_script()
    document = {
        "paths": {
            "/a": {"get": {}, "post": {}, "parameters": [], "summary": "two operations"},
            "/b": {"$ref": "#/components/pathItems/B"},
            "x-internal": {"get": {}},
            "/c": {"additionalOperations": {"COPY": {}}},
        },
        "components": {"pathItems": {"B": {"delete": {}}}},
    }
    assert sweep.count_declared_operations(document) == 4


def test_a_sweep_tells_generated_specs_from_clean_stops_and_counts_operations(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "fixtures/petstore/petstore.yaml", corpus / "petstore.yaml")
    shutil.copy(ROOT / "fixtures/cli/missing_ref.yaml", corpus / "missing_ref.yaml")
    results = tmp_path / "results.jsonl"
    completed = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            str(corpus),
            "--default-options",
            "--workers",
            "1",
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    outcomes = {
        Path(line["spec"]).name: line
        for line in map(json.loads, results.read_text(encoding="utf-8").splitlines())
    }
    petstore, broken = outcomes["petstore.yaml"], outcomes["missing_ref.yaml"]
    assert (petstore["kind"], petstore["failed_stage"]) == ("passed", None)
    assert petstore["operations_declared"] == petstore["operations_generated"] == 8
    assert (broken["kind"], broken["failed_stage"]) == ("diagnostic", "load")
    assert broken["operations_declared"] == 1
    assert broken["operations_generated"] is None
    assert "operations present 8/9 declared 88.89%" in completed.stdout
    assert "passed 1, diagnostic 1, traceback 0, timeout 0" in completed.stdout


def test_building_models_finds_what_importing_them_does_not(tmp_path: Path) -> None:
    sweep = load_script()
    package = tmp_path / sweep.PACKAGE
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "client.py").write_text("", encoding="utf-8")
    (package / "server.py").write_text("", encoding="utf-8")
    # Like a generated model, it builds its validator on first use: importing it is fine.
    (package / "models" / "__init__.py").write_text(
        "from pydantic import BaseModel, ConfigDict\n"
        "__all__ = ['Fine', 'Broken']\n"
        "class Fine(BaseModel):\n"
        "    model_config = ConfigDict(defer_build=True)\n"
        "    name: str\n"
        "class Broken(BaseModel):\n"
        "    model_config = ConfigDict(defer_build=True)\n"
        "    owner: 'Nowhere'\n",
        encoding="utf-8",
    )
    sweep._check_imports(tmp_path, 60)
    with pytest.raises(sweep.StageFailure) as failure:
        sweep._check_imports(tmp_path, 60, build_models=True)
    assert (failure.value.stage, failure.value.kind) == ("import", "generated")
    assert "Nowhere" in failure.value.reason
