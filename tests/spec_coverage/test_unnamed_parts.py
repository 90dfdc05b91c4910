"""A form or multipart body whose schema names no fields or parts (a binary string, an
array) takes them by name from the caller, and the server hands them on by name
(fixtures/coverage/unnamed_parts.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package
from specloom.pipeline import check
from specloom_runtime.uploads import UploadedFile

CSV = b"name,salary\nAda,100\n"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("unnamed_parts")
    with generated_package("unnamed_parts.yaml", "cov_unnamed_parts", root) as package:
        yield package


def echo(pkg: ModuleType) -> Any:
    class Echo(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def import_file(self, *, body: dict[str, Any]) -> dict[str, str]:
            return {name: describe(value) for name, value in body.items()}

        async def add_tags(self, *, body: dict[str, Any]) -> dict[str, str]:
            return {name: describe(value) for name, value in body.items()}

    return Echo()


def describe(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return f"file {value.filename} {value.read()!r}"
    return repr(value)


def test_the_client_sends_the_file_as_a_named_part_with_its_filename(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http_client = httpx.Client(transport=httpx.MockTransport(record))
    with pkg.client.Client(base_url="http://api", http_client=http_client) as client:
        client.default.import_file(body={"employees": ("staff.csv", CSV, "text/csv")})
    (request,) = sent
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.read()
    assert b'Content-Disposition: form-data; name="employees"; filename="staff.csv"' in body
    assert b"Content-Type: text/csv\r\n\r\n" + CSV in body


def test_each_body_warns_and_is_typed_by_name() -> None:
    result = check(FIXTURES / "unnamed_parts.yaml")
    assert result.api is not None
    form, multipart = sorted(d.message for d in result.diagnostics)
    said = "the {} body is a set of named {}, but its schema is {}, which names none"
    assert multipart.startswith(said.format("multipart/form-data", "parts", "a string"))
    assert form.startswith(said.format("application/x-www-form-urlencoded", "fields", "an array"))
    bodies = {o.python_name: o.body for s in result.api.services for o in s.operations}
    assert {name: body.annotation for name, body in bodies.items() if body} == {
        "import_file": "dict[str, Any]",
        "add_tags": "dict[str, Any]",
    }


def test_a_file_goes_as_the_part_the_caller_names(pkg: ModuleType) -> None:
    async def run() -> Any:
        async with asgi_client(pkg, echo(pkg)) as client:
            return await client.default.import_file(body={"employees": ("staff.csv", CSV)})

    # A body typed by name only says nothing of files: the part's content arrives as bytes.
    assert asyncio.run(run()) == {"employees": repr(CSV)}


def test_form_fields_go_by_the_names_the_caller_gives(pkg: ModuleType) -> None:
    async def run() -> Any:
        async with asgi_client(pkg, echo(pkg)) as client:
            return await client.default.add_tags(body={"tag": "blue", "kind": "colour"})

    assert asyncio.run(run()) == {"tag": "'blue'", "kind": "'colour'"}
