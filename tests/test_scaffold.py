"""`specloom scaffold`: a typed implementation skeleton, written once and never overwritten,
that keeps pointing (through mypy) at what a spec change broke."""

from __future__ import annotations

import ast
import asyncio
import copy
import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from specloom.cli import main
from specloom_runtime.errors import UnexpectedStatusError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PETSTORE = FIXTURES / "petstore/petstore.yaml"
SERVICE = FIXTURES / "server/service.yaml"
BEARER = FIXTURES / "security/bearer.yaml"


def generate(spec: Path, out: Path, name: str) -> None:
    arguments = ["generate", str(spec), "--out", str(out), "--name", name, "-q"]
    assert main([*arguments, "--runtime", "dependency"]) == 0


def scaffold(spec: Path, out: Path, name: str) -> int:
    arguments = ["scaffold", str(spec), "--out", str(out), "--name", name]
    return main([*arguments, "--runtime", "dependency"])


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the module's runs: the libraries are analysed once."""
    return tmp_path_factory.mktemp("mypy_cache")


def mypy(program: Path, package: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` on `program`, with the generated `package`'s project on its path."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), str(program)],
        capture_output=True,
        text=True,
        check=False,
        env={"MYPYPATH": str(package), "PATH": ""},
    )


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[Path]:
    """`tmp_path`, importable while the test runs; the modules imported from it are dropped."""
    before = set(sys.modules)
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in set(sys.modules) - before:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("spec", "name", "classes"),
    [
        (PETSTORE, "scaffold_pets", ["Default(DefaultApi)", "Pets(PetsApi)", "Store(StoreApi)"]),
        (SERVICE, "scaffold_service", ["Events(EventsApi)", "Photos(PhotosApi)"]),
        (BEARER, "scaffold_bearer", ["Default(DefaultApi)"]),
    ],
)
def test_the_skeleton_has_every_operation_typed_and_type_checks(
    tmp_path: Path, mypy_cache: Path, spec: Path, name: str, classes: list[str]
) -> None:
    generate(spec, tmp_path / name, name)
    program = tmp_path / "implementation.py"

    assert scaffold(spec, program, name) == 0

    text = program.read_text(encoding="utf-8")
    for declaration in classes:
        assert f"class {declaration}:" in text
    assert "specloom never changes this file" in text
    assert "do not edit" not in text
    checked = mypy(program, tmp_path / name, mypy_cache)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_skeleton_serves_the_app_answering_501(on_path: Path) -> None:
    project = on_path / "scaffold_run"  # the generated project folder, and the user's file in it
    generate(PETSTORE, project, "scaffold_run")
    sys.path.insert(0, str(project))
    try:
        assert scaffold(PETSTORE, project / "scaffold_run_impl.py", "scaffold_run") == 0
        implementation: Any = importlib.import_module("scaffold_run_impl")
        client_module: Any = importlib.import_module("scaffold_run.client")
    finally:
        sys.path.remove(str(project))

    async def call() -> int:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=implementation.app))
        async with client_module.AsyncClient("http://t", http_client=http_client) as client:
            with pytest.raises(UnexpectedStatusError) as raised:
                await client.pets.get_pet(pet_id=1)
            return int(raised.value.status_code)

    assert asyncio.run(call()) == 501


def test_an_existing_file_is_refused_and_left_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "implementation.py"
    program.write_text("# my work\n", encoding="utf-8")

    status = scaffold(PETSTORE, program, "petstore")

    assert status == 1
    assert program.read_text(encoding="utf-8") == "# my work\n"
    assert f"{program} exists" in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["implementation.py"]


def test_a_spec_with_errors_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {}\npaths: 7\n", encoding="utf-8")
    program = tmp_path / "implementation.py"

    assert scaffold(spec, program, "broken") == 1
    assert not program.exists()


def test_the_package_name_defaults_to_the_spec_file_name(tmp_path: Path) -> None:
    program = tmp_path / "implementation.py"

    assert main(["scaffold", str(PETSTORE), "--out", str(program), "-q"]) == 0

    # The default --runtime is vendored, as for `generate`.
    text = program.read_text(encoding="utf-8")
    assert "from petstore.server import" in text
    assert "from petstore._runtime.server import" in text


def test_regenerating_never_touches_the_skeleton(tmp_path: Path) -> None:
    package = tmp_path / "pets"
    generate(PETSTORE, package, "pets")
    program = package / "pets_implementation.py"  # inside the generated folder
    assert scaffold(PETSTORE, program, "pets") == 0
    before = program.read_bytes()
    changed = yaml.safe_load(PETSTORE.read_text(encoding="utf-8"))
    del changed["paths"]["/pets/{petId}"]["delete"]
    spec = tmp_path / "petstore.yaml"
    spec.write_text(yaml.safe_dump(changed), encoding="utf-8")

    generate(spec, package, "pets")

    assert program.read_bytes() == before
    assert "delete_pet" not in (package / "pets/server.py").read_text(encoding="utf-8")


def changed_petstore() -> dict[str, Any]:
    """The petstore with four operations changed in four ways, and four left alone."""
    spec: dict[str, Any] = copy.deepcopy(yaml.safe_load(PETSTORE.read_text(encoding="utf-8")))
    paths = spec["paths"]
    # A parameter's type: petId becomes a string (get_pet, update_pet, delete_pet share it;
    # move it onto get_pet alone so that only get_pet changes).
    shared = paths["/pets/{petId}"].pop("parameters")
    paths["/pets/{petId}"]["get"]["parameters"] = [
        {**shared[0], "schema": {"type": "string", "maxLength": 20}}
    ]
    for method in ("put", "delete"):
        paths["/pets/{petId}"][method]["parameters"] = shared
    # A new required parameter.
    paths["/pets"]["get"]["parameters"].append(
        {"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    # A different response body.
    inventory = paths["/store/inventory"]["get"]["responses"]["200"]
    inventory["content"]["application/json"]["schema"]["additionalProperties"] = {"type": "string"}
    # An operation gone.
    del paths["/pets/{petId}"]["delete"]
    return spec


def methods_with_errors(program: Path, output: str) -> set[str]:
    """The methods of `program` that mypy's `output` reports an error in (or on)."""
    lines = {
        int(match.group(1))
        for match in re.finditer(rf"^{re.escape(str(program))}:(\d+): error:", output, re.M)
    }
    assert lines, output
    tree = ast.parse(program.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            end = node.end_lineno or node.lineno
            if any(start <= line <= end for line in lines):
                found.add(node.name)
    return found


def test_after_a_spec_change_mypy_points_at_every_method_that_no_longer_fits(
    tmp_path: Path, mypy_cache: Path
) -> None:
    package = tmp_path / "pets"
    generate(PETSTORE, package, "pets")
    program = tmp_path / "pets_implementation.py"
    assert scaffold(PETSTORE, program, "pets") == 0
    assert mypy(program, package, mypy_cache).returncode == 0
    spec = tmp_path / "petstore.yaml"
    spec.write_text(yaml.safe_dump(changed_petstore()), encoding="utf-8")

    generate(spec, package, "pets")
    checked = mypy(program, package, mypy_cache)

    assert checked.returncode == 1
    assert methods_with_errors(program, checked.stdout) == {
        "get_pet",
        "list_pets",
        "get_inventory",
        "delete_pet",
    }
