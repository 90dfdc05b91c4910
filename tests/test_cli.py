"""The command line as a user meets it: help, exit codes, messages, what lands on disk."""

from __future__ import annotations

import ast
import errno
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from specloom.cli import main
from specloom.diagnostics import Diagnostic

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PETSTORE = FIXTURES / "petstore/petstore.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specloom", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", [[], ["generate"], ["validate"], ["scaffold"]])
def test_help(command: list[str]) -> None:
    completed = run(*command, "--help")
    assert completed.returncode == 0
    assert "usage: specloom" in completed.stdout


def test_generate_writes_an_installable_package(tmp_path: Path) -> None:
    out = tmp_path / "petstore"
    completed = run("generate", str(PETSTORE), "--out", str(out), "--name", "petstore")
    assert completed.returncode == 0, completed.stderr
    for relative in [
        "pyproject.toml",
        "README.md",
        "petstore/__init__.py",
        "petstore/py.typed",
        "petstore/models/__init__.py",
        "petstore/models/_pet.py",
        "petstore/client.py",
        "petstore/server.py",
    ]:
        assert (out / relative).is_file(), relative
    # The runtime is vendored: the package depends on nothing outside the package index.
    assert (out / "petstore/_runtime/client.py").is_file()
    assert "specloom-runtime" not in (out / "pyproject.toml").read_text()


@pytest.mark.parametrize(
    ("target", "present", "absent"),
    [("client", "client.py", "server.py"), ("server", "server.py", "client.py")],
)
def test_target_selects_what_is_generated(
    tmp_path: Path, target: str, present: str, absent: str
) -> None:
    out = tmp_path / "out"
    assert (
        main(["generate", str(PETSTORE), "--out", str(out), "--name", "pkg", "--target", target])
        == 0
    )
    assert (out / "pkg" / present).is_file()
    assert not (out / "pkg" / absent).exists()


def test_name_defaults_to_the_output_folder(tmp_path: Path) -> None:
    assert main(["generate", str(PETSTORE), "--out", str(tmp_path / "my-api")]) == 0
    assert (tmp_path / "my-api/my_api/client.py").is_file()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as bad_name:
        main(["generate", str(PETSTORE), "--out", str(tmp_path), "--name", "not-valid"])
    assert bad_name.value.code == 2
    assert "package name" in capsys.readouterr().err
    assert run("generate", str(PETSTORE)).returncode == 2
    assert run("frobnicate").returncode == 2


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    completed = run("validate", str(FIXTURES / "cli/broken_syntax.yaml"))
    assert completed.returncode == 1
    assert "broken_syntax.yaml:" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert ":7:" in completed.stderr or ":8:" in completed.stderr


def test_invalid_spec_lists_each_problem_with_its_pointer() -> None:
    completed = run("validate", str(FIXTURES / "cli/invalid_schema.yaml"))
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert "#/info" in completed.stderr  # no version
    assert "#/paths/~1pets/get/responses/200" in completed.stderr  # no description


def test_unresolvable_ref_names_the_ref_and_where_it_was_used() -> None:
    completed = run("validate", str(FIXTURES / "cli/missing_ref.yaml"))
    assert completed.returncode == 1
    assert "#/components/schemas/Nowhere" in completed.stderr
    assert "/paths/~1pets/get/responses/200/content/application~1json/schema" in completed.stderr


def test_missing_file_is_a_clear_error() -> None:
    completed = run("generate", "no/such/spec.yaml", "--out", "unused")
    assert completed.returncode == 1
    assert "no/such/spec.yaml" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_failed_run_leaves_the_output_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert main(["generate", str(PETSTORE), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    failed = main(["generate", str(FIXTURES / "cli/invalid_schema.yaml"), "--out", str(out)])
    assert failed == 1
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before


def test_check_reports_stale_output(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    args = ["generate", str(PETSTORE), "--out", str(out)]
    assert main([*args, "--check"]) == 1
    assert not out.exists()
    assert main(args) == 0
    assert main([*args, "--check"]) == 0
    (out / "pkg/models/_pet.py").write_text("# edited\n")
    assert main([*args, "--check"]) == 1


def test_validate_accepts_the_example() -> None:
    completed = run("validate", str(PETSTORE))
    assert completed.returncode == 0, completed.stderr
    assert "valid" in completed.stdout


def test_library_warnings_become_diagnostics_naming_their_origin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import warnings

    import specloom.pipeline

    checked = specloom.pipeline.findings  # what `specloom validate` runs

    def noisy_check(*args: object, **kwargs: object) -> tuple[bool, list[Diagnostic]]:
        warnings.warn("something odd", UserWarning, stacklevel=1)
        warnings.warn("something odd", UserWarning, stacklevel=1)
        return checked(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(specloom.pipeline, "findings", noisy_check)
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # as Python shows warnings without pytest
        assert main(["validate", str(PETSTORE)]) == 0
    err = capsys.readouterr().err
    # One diagnostic line, in specloom's format, naming the warning and where it came from.
    assert err.count("something odd") == 1
    assert "warning: UserWarning from test_cli.py: something odd" in err
    assert "warnings.warn(" not in err


@pytest.mark.parametrize("target", ["client", "server", "all"])
def test_a_vendored_package_imports_only_what_it_requires(tmp_path: Path, target: str) -> None:
    out = tmp_path / "out"
    argv = ["generate", str(PETSTORE), "--out", str(out), "--name", "pkg", "--target", target]
    assert main([*argv, "--quiet"]) == 0
    project = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = list(project["dependencies"])
    if target == "all":
        required += project["optional-dependencies"]["server"]
    # Distribution names as import names (pydantic brings pydantic_core).
    allowed = {re.split(r"[<>=\[ ;]", name)[0].replace("-", "_") for name in required}
    allowed |= {"pkg", "pydantic_core", *sys.stdlib_module_names}
    imported = set()
    for path in (out / "pkg").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {(alias.name.split(".")[0], path.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add((node.module.split(".")[0], path.name))
    assert {(module, where) for module, where in imported if module not in allowed} == set()
    assert ("starlette" in allowed) == (target != "client")
    # Its docs name the copy's runtime names, the ones that work with it.
    for path in [*(out / "pkg").glob("*.py"), out / "README.md"]:
        assert "specloom_runtime" not in path.read_text(encoding="utf-8"), path.name
    # And what it ships imports: every module of the package, the runtime's included.
    walk = (
        "import importlib, pkgutil, pkg\n"
        "for module in pkgutil.walk_packages(pkg.__path__, 'pkg.'):\n"
        "    importlib.import_module(module.name)\n"
    )
    every = subprocess.run(
        [sys.executable, "-c", walk], cwd=out, capture_output=True, text=True, check=False
    )
    assert every.returncode == 0, every.stderr


def test_a_full_disk_while_formatting_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from specloom.render import format as formatting

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    monkeypatch.setattr(formatting, "open", full_disk, raising=False)
    out = tmp_path / "petstore"
    assert main(["generate", str(PETSTORE), "--out", str(out), "--name", "petstore"]) == 1
    err = capsys.readouterr().err
    assert "error: cannot format the generated files: No space left on device" in err, err
    assert "--formatter black" in err
    assert "Traceback" not in err
    assert not out.exists()
