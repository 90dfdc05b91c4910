"""The README's server examples run as they are, and type-check, against the packages they
name (`petstore` from the bundled petstore, `service` from fixtures/server/service.yaml)."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

ROOT = Path(__file__).resolve().parents[2]
SPECS = {
    "petstore": ROOT / "fixtures/petstore/petstore.yaml",
    "service": ROOT / "fixtures/server/service.yaml",
}


def server_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Implementing the generated server", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.+?)```", section, re.DOTALL)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`petstore` and `service` generated into one folder on `sys.path`."""
    folder = tmp_path_factory.mktemp("readme")
    for name, spec in SPECS.items():
        result = generate(spec, GenerateConfig(package_name=name, runtime="vendored"))
        assert result.files is not None
        assert write_tree(folder / name, result.files) == []
    paths = [str(folder / name) for name in SPECS]
    sys.path[:0] = paths
    try:
        yield folder
    finally:
        del sys.path[: len(paths)]
        for module in [m for m in sys.modules if m.split(".")[0] in SPECS]:
            del sys.modules[module]


def test_the_server_examples_run(packages: Path) -> None:
    examples = server_examples()
    assert len(examples) >= 5
    module = types.ModuleType("readme_example")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    try:
        for example in examples:
            exec(compile(example, "README.md", "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]


def test_the_server_examples_type_check(packages: Path, tmp_path: Path) -> None:
    *single, resources, client = server_examples()  # the client example uses `users_app`
    programs = []
    for number, example in enumerate([*single, resources + client]):
        program = tmp_path / f"readme_example_{number}.py"
        program.write_text(example, encoding="utf-8")
        programs.append(str(program))
    mypy_path = ":".join(str(packages / name) for name in SPECS)
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *programs],
        capture_output=True,
        text=True,
        check=False,
        env={"MYPYPATH": mypy_path, "PATH": ""},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
