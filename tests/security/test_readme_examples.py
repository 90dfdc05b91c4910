"""The README's security examples run as written, on the package generated from
fixtures/security/bearer.yaml under the name the README gives it, its runtime vendored as
the README's command vendors it."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

ROOT = Path(__file__).resolve().parents[2]


def _security_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Security\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.+?)```", section, flags=re.DOTALL)


@pytest.fixture(scope="module")
def bearer_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    tmp_path = tmp_path_factory.mktemp("readme")
    config = GenerateConfig(package_name="bearer", runtime="vendored")
    result = generate(ROOT / "fixtures/security/bearer.yaml", config)
    assert result.files is not None
    assert write_tree(tmp_path / "bearer", result.files) == []
    sys.path.insert(0, str(tmp_path / "bearer"))
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path / "bearer"))
        for name in [m for m in sys.modules if m == "bearer" or m.startswith("bearer.")]:
            del sys.modules[name]


def test_the_server_and_client_examples_run(bearer_package: None) -> None:
    server, client, _ = _security_blocks()
    namespace: dict[str, object] = {}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(server + client, "README.md", "exec"), namespace)
    assert output.getvalue().split() == ["bob", "403"]


def test_the_oauth_example_builds_its_auths(
    monkeypatch: pytest.MonkeyPatch, bearer_package: None
) -> None:
    _, _, oauth = _security_blocks()
    monkeypatch.setenv("CLIENT_SECRET", "x")
    monkeypatch.setenv("REFRESH_TOKEN", "y")
    namespace: dict[str, object] = {}
    exec(compile(oauth, "README.md", "exec"), namespace)
    assert repr(namespace["service"]) == (
        "OAuth2ClientCredentials(client_id='reporting', scopes=('read',))"
    )
