"""Generated servers under schemathesis: valid and invalid requests generated from the spec
each app serves at `/openapi.json` (with the problem responses it documents), against stub
implementations that answer valid data. No request may get a 5xx, and no response may
break the spec: undeclared status, wrong content type, a body or header not matching its
schema.

Bounded (`MAX_EXAMPLES` per operation and generation mode, derandomized) to keep CI fast;
raise it locally to search harder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from types import ModuleType
from typing import Any

import pytest
import schemathesis
from e2e.conftest import FIXTURES, generated
from e2e.petstore_impl import implementations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from starlette.requests import Request

from specloom_runtime.resources import CursorPage, JsonResource, Page
from specloom_runtime.server import ALLOW_ANONYMOUS

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
HEADERS = {"Authorization": "Bearer fuzz"}
BASE_URL = "http://testserver"  # the app serves at its root, whatever the spec's servers say


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from generated(FIXTURES / "security/mixed.yaml", "fuzz_mixed", tmp_path_factory)


def petstore_app(petstore: ModuleType) -> Any:
    return petstore.server.create_app(*implementations(petstore))


def service_app(service: ModuleType) -> Any:
    models, server = service.models, service.server

    class Events(server.EventsApi):  # type: ignore[misc, name-defined]
        async def watch_events(self, *, topic: str | None = None) -> AsyncIterator[Any]:
            for seq in range(3):
                yield models.Event(seq=seq, kind="created")

        async def export_events(self) -> AsyncIterator[Any]:
            yield models.Event(seq=1, kind="deleted")

    class Photos(server.PhotosApi):  # type: ignore[misc, name-defined]
        async def upload_photo(self, *, body: Any) -> Any:
            upload = body.file
            size = upload.size if hasattr(upload, "size") else len(upload)
            return models.Photo(
                filename=getattr(upload, "filename", None) or "",
                content_type=getattr(upload, "content_type", None) or "",
                size=size,
                caption=body.caption,
                labels=body.labels,
            )

        async def list_photos(
            self, *, cursor: str | None = None, per_page: int | None = None
        ) -> Any:
            per_page = per_page or 5
            start = int(cursor) if cursor and cursor.isdigit() and len(cursor) < 4 else 0
            items = range(start, min(start + per_page, 12))
            following = str(start + per_page) if start + per_page < 12 else None
            return PhotoResource.collection(CursorPage(items, per_page, following))

    class PhotoResource(JsonResource[int]):
        def to_dict(self, request: Request | None) -> dict[str, object]:
            return {"filename": f"{self.resource}.jpg", "content_type": "image/jpeg", "size": 1}

    class UserResource(JsonResource[int]):
        def to_dict(self, request: Request | None) -> dict[str, object]:
            return {"id": self.resource, "name": f"user {self.resource}", "email": None}

    class Users(server.UsersApi):  # type: ignore[misc, name-defined]
        async def list_users(
            self, *, page: int | None = None, per_page: int | None = None, role: str | None = None
        ) -> Any:
            page, per_page = page or 1, per_page or 10
            everyone = list(range(1, 24))
            items = everyone[(page - 1) * per_page : page * per_page]
            return UserResource.collection(Page(items, len(everyone), page, per_page))

    return server.create_app(Events(), Photos(), Users())


def mixed_app(mixed: ModuleType) -> Any:
    class Api(mixed.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def list_items(self) -> Any:
            return ["a", "b"]

        async def add_item(self) -> Any:
            return None

        async def public_info(self) -> Any:
            return None

        async def maybe_user(self) -> Any:
            return None

        async def sso(self) -> Any:
            return None

    def anyone(*credentials: object) -> str:
        return "someone"

    security = {
        "bearer_auth": anyone,
        "api_key_auth": anyone,
        "app_id": anyone,
        "basic_auth": anyone,
        "oauth2": anyone,
        "oidc": anyone,
        "mtls": ALLOW_ANONYMOUS,
    }
    return mixed.server.create_app(Api(), security=security)


def fuzz(app: Any) -> list[str]:
    """Run every operation of `app`'s served spec in both generation modes; the failures."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)
            run_cases(strategy, failures, f"{operation.label} ({mode.value})")
    return failures


def run_cases(strategy: st.SearchStrategy[Any], failures: list[str], label: str) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        case.call_and_validate(base_url=BASE_URL, checks=CHECKS, headers=HEADERS)

    try:
        check()
    except Unsatisfiable:
        pass  # no invalid request to make: an operation without parameters or body
    except (Exception, FailureGroup) as failure:  # the smallest failing example found
        failures.append(f"{label}: {failure}")


APPS: dict[str, Callable[[ModuleType], Any]] = {
    "petstore": petstore_app,
    "service": service_app,
    "mixed": mixed_app,
}


@pytest.mark.parametrize("spec", sorted(APPS))
def test_no_5xx_and_no_response_breaking_the_spec(
    spec: str, request: pytest.FixtureRequest
) -> None:
    package = request.getfixturevalue(spec)

    failures = fuzz(APPS[spec](package))

    assert failures == []
