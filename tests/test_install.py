"""A generated package installs where only the package index is reachable, and type-checks.

The package is generated with the command line's defaults (the runtime vendored), then
installed with `pip install` into a fresh virtualenv that cannot import this repository's
`specloom_runtime` (asserted). For speed the venv is made without pip and reads httpx,
pydantic, starlette and mypy from this venv's site-packages through a `.pth` line; a `.pth`
line adds one folder to `sys.path` and does not run the `.pth` files in it, so this venv's
editable install of the runtime stays out of reach. `--no-deps` keeps pip from fetching
what is already there; building the package uses pip's isolated build (setuptools from the
package index), as on a user's machine. That the requirements themselves all come from the
package index is checked by resolving them there (`pip install --dry-run`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PETSTORE = ROOT / "fixtures/petstore/petstore.yaml"

USER_CODE = """
import asyncio
import json

import httpx
from petstore.client import Client
from petstore.models import Error, Pet
from petstore.server import PetsApi, create_app
from petstore._runtime.server import NotFound


PETS = [{"id": 1, "name": "Rex", "created_at": "2024-01-01T00:00:00Z"}]


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=PETS)


def names() -> list[str]:
    transport = httpx.MockTransport(handler)
    http = httpx.Client(base_url="http://pets.test", transport=transport)
    with Client(base_url="http://pets.test", http_client=http) as client:
        return [pet.name for pet in client.pets.list_pets(limit=1)]


class Pets(PetsApi):
    async def get_pet(self, *, pet_id: int) -> Pet | NotFound[Error]:
        return NotFound(Error(code=404, message="no such pet"))


async def missing() -> tuple[int, str]:
    transport = httpx.ASGITransport(app=create_app(Pets()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/pets/7")
    return response.status_code, json.loads(response.text)["message"]


print(names(), asyncio.run(missing()))
"""

# Serves the README's server example locally and runs its client example against it.
README_EXAMPLES = """
import socket
import sys
import threading
import time

import uvicorn

from petstore_app import app

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
thread.start()
while not server.started:
    time.sleep(0.01)
url = "http://127.0.0.1:%d" % sock.getsockname()[1]
with open("readme_client.py") as file:
    exec(file.read().replace("http://localhost:8000", url))
server.should_exit = True
thread.join()
"""


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )


def _generated_project(tmp_path: Path) -> Path:
    """The petstore generated with the command line's defaults."""
    project = tmp_path / "petstore"
    generated = _run(
        sys.executable, "-m", "specloom", "generate", PETSTORE, "--out", project, "--quiet"
    )
    assert generated.returncode == 0, generated.stderr
    return project


def _generated_project_and_venv(tmp_path: Path) -> tuple[Path, Path]:
    """The generated petstore, and a fresh venv that borrows this one's site-packages (see
    the module docstring)."""
    project = _generated_project(tmp_path)
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    site = _run(_python(venv), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    ours = sysconfig.get_paths()["purelib"]
    (Path(site.stdout.strip()) / "_borrowed_site_packages.pth").write_text(ours + "\n")
    return project, venv


def test_generated_package_installs_imports_runs_and_type_checks(tmp_path: Path) -> None:
    project, venv = _generated_project_and_venv(tmp_path)
    no_runtime = _run(_python(venv), "-c", "import specloom_runtime")
    assert "No module named 'specloom_runtime'" in no_runtime.stderr

    # The generated README's install command, run with this venv's pip.
    pip = [sys.executable, "-m", "pip", "--python", _python(venv), "install", "--no-deps"]
    installed = _run(*pip, "--quiet", project)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    user = tmp_path / "user"
    user.mkdir()
    (user / "app.py").write_text(textwrap.dedent(USER_CODE).lstrip())
    ran = _run(_python(venv), "app.py", cwd=user)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "['Rex'] (404, 'no such pet')"
    where = _run(_python(venv), "-c", "import petstore; print(petstore.__file__)", cwd=user)
    assert where.stdout.startswith(str(venv)), where.stdout

    readme = (project / "README.md").read_text()
    client_example, server_example = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    (user / "readme_client.py").write_text(client_example)
    (user / "petstore_app.py").write_text(server_example)
    (user / "serve_readme.py").write_text(README_EXAMPLES)
    examples = _run(_python(venv), "serve_readme.py", cwd=user)
    assert examples.returncode == 0, examples.stderr
    assert examples.stdout == "[]\n"
    version = re.search(r'^version = "(.*)"$', (project / "pyproject.toml").read_text(), re.M)
    assert version is not None
    assert f"`petstore-client` {version.group(1)}:" in readme

    mypy = [_python(venv), "-m", "mypy", "--strict", "--cache-dir", tmp_path / "cache"]
    checked = _run(*mypy, "app.py", "readme_client.py", "petstore_app.py", cwd=user)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_editable_install_is_seen_by_type_checkers(tmp_path: Path) -> None:
    # Without an explicit package folder setuptools installs an import hook, which mypy
    # cannot follow ("Cannot find implementation or library stub").
    project, venv = _generated_project_and_venv(tmp_path)
    pip = [sys.executable, "-m", "pip", "--python", _python(venv), "install", "--no-deps"]
    installed = _run(*pip, "--quiet", "--editable", project)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    user = tmp_path / "user"
    user.mkdir()
    (user / "app.py").write_text(textwrap.dedent(USER_CODE).lstrip())
    where = _run(_python(venv), "-c", "import petstore; print(petstore.__file__)", cwd=user)
    assert where.stdout.strip() == str(project / "petstore" / "__init__.py")
    mypy = [_python(venv), "-m", "mypy", "--strict", "--cache-dir", tmp_path / "cache"]
    checked = _run(*mypy, "app.py", cwd=user)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_its_requirements_all_come_from_the_package_index(tmp_path: Path) -> None:
    # What `pip install '.[server]'` would install, resolved against the package index
    # (pip's configured index, as on a user's machine) rather than this environment.
    project = _generated_project(tmp_path)
    report = tmp_path / "report.json"
    resolved = _run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--quiet",
        "--report",
        report,
        f"{project}[server]",
    )
    assert resolved.returncode == 0, resolved.stdout + resolved.stderr
    installed = json.loads(report.read_text())["install"]
    names = {item["metadata"]["name"].lower().replace("_", "-") for item in installed}
    assert {"petstore-client", "httpx", "pydantic", "starlette"} <= names
    assert not any(name.startswith("specloom") for name in names), names
