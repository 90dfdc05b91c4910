"""Importing a generated client costs little: httpx, pydantic and the call machinery are
imported when the first client is made, and the runtime's names stay the same objects
whichever way they are imported (`isinstance` and `except` see one class).

Each check runs in a fresh interpreter, on a package generated with the command line's
defaults (the runtime vendored as `<package>._runtime`); no timing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "fixtures/security/mixed.yaml"
HEAVY = ("anyio", "asyncio", "httpx", "pydantic", "pydantic_core")

IMPORT_THEN_CALL = """
import json
import sys

import mixed.client

before = sorted(name for name in {heavy!r} if name in sys.modules)

import httpx

from mixed._runtime import UnexpectedStatusError

def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(418, json={{"path": request.url.path}})

http = httpx.Client(base_url="http://mixed.test", transport=httpx.MockTransport(answer))
with mixed.client.Client(http_client=http) as client:
    try:
        client.request("GET", "/nowhere")
    except UnexpectedStatusError as exc:
        caught = exc.status_code
after = sorted(name for name in {heavy!r} if name in sys.modules)
print(json.dumps({{"before": before, "after": after, "caught": caught}}))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("import_cost") / "mixed"
    command = [sys.executable, "-m", "specloom", "generate", str(SPEC), "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return out


def _run(code: str, path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(path)}
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_importing_the_client_imports_neither_httpx_nor_pydantic(generated: Path) -> None:
    shown = json.loads(_run(IMPORT_THEN_CALL.format(heavy=HEAVY), generated))
    assert shown["before"] == []
    # Making a client and sending a call imports them, and the call works as before.
    assert {"httpx", "pydantic"} <= set(shown["after"])
    assert shown["caught"] == 418
    # asyncio is for async clients: a sync one never imports it.
    assert "asyncio" not in shown["after"]


def test_runtime_names_are_one_object_whichever_way_imported(generated: Path) -> None:
    code = """
    import mixed._runtime as runtime
    from mixed._runtime import errors
    from mixed._runtime.auth import OpenIdConnect
    from mixed._runtime.client import ClientCore
    from mixed._runtime.retry import RetryPolicy

    print(
        runtime.UnexpectedStatusError is errors.UnexpectedStatusError,
        runtime.SpecloomError is errors.SpecloomError,
        runtime.OpenIdConnect is OpenIdConnect,
        runtime.ClientCore is ClientCore,
        runtime.RetryPolicy is RetryPolicy,
    )
    """
    assert _run(code, generated).split() == ["True"] * 5


def test_every_public_runtime_name_imports_in_a_fresh_interpreter(generated: Path) -> None:
    code = """
    import mixed._runtime as runtime

    for name in runtime.__all__:
        exec(f"from mixed._runtime import {name}")
    exec("from mixed._runtime import *")
    print(len(runtime.__all__), sorted(set(runtime.__all__) - set(dir(runtime))))
    """
    count, missing = _run(code, generated).split(maxsplit=1)
    assert int(count) > 30
    assert missing.strip() == "[]"


def test_importing_the_client_leaves_the_operation_descriptors_alone(generated: Path) -> None:
    code = """
    import sys

    import mixed.client

    print("mixed._operations" in sys.modules)
    import httpx

    sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("authorization"))
        return httpx.Response(200, json=["a"])

    http = httpx.Client(base_url="http://mixed.test", transport=httpx.MockTransport(answer))
    with mixed.client.Client(http_client=http, bearer_auth="t0k") as client:
        print(client.default.list_items(), sent)
    import mixed._operations

    print(mixed._operations.BEARER_AUTH is mixed._security_schemes.BEARER_AUTH)
    """
    assert _run(code, generated).splitlines() == ["False", "['a'] ['Bearer t0k']", "True"]
