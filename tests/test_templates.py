"""Custom templates (`--templates DIR`, or `templates` in the configuration)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PETSTORE = ROOT / "fixtures/petstore/petstore.yaml"

# The example of docs/templates.md: the bundled README, with a section of the team's own.
README_OVERRIDE = """{% include "bundled/package/README.md.jinja" %}

## Support

Ask the platform team in #api-clients.
"""


def specloom(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specloom", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_a_template_in_the_folder_replaces_the_bundled_one(tmp_path: Path) -> None:
    (tmp_path / "templates/package").mkdir(parents=True)
    (tmp_path / "templates/package/README.md.jinja").write_text(README_OVERRIDE)
    (tmp_path / "templates/package/__init__.py.jinja").write_text(
        '"""The {{ api.title }} client of ACME."""\n\n__version__ = {{ version | literal }}\n'
    )
    (tmp_path / "specloom.toml").write_text(
        f'[[generate]]\nspec = "{PETSTORE}"\nout = "out"\nname = "pets"\ntemplates = "templates"\n'
    )
    completed = specloom(tmp_path, "generate")
    assert completed.returncode == 0, completed.stderr
    readme = (tmp_path / "out/README.md").read_text()
    assert "# Petstore\n" in readme  # the bundled part
    assert readme.endswith("## Support\n\nAsk the platform team in #api-clients.\n")
    init = (tmp_path / "out/pets/__init__.py").read_text()
    assert '"""The Petstore client of ACME."""' in init
    assert "API_VERSION" not in init
    # The other templates are the bundled ones.
    bundled = specloom(tmp_path, "generate", str(PETSTORE), "--out", "plain", "--name", "pets")
    assert bundled.returncode == 0
    models = (tmp_path / "out/pets/models/_pet.py").read_text()
    assert models == (tmp_path / "plain/pets/models/_pet.py").read_text()


def test_a_misnamed_or_broken_template_is_reported(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "package").mkdir(parents=True)
    (templates / "package/READMe.md.jinja").write_text("unused\n")
    args = ["generate", str(PETSTORE), "--out", "out", "--templates", "templates"]
    misnamed = specloom(tmp_path, *args)
    assert misnamed.returncode == 0
    assert "warning: package/READMe.md.jinja replaces no bundled template" in misnamed.stderr
    assert "hint: did you mean 'package/README.md.jinja'?" in misnamed.stderr
    assert specloom(tmp_path, *args, "--strict").returncode == 2

    (templates / "package/READMe.md.jinja").unlink()
    (templates / "models").mkdir()
    (templates / "models/models.py.jinja").write_text('"""Models."""\n{% for x in %}\n')
    broken = specloom(
        tmp_path, "generate", str(PETSTORE), "--out", "out2", "--templates", "templates"
    )
    assert broken.returncode == 1
    assert "models/models.py.jinja:2: error: template syntax error" in broken.stderr
    assert "Traceback" not in broken.stderr
    assert not (tmp_path / "out2").exists()
