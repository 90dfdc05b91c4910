"""The generated README's examples of a secured API run as written: its server example,
served locally, accepts the credentials its client example sends."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from specloom_runtime.server.testing import serve_in_thread
from tests.security.generated import load


@pytest.mark.parametrize("spec", ["bearer", "api_key", "basic", "oauth2", "mixed"])
def test_the_client_example_is_answered_by_the_server_example(spec: str) -> None:
    package = load(spec)
    assert package.__file__ is not None
    readme = (Path(package.__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    client, server = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert 'Client("http://localhost:8000", ' in client  # a credential is shown
    namespace: dict[str, object] = {}
    exec(compile(server, "README server example", "exec"), namespace)
    output = io.StringIO()
    with serve_in_thread(namespace["app"]) as url, contextlib.redirect_stdout(output):  # type: ignore[arg-type]
        exec(compile(client.replace("http://localhost:8000", url), "README", "exec"), {})
    # What the server example's handler returns, as the client example prints it.
    assert output.getvalue() in ("name='example'\n", "[]\n")
