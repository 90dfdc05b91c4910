"""Configuration files as a project uses them: `specloom generate` with no SPEC."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PETSTORE = ROOT / "fixtures/petstore/petstore.yaml"


def specloom(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specloom", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    shutil.copy(PETSTORE, tmp_path / "specs/petstore.yaml")
    return tmp_path


def write(path: Path, text: str) -> None:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


TWO_TABLES = """
    [project]
    name = "demo"

    [[tool.specloom.generate]]
    spec = "specs/petstore.yaml"
    out = "clients/petstore"
    name = "petstore"
    target = "client"

    [[tool.specloom.generate]]
    spec = "specs/petstore.yaml"
    out = "servers/pets"
    target = "server"
    runtime = "dependency"
"""


def test_generate_without_spec_runs_every_table(project: Path) -> None:
    write(project / "pyproject.toml", TWO_TABLES)
    completed = specloom(project, "generate")
    assert completed.returncode == 0, completed.stderr
    assert (project / "clients/petstore/petstore/client.py").is_file()
    assert not (project / "clients/petstore/petstore/server.py").exists()
    assert (project / "servers/pets/pets/server.py").is_file()
    assert not (project / "servers/pets/pets/_runtime").exists()
    assert "generated" in completed.stdout
    # Run from a subfolder: the nearest configuration is found, paths stay relative to it.
    again = specloom(project / "specs", "generate", "--check")
    assert again.returncode == 0, again.stderr


def test_specloom_toml_uses_the_same_keys_without_the_prefix(project: Path) -> None:
    write(
        project / "specloom.toml",
        """
        [[generate]]
        spec = "specs/petstore.yaml"
        out = "gen"
        name = "pets"
        """,
    )
    completed = specloom(project, "generate", "--quiet")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    assert (project / "gen/pets/client.py").is_file()


def test_command_line_flags_override_the_tables(project: Path) -> None:
    write(
        project / "specloom.toml",
        """
        [[generate]]
        spec = "specs/petstore.yaml"
        out = "gen"
        name = "pets"
        target = "client"
        """,
    )
    assert specloom(project, "generate", "--target", "server").returncode == 0
    assert (project / "gen/pets/server.py").is_file()
    assert not (project / "gen/pets/client.py").exists()


def test_a_spec_on_the_command_line_ignores_the_tables(project: Path) -> None:
    write(project / "pyproject.toml", TWO_TABLES)
    completed = specloom(project, "generate", "specs/petstore.yaml", "--out", "one")
    assert completed.returncode == 0, completed.stderr
    assert (project / "one/one/server.py").is_file()
    assert not (project / "clients").exists()


def test_unknown_keys_and_wrong_types_name_the_key_the_file_and_the_line(project: Path) -> None:
    write(
        project / "pyproject.toml",
        """
        [tool.specloom]
        colour = true

        [[tool.specloom.generate]]
        spec = "specs/petstore.yaml"
        out = "gen"
        strict = "yes"
        skip-validation = true
        targte = "client"
        target = "everything"
        """,
    )
    completed = specloom(project, "generate")
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        "pyproject.toml:2: error: unknown key 'colour' in [tool.specloom] "
        "(at #/tool/specloom/colour)",
        "  hint: generation settings go in [[tool.specloom.generate]] tables",
        "pyproject.toml:7: error: 'strict' must be true or false, not a string ('yes') "
        "(at #/tool/specloom/generate/0/strict)",
        "pyproject.toml:8: error: unknown key 'skip-validation' "
        "(at #/tool/specloom/generate/0/skip-validation)",
        "  hint: did you mean 'skip_validation'? keys use underscores",
        "pyproject.toml:9: error: unknown key 'targte' (at #/tool/specloom/generate/0/targte)",
        "  hint: did you mean 'target'?",
        "pyproject.toml:10: error: 'target' must be one of 'client', 'server', 'all', "
        "not 'everything' (at #/tool/specloom/generate/0/target)",
        "5 errors, 0 warnings",
    ]
    assert not (project / "gen").exists()


def test_a_table_without_out_and_a_toml_syntax_error(project: Path) -> None:
    write(project / "specloom.toml", '[[generate]]\nspec = "specs/petstore.yaml"\n')
    missing = specloom(project, "generate")
    assert missing.returncode == 2
    assert "specloom.toml:1: error: the table has no 'out'" in missing.stderr
    write(project / "specloom.toml", '[[generate]]\nspec = "specs/petstore.yaml\n')
    broken = specloom(project, "generate")
    assert broken.returncode == 2
    assert "specloom.toml:2:" in broken.stderr
    assert "TOML syntax error" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_every_generate_option_is_a_key() -> None:
    from specloom.cli import _build_parser, _subparser
    from specloom.config_file import options_of

    keys = set(options_of(_subparser(_build_parser(), "generate")))
    expected = {"spec", "out", "name", "target", "strict", "skip_validation", "check"}
    assert expected | {"runtime", "distribution", "templates", "format", "quiet"} <= keys


def test_without_spec_or_configuration_it_is_a_usage_error(tmp_path: Path) -> None:
    completed = specloom(tmp_path, "generate")
    assert completed.returncode == 2
    assert "give a SPEC" in completed.stderr


def test_allow_ref_root_folders_are_relative_to_the_configuration(project: Path) -> None:
    (project / "shared").mkdir()
    write(
        project / "shared/pet.yaml",
        """
        type: object
        properties: {name: {type: string}}
        """,
    )
    write(
        project / "specs/api.yaml",
        """
        openapi: 3.0.3
        info: {title: Shared, version: "1"}
        paths:
          /pet:
            get:
              responses:
                "200":
                  description: A pet.
                  content:
                    application/json: {schema: {$ref: "../shared/pet.yaml"}}
        """,
    )
    write(
        project / "specloom.toml",
        """
        [[generate]]
        spec = "specs/api.yaml"
        out = "gen/api"
        allow_ref_root = ["shared"]
        """,
    )
    # From another folder, "shared" still means the project's.
    completed = specloom(project / "specs", "generate")
    assert completed.returncode == 0, completed.stderr
    assert (project / "gen/api/api/models/__init__.py").is_file()
