"""Cost per request of a generated server against the same API written by hand.

Three apps serve the petstore operations below from one in-memory store (the same handler
code behind each):

- ours: the generated petstore server (`fixtures/golden/petstore`), `create_app(...)` with
  its defaults (parameters and bodies validated; responses checked against the spec,
  except instances of the declared models, which pydantic validated when they were built:
  what the handlers here return). `--no-validate-responses` checks no response;
  `--always-validate-responses` checks every one, instances too, and has the hand-written
  Starlette routes check what they send the same way (a strict `validate_json`).
- starlette: hand-written Starlette routes (one per operation of the spec, in its order;
  those not measured answer 501) doing what the spec asks by hand: each parameter
  read and checked (ints and their bounds, the status enum, the tags list, the
  X-Request-Id UUID), the body validated with `NewPet.model_validate_json`, 400/422 on bad
  input, the model dumped with `model_dump_json(by_alias=True, exclude_unset=True)`.
- fastapi: the same routes in FastAPI, typed parameters and `response_model`s.

Requests go straight into each ASGI app in-process (no server, no client library): a
scope, a `receive` giving the body, a `send` collecting the answer, so what is measured is
the app. `--via httpx` sends them with an `httpx.AsyncClient` over `httpx.ASGITransport`
instead, as an in-process test client would (the client's own cost, the same for every
app, then counts too). The cases:

- get_pet: `GET /pets/7` -> one `Pet`;
- list_pets: `GET /pets?limit=20&status=available` with an `X-Request-Id` -> 20 pets;
- create_pet: `POST /pets` with a JSON `NewPet` -> 201, a `Pet` and a `Location` header.

Runs rotate between the apps (the order changes every round), ROUNDS times; each run makes
REQUESTS requests. Time is the process's CPU time (`time.process_time`). Prints the median
microseconds per request of each app and the ratios of the medians. Results:
benchmarks/server_overhead.md.

    python benchmarks/server_overhead.py [--rounds 21] [--requests 300] [--via asgi|httpx]

FastAPI is not a dependency of specloom: unless it can be imported already, it is installed
from the package index (`pip install --target`) into --work (default `build/bench`), which
is then put at the end of `sys.path`. `--no-fastapi` leaves it out (the test suite runs
the script that way, with tiny counts, to keep it working).
"""

# Annotations are evaluated as they are defined (no `from __future__ import annotations`):
# FastAPI reads the parameter types of routes made inside a function.
import argparse
import asyncio
import datetime
import importlib
import json
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Annotated, Any, Literal

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fixtures/golden/petstore"))

from petstore import server  # noqa: E402
from petstore.models import Error, NewPet, Pet, PetStatus  # noqa: E402
from pydantic import TypeAdapter, ValidationError  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse, Response  # noqa: E402
from starlette.routing import Route  # noqa: E402
from starlette.types import ASGIApp  # noqa: E402

FASTAPI = "fastapi"
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
REQUEST_ID = "12345678-1234-5678-1234-567812345678"
NEW_PET = json.dumps({"name": "Rex", "tag": "dog", "status": "available"}).encode()

App = ASGIApp


class Store:
    """The business logic every app calls: pets in a dict."""

    def __init__(self) -> None:
        self.pets = {
            n: Pet(id=n, name=f"pet {n}", created_at=NOW, tag="dog", status=PetStatus.AVAILABLE)
            for n in range(1, 41)
        }

    async def get_pet(self, pet_id: int) -> Pet | None:
        return self.pets.get(pet_id)

    async def list_pets(
        self, limit: int | None, status: PetStatus | None, tags: list[str] | None
    ) -> list[Pet]:
        pets = [
            pet
            for pet in self.pets.values()
            if (status is None or pet.status == status)
            and (not tags or (pet.tag is not None and pet.tag in tags))
        ]
        return pets[:limit] if limit is not None else pets

    async def create_pet(self, new: NewPet) -> Pet:
        # Not stored: every run sees the same store.
        return Pet(id=len(self.pets) + 1, created_at=NOW, **new.model_dump(exclude_unset=True))


# ours


def generated_app(store: Store, *, validate_responses: bool | Literal["always"] = True) -> App:
    class Pets(server.PetsApi):
        async def get_pet(self, *, pet_id: int) -> Pet | server.NotFound[Error]:
            pet = await store.get_pet(pet_id)
            if pet is None:
                return server.NotFound(Error(code=404, message=f"no pet {pet_id}"))
            return pet

        async def list_pets(
            self,
            *,
            limit: int | None = None,
            status: PetStatus | None = None,
            tags: list[str] | None = None,
            x_request_id: uuid.UUID | None = None,
        ) -> list[Pet]:
            return await store.list_pets(limit, status, tags)

        async def create_pet(self, *, body: NewPet) -> server.CreatePetCreated:
            pet = await store.create_pet(body)
            return server.CreatePetCreated(pet, location=f"/pets/{pet.id}")

    app: App = server.create_app(Pets(), validate_responses=validate_responses)
    return app


# Starlette by hand

PETS = TypeAdapter(list[Pet])
PET = TypeAdapter(Pet)
INT64 = (-(2**63), 2**63 - 1)


