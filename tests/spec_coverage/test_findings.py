"""Validator findings the generator works around are single warnings saying what happens
instead, errors under --strict; patterns keep their ECMA-262 meaning
(fixtures/coverage/findings.yaml)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pydantic
import pytest

from spec_coverage.generated import FIXTURES, generated_package
from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate

SPEC = FIXTURES / "findings.yaml"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("findings")
    with generated_package("findings.yaml", "cov_findings", root) as package:
        yield package


def test_each_workaround_is_one_warning_saying_what_happens() -> None:
    result = generate(SPEC, GenerateConfig(package_name="findings"))
    assert result.files is not None
    assert {d.level for d in result.diagnostics} == {Level.WARNING}
    by_place = {d.pointer.rsplit("/", 2)[-2]: d.message for d in result.diagnostics}
    assert len(by_place) == len(result.diagnostics) == 3  # one warning per place
    assert by_place["schema"].endswith(
        "the generator drops this default (the field or parameter gets none)"
    )
    word = "pattern '^\\\\p{Lu}\\\\p{Ll}+$'"
    assert by_place["word"].startswith(f"{word}: Python's re cannot compile it")
    assert by_place["word"].endswith("enforces it with pydantic's regex engine")
    assert "compiles neither" in by_place["odd"]
    assert by_place["odd"].endswith("it is not enforced")
    strict = generate(SPEC, GenerateConfig(package_name="findings", strict=True))
    assert strict.files is None


def test_patterns_keep_their_ecma_meaning(pkg: ModuleType) -> None:
    item = pkg.models.Item
    # `[a-z[0-9]]` is the class `[a-z[0-9]` followed by `]` in ECMA-262: "a]" matches it.
    assert item(tag="a]").tag == "a]"
    with pytest.raises(pydantic.ValidationError):
        item(tag="a")
    # `[[a-z]--[aeiou]]` is `[[a-z]`, `--`, `[aeiou]`, `]`: no set difference.
    assert item(code="b--e]").code == "b--e]"
    assert item(word="Été").word == "Été"
    with pytest.raises(pydantic.ValidationError):
        item(word="été")


def test_generating_and_importing_prints_no_foreign_warnings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generated = subprocess.run(
        [
            sys.executable,
            "-W",
            "default",
            "-m",
            "specloom",
            "generate",
            str(SPEC),
            "--out",
            str(out),
            "--name",
            "quiet_findings",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    lines = [line for line in generated.stderr.splitlines() if line.strip()]
    assert all(": warning: " in line or "warnings" in line for line in lines), lines
    imported = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-c",
            "import quiet_findings.models, quiet_findings.server",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
    )
    assert imported.returncode == 0, imported.stderr
