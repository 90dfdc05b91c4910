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


CASES = (
    GoldenCase(FIXTURES / "petstore/petstore.yaml", GenerateConfig(package_name="petstore")),
    GoldenCase(FIXTURES / "hostile/hostile.yaml", GenerateConfig(package_name="hostile")),
    GoldenCase(FIXTURES / "security/mixed.yaml", GenerateConfig(package_name="mixed_security")),
)
