"""`specloom generate --formatter ruff|black|none`."""

from __future__ import annotations

from pathlib import Path

import pytest

from specloom.cli import main

PETSTORE = Path(__file__).resolve().parent.parent / "fixtures/petstore/petstore.yaml"
GOLDEN = Path(__file__).resolve().parent.parent / "fixtures/golden/petstore/petstore"


def generated(tmp_path: Path, *options: str) -> dict[str, str]:
    out = tmp_path / "out"
    # The golden trees are generated against the installed runtime.
    common = ["--out", str(out), "--name", "petstore", "--runtime", "dependency"]
    assert main(["generate", str(PETSTORE), *common, *options]) == 0
    return {p.name: p.read_text(encoding="utf-8") for p in (out / "petstore").glob("*.py")}


def golden() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.py")}


@pytest.mark.parametrize("options", [[], ["--formatter", "ruff"], ["--formatter", "black"]])
def test_every_formatter_but_none_writes_the_golden_files(
    tmp_path: Path, options: list[str]
) -> None:
    assert generated(tmp_path, *options) == golden()


def test_formatter_none_writes_the_files_as_rendered(tmp_path: Path) -> None:
    files = generated(tmp_path, "--formatter", "none")
    assert files.keys() == golden().keys()
    assert files["client.py"] != golden()["client.py"]
    compile(files["client.py"], "client.py", "exec")


def test_an_unknown_formatter_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["generate", str(PETSTORE), "--out", "x", "--formatter", "yapf"])
    assert exited.value.code == 2
    assert "invalid choice: 'yapf'" in capsys.readouterr().err
