"""Status responses: their codes, bodies, equality, and how they type-check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import specloom_runtime
from specloom_runtime.server import (
    Accepted,
    BadRequest,
    Conflict,
    Created,
    Forbidden,
    InternalServerError,
    NoContent,
    NotFound,
    NotImplementedOperation,
    Ok,
    StatusResponse,
    TooManyRequests,
    Unauthorized,
    UnprocessableEntity,
    WithStatus,
)


@pytest.mark.parametrize(
    ("response_class", "status_code"),
    [
        (Ok, 200),
        (Created, 201),
        (Accepted, 202),
        (BadRequest, 400),
        (Unauthorized, 401),
        (Forbidden, 403),
        (NotFound, 404),
        (Conflict, 409),
        (UnprocessableEntity, 422),
        (TooManyRequests, 429),
        (InternalServerError, 500),
    ],
)
def test_each_class_has_its_status(response_class: type[Any], status_code: int) -> None:
    response = response_class({"code": 1}, headers={"Retry-After": "5"})

    assert response.status_code == status_code
    assert response.body == {"code": 1}
    assert response.headers == {"Retry-After": "5"}


def test_no_content_has_no_body() -> None:
    assert NoContent().status_code == 204
    assert NoContent().body is None
    assert NoContent().headers == {}


def test_with_status_takes_any_http_status() -> None:
    assert WithStatus(503, "later").status_code == 503
    with pytest.raises(ValueError, match="not an HTTP status code: 600"):
        WithStatus(600, "x")


def test_the_base_class_has_no_status() -> None:
    with pytest.raises(TypeError, match="use a subclass"):
        StatusResponse("x")


def test_equality_and_repr() -> None:
    assert NotFound("x") == NotFound("x")
    assert NotFound("x") != NotFound("y")
    assert NotFound("x") != BadRequest("x")
    assert WithStatus(404, "x") != NotFound("x")
    assert repr(NotFound("x")) == "NotFound('x')"
    assert repr(WithStatus(503, 1, headers={"A": "b"})) == "WithStatus(503, 1, headers={'A': 'b'})"
    assert repr(NoContent()) == "NoContent()"


def test_not_implemented_operation_names_the_operation() -> None:
    error = NotImplementedOperation("list_pets")

    assert error.operation == "list_pets"
    assert str(error) == "operation 'list_pets' is not implemented"


MYPY_CONFIG = """
[mypy]
strict = True
mypy_path = {runtime_root}
[mypy-specloom_runtime.*]
ignore_errors = True
[mypy-pydantic.*,pydantic_core.*,starlette.*,httpx.*,uvicorn.*]
follow_imports = skip
"""
"""Type-checks a snippet against the runtime quickly: the libraries under it are not analysed."""

USAGE = """
from typing_extensions import assert_type
from specloom_runtime.server import NoContent, NotFound, Ok, WithStatus

class Error:
    def __init__(self, code: int) -> None:
        self.code = code

class DetailedError(Error):
    pass

assert_type(NotFound(Error(code=1)), NotFound[Error])
assert_type(WithStatus(503, Error(code=1)), WithStatus[Error])
assert_type(Ok([1, 2]), Ok[list[int]])
assert_type(NoContent(), NoContent)

async def get_error() -> Error | NotFound[Error]:
    found = NotFound(DetailedError(code=1))
    return found

NoContent(Error(code=1))  # rejected
"""


def test_status_responses_type_check_as_users_write_them(tmp_path: Path) -> None:
    source = tmp_path / "usage.py"
    source.write_text(USAGE)
    config = tmp_path / "mypy.ini"
    runtime_root = Path(specloom_runtime.__file__).parent.parent
    config.write_text(MYPY_CONFIG.format(runtime_root=runtime_root))
    rejected_line = USAGE.splitlines().index("NoContent(Error(code=1))  # rejected") + 1

    command = [
        *(sys.executable, "-m", "mypy", "--config-file", str(config), "--no-incremental"),
        *("--cache-dir", str(tmp_path / "cache"), str(source)),
    ]

    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
    )

    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors, result.stdout + result.stderr
    assert all(f"usage.py:{rejected_line}: error:" in line for line in errors), result.stdout
