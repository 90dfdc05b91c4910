"""The distribution ships every subpackage of the generator and every template."""

from __future__ import annotations

from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_every_generator_subpackage_is_listed() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    generator = ROOT / "generator"
    on_disk = {
        ".".join(init.parent.relative_to(generator).parts)
        for init in generator.rglob("__init__.py")
    }
    assert on_disk <= set(setuptools["packages"])
    assert on_disk, "no package found under generator/"
    assert setuptools["package-dir"] == {"": "generator", "specloom.templates": "templates"}
    assert "**/*.jinja" in setuptools["package-data"]["specloom.templates"]
