"""The fixtures whose whole generated trees are committed under fixtures/golden/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from specloom.config import GenerateConfig

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN = FIXTURES / "golden"


@dataclass(frozen=True)
class GoldenCase:
    spec: Path
    config: GenerateConfig

    @property
    def out_dir(self) -> Path:
        return GOLDEN / self.config.package_name


# The golden trees depend on specloom-runtime rather than vendoring a copy of it, so that
# they show the generated code only and do not change with every change of the runtime;
# tests/test_install.py covers the vendored (default) layout.
CASES = (
    GoldenCase(
        FIXTURES / "petstore/petstore.yaml",
        GenerateConfig(package_name="petstore", runtime="dependency", source_label="petstore.yaml"),
    ),
    GoldenCase(
        FIXTURES / "hostile/hostile.yaml",
        GenerateConfig(package_name="hostile", runtime="dependency", source_label="hostile.yaml"),
    ),
    GoldenCase(
        FIXTURES / "security/mixed.yaml",
        GenerateConfig(
            package_name="mixed_security", runtime="dependency", source_label="mixed.yaml"
        ),
    ),
    GoldenCase(
        FIXTURES / "server/service.yaml",
        GenerateConfig(package_name="service", runtime="dependency", source_label="service.yaml"),
    ),
)