def problem(status: int, detail: str) -> Response:
    return JSONResponse({"status": status, "detail": detail}, status)


def starlette_app(store: Store, *, check_responses: bool = False) -> App:
    """The hand-written routes; with `check_responses`, each JSON body sent is validated
    (strictly, from its JSON) against its model first."""

    def checked(content: str | bytes, adapter: TypeAdapter[Any]) -> str | bytes:
        if check_responses:
            adapter.validate_json(content, strict=True)
        return content

    def pet_response(
        pet: Pet, status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        content = checked(pet.model_dump_json(by_alias=True, exclude_unset=True), PET)
        return Response(content, status, headers, media_type="application/json")

    async def get_pet(request: Request) -> Response:
        try:
            pet_id = int(request.path_params["pet_id"])
        except ValueError:
            return problem(400, "petId: not an integer")
        if not INT64[0] <= pet_id <= INT64[1]:
            return problem(400, "petId: out of range")
        pet = await store.get_pet(pet_id)
        if pet is None:
            error = Error(code=404, message=f"no pet {pet_id}")
            return Response(error.model_dump_json(), 404, media_type="application/json")
        return pet_response(pet)

    async def list_pets(request: Request) -> Response:
        query = request.query_params
        limit: int | None = None
        status: PetStatus | None = None
        if "limit" in query:
            try:
                limit = int(query["limit"])
            except ValueError:
                return problem(400, "limit: not an integer")
            if not 1 <= limit <= 100:
                return problem(400, "limit: must be from 1 to 100")
        if "status" in query:
            try:
                status = PetStatus(query["status"])
            except ValueError:
                return problem(400, "status: not a pet status")
        tags = query.getlist("tags") or None
        request_id = request.headers.get("x-request-id")
        if request_id is not None:
            try:
                uuid.UUID(request_id)
            except ValueError:
                return problem(400, "X-Request-Id: not a UUID")
        pets = await store.list_pets(limit, status, tags)
        content = checked(PETS.dump_json(pets, by_alias=True, exclude_unset=True), PETS)
        return Response(content, media_type="application/json")

    async def create_pet(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return problem(415, "expected application/json")
        try:
            new = NewPet.model_validate_json(await request.body())
        except ValidationError as error:
            return problem(400, str(error))
        pet = await store.create_pet(new)
        return pet_response(pet, 201, {"Location": f"/pets/{pet.id}"})

    async def not_measured(request: Request) -> Response:
        return problem(501, "not implemented")

    # Every operation of the spec has its route, in the spec's order, as in the other apps.
    return Starlette(
        routes=[
            Route("/pets", list_pets, methods=["GET"]),
            Route("/pets", create_pet, methods=["POST"]),
            Route("/pets/{pet_id}", get_pet, methods=["GET"]),
            Route("/pets/{pet_id}", not_measured, methods=["PUT", "DELETE"]),
            Route("/store/inventory", not_measured, methods=["GET"]),
            Route("/store/orders", not_measured, methods=["POST"]),
            Route("/health", not_measured, methods=["GET"]),
        ]
    )


# FastAPI


def fastapi_app(store: Store) -> App:
    fastapi = importlib.import_module(FASTAPI)
    Header, Query, FastApiResponse = fastapi.Header, fastapi.Query, fastapi.Response
    app = fastapi.FastAPI()

    @app.get("/pets", response_model=list[Pet], response_model_exclude_unset=True)  # type: ignore[untyped-decorator]
    async def list_pets(
        limit: Annotated[int | None, Query(ge=1, le=100)] = None,
        status: PetStatus | None = None,
        tags: Annotated[list[str] | None, Query()] = None,
        x_request_id: Annotated[uuid.UUID | None, Header()] = None,
    ) -> Any:
        return await store.list_pets(limit, status, tags)

    @app.post("/pets", status_code=201, response_model=Pet, response_model_exclude_unset=True)  # type: ignore[untyped-decorator]
    async def create_pet(body: NewPet, response: FastApiResponse) -> Any:  # type: ignore[valid-type]
        pet = await store.create_pet(body)
        response.headers["Location"] = f"/pets/{pet.id}"  # type: ignore[attr-defined]
        return pet

    @app.get("/pets/{pet_id}", response_model=Pet, response_model_exclude_unset=True)  # type: ignore[untyped-decorator]
    async def get_pet(pet_id: int) -> Any:
        pet = await store.get_pet(pet_id)
        if pet is None:
            raise fastapi.HTTPException(404, f"no pet {pet_id}")
        return pet

    async def not_measured() -> None:
        raise fastapi.HTTPException(501, "not implemented")

    app.put("/pets/{pet_id}")(not_measured)
    app.delete("/pets/{pet_id}")(not_measured)
    app.get("/store/inventory")(not_measured)
    app.post("/store/orders")(not_measured)
    app.get("/health")(not_measured)
    app_: App = app
    return app_


def ensure_fastapi(work: Path) -> None:
    """Import FastAPI, installing it into `work` first when it is not there."""
    try:
        importlib.import_module(FASTAPI)
        return
    except ImportError:
        pass
    target = work / "fastapi"
    if not (target / FASTAPI).is_dir():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--target", str(target), FASTAPI],
            check=True,
        )
    sys.path.append(str(target))
    importlib.invalidate_caches()
    importlib.import_module(FASTAPI)


# Requests


def http_scope(method: str, path: str, query: bytes = b"", headers: Any = ()) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"petstore.test"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("petstore.test", 80),
    }


