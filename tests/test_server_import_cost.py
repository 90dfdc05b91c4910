"""A generated server costs what is used: `import PKG.server` imports no API class, no
descriptor and no model; `create_app` imports them but builds no model validator; an
operation's validators are built on its first request.

Each check runs in a fresh interpreter on a package generated with the command line's
defaults; no timing is asserted.
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
SPEC = ROOT / "fixtures/petstore/petstore.yaml"

SERVE_ONE_OPERATION = """
import datetime
import json
import sys

def loaded(prefix):
    return sorted(name for name in sys.modules if name.startswith(prefix))

import petstore.server

shown = {"import": loaded("petstore.") }

class Pets(petstore.server.PetsApi):
    async def get_pet(self, *, pet_id):
        from petstore.models import Pet
        return Pet(id=pet_id, name="Rex", created_at=datetime.datetime(2024, 5, 6))

app = petstore.server.create_app(Pets())
from petstore.models import Error, Pet

shown["app"] = loaded("petstore.")
shown["built_after_app"] = [Pet.__pydantic_complete__, Error.__pydantic_complete__]

from starlette.testclient import TestClient

with TestClient(app) as http:
    found = http.get("/pets/7")
    invalid = http.get("/pets/seven")
shown["answers"] = [found.status_code, found.json()["name"], invalid.status_code]
print(json.dumps(shown))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("server_import_cost") / "petstore"
    command = [sys.executable, "-m", "specloom", "generate", str(SPEC), "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return out


def test_the_server_builds_what_a_request_needs_when_it_comes(generated: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(generated)}
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SERVE_ONE_OPERATION)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    shown = json.loads(completed.stdout)
    imported = [name for name in shown["import"] if not name.startswith("petstore._runtime")]
    assert imported == ["petstore.server"]
    app = [name for name in shown["app"] if not name.startswith("petstore._runtime")]
    assert {"petstore._server.pets", "petstore._operations.pets", "petstore.models._pet"} <= set(
        app
    )
    # The app routes every operation without building a model's validator...
    assert shown["built_after_app"] == [False, False]
    # ...and the first request builds its operation's: answered and validated as always.
    assert shown["answers"] == [200, "Rex", 400]