CASES: dict[str, tuple[dict[str, Any], bytes, int]] = {
    "get_pet": (http_scope("GET", "/pets/7"), b"", 200),
    "list_pets": (
        http_scope(
            "GET",
            "/pets",
            b"limit=20&status=available",
            [(b"x-request-id", REQUEST_ID.encode())],
        ),
        b"",
        200,
    ),
    "create_pet": (
        http_scope(
            "POST",
            "/pets",
            headers=[
                (b"content-type", b"application/json"),
                (b"content-length", str(len(NEW_PET)).encode()),
            ],
        ),
        NEW_PET,
        201,
    ),
}


async def call(app: App, scope: dict[str, Any], body: bytes) -> tuple[int, bytes]:
    """One request through the ASGI app: its status and body."""
    sent: list[MutableMapping[str, Any]] = []
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:
            await asyncio.sleep(3600)  # the client stays connected
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await app(dict(scope), receive, send)
    status = sent[0]["status"]
    return status, b"".join(m.get("body", b"") for m in sent[1:])


Send = Callable[[], Awaitable[object]]


def direct_sender(app: App, scope: dict[str, Any], body: bytes) -> Send:
    return lambda: call(app, scope, body)


def httpx_sender(app: App, scope: dict[str, Any], body: bytes) -> Send:
    """The same request made with an `httpx.AsyncClient` over `httpx.ASGITransport`."""
    import httpx

    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://petstore.test"
    )
    query = scope["query_string"].decode()
    url = scope["path"] + (f"?{query}" if query else "")
    headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k != b"content-length"]
    return lambda: client.request(scope["method"], url, headers=headers, content=body)


async def per_request_us(send: Send, requests: int) -> float:
    start = time.process_time()
    for _ in range(requests):
        await send()
    return (time.process_time() - start) / requests * 1e6


async def check_answers(apps: dict[str, App]) -> None:
    """Every app answers every case with the same status and the same JSON."""
    for name, (scope, body, expected) in CASES.items():
        answers = {side: await call(app, scope, body) for side, app in apps.items()}
        for side, (status, content) in answers.items():
            if status != expected:
                raise SystemExit(f"{side} answered {name} with {status}: {content[:300]!r}")
        decoded = {side: json.loads(content) for side, (_, content) in answers.items()}
        if len({json.dumps(value, sort_keys=True) for value in decoded.values()}) != 1:
            raise SystemExit(f"the apps answer {name} differently: {decoded}")


async def run(args: argparse.Namespace) -> None:
    store = Store()
    validation: bool | Literal["always"] = not args.no_validate_responses
    if args.always_validate_responses:
        validation = "always"
    apps: dict[str, App] = {
        "ours": generated_app(store, validate_responses=validation),
        "starlette": starlette_app(store, check_responses=args.always_validate_responses),
    }
    if not args.no_fastapi:
        apps["fastapi"] = fastapi_app(store)
    await check_answers(apps)
    sides = list(apps)
    peers = sides[1:]
    header = " | ".join(f"{side} µs/req" for side in sides)
    ratios = " | ".join(f"ours / {peer}" for peer in peers)
    print(f"| request | {header} | {ratios} |")
    print("|---|" + "---|" * (len(sides) + len(peers)))
    sender = httpx_sender if args.via == "httpx" else direct_sender
    for name, (scope, body, _) in CASES.items():
        senders = {side: sender(app, scope, body) for side, app in apps.items()}
        for send in senders.values():
            await per_request_us(send, args.warmup)
        times: dict[str, list[float]] = {side: [] for side in sides}
        for round_ in range(args.rounds):
            shift = round_ % len(sides)
            for side in sides[shift:] + sides[:shift]:
                times[side].append(await per_request_us(senders[side], args.requests))
        medians = {side: statistics.median(values) for side, values in times.items()}
        cells = " | ".join(f"{medians[side]:.1f}" for side in sides)
        shown = " | ".join(f"{medians['ours'] / medians[peer]:.3f}" for peer in peers)
        print(f"| {name} | {cells} | {shown} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=100, help="requests made before timing")
    parser.add_argument("--no-fastapi", action="store_true", help="compare with Starlette only")
    parser.add_argument(
        "--via",
        choices=["asgi", "httpx"],
        default="asgi",
        help="call the apps directly (asgi), or through httpx.ASGITransport (httpx)",
    )
    parser.add_argument(
        "--no-validate-responses",
        action="store_true",
        help="create_app(validate_responses=False): ours without checking what it sends",
    )
    parser.add_argument(
        "--always-validate-responses",
        action="store_true",
        help='create_app(validate_responses="always"), and the hand-written routes check '
        "every body they send too",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "build/bench")
    args = parser.parse_args()
    if not args.no_fastapi:
        ensure_fastapi(args.work)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
