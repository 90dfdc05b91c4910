"""Overhead of a generated client call over the same call written by hand.

Both sides send over one `httpx.MockTransport` (no network), so what is measured is the
client code: building the request, the send loop, decoding and validating the body.

- ours: the generated petstore client (`fixtures/golden/petstore`), default options:
  `client.pets.get_pet(pet_id=1)` -> `Pet`, `client.pets.list_pets(limit=20)` -> `list[Pet]`.
- by hand: `http.get(...)`, `response.raise_for_status()`, then
  `Pet.model_validate(response.json())` (a list: one `model_validate` per item).

Runs alternate ours / by hand (which side goes first alternates too), ROUNDS times; each
run makes CALLS calls. Time is the process's CPU time (`time.process_time`), so other load
on a shared machine counts less. Prints the median microseconds per call of each side and
the ratio of the medians, for sync and async. Results: benchmarks/client_overhead.md.

    python benchmarks/client_overhead.py [--rounds 21] [--calls 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures/golden/petstore"))

from petstore.client import AsyncClient, Client
from petstore.models import Pet

BASE_URL = "https://petstore.example.com/v1"
PET = {"id": 1, "name": "Rex", "created_at": "2024-01-02T03:04:05Z", "tag": "dog"}
PET_BODY = json.dumps(PET).encode()
PETS_BODY = json.dumps([{**PET, "id": n} for n in range(20)]).encode()
JSON = {"content-type": "application/json"}


def answer(request: httpx.Request) -> httpx.Response:
    body = PETS_BODY if request.url.path.endswith("/pets") else PET_BODY
    return httpx.Response(200, content=body, headers=JSON)


TRANSPORT = httpx.MockTransport(answer)


def per_call_us(run: Callable[[], object], calls: int) -> float:
    start = time.process_time()
    for _ in range(calls):
        run()
    return (time.process_time() - start) / calls * 1e6


async def per_call_us_async(run: Callable[[], Awaitable[object]], calls: int) -> float:
    start = time.process_time()
    for _ in range(calls):
        await run()
    return (time.process_time() - start) / calls * 1e6


def sync_cases() -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    client = Client(base_url=BASE_URL, http_client=httpx.Client(transport=TRANSPORT))
    http = httpx.Client(transport=TRANSPORT, base_url=BASE_URL)

    def get_pet_by_hand() -> Pet:
        response = http.get("/pets/1")
        response.raise_for_status()
        return Pet.model_validate(response.json())

    def list_pets_by_hand() -> list[Pet]:
        response = http.get("/pets", params={"limit": 20})
        response.raise_for_status()
        return [Pet.model_validate(item) for item in response.json()]

    return {
        "get_pet": (lambda: client.pets.get_pet(pet_id=1), get_pet_by_hand),
        "list_pets": (lambda: client.pets.list_pets(limit=20), list_pets_by_hand),
    }


AsyncCall = Callable[[], Awaitable[object]]


def async_cases() -> dict[str, tuple[AsyncCall, AsyncCall]]:
    client = AsyncClient(base_url=BASE_URL, http_client=httpx.AsyncClient(transport=TRANSPORT))
    http = httpx.AsyncClient(transport=TRANSPORT, base_url=BASE_URL)

    async def get_pet_by_hand() -> Pet:
        response = await http.get("/pets/1")
        response.raise_for_status()
        return Pet.model_validate(response.json())

    async def list_pets_by_hand() -> list[Pet]:
        response = await http.get("/pets", params={"limit": 20})
        response.raise_for_status()
        return [Pet.model_validate(item) for item in response.json()]

    return {
        "get_pet": (lambda: client.pets.get_pet(pet_id=1), get_pet_by_hand),
        "list_pets": (lambda: client.pets.list_pets(limit=20), list_pets_by_hand),
    }


def report(flavour: str, name: str, ours: list[float], by_hand: list[float]) -> None:
    ours_median, by_hand_median = statistics.median(ours), statistics.median(by_hand)
    print(
        f"| {flavour} | {name} | {ours_median:.1f} | {by_hand_median:.1f}"
        f" | {ours_median / by_hand_median:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=200, help="calls made before timing")
    args = parser.parse_args()
    print("| client | call | ours µs/call | by hand µs/call | ratio |")
    print("|---|---|---|---|---|")
    for name, (ours, by_hand) in sync_cases().items():
        per_call_us(ours, args.warmup), per_call_us(by_hand, args.warmup)
        times: tuple[list[float], list[float]] = ([], [])
        for round_ in range(args.rounds):
            for side in (0, 1) if round_ % 2 == 0 else (1, 0):
                times[side].append(per_call_us((ours, by_hand)[side], args.calls))
        report("sync", name, *times)

    async def run_async() -> None:
        for name, (ours, by_hand) in async_cases().items():
            await per_call_us_async(ours, args.warmup)
            await per_call_us_async(by_hand, args.warmup)
            times: tuple[list[float], list[float]] = ([], [])
            for round_ in range(args.rounds):
                for side in (0, 1) if round_ % 2 == 0 else (1, 0):
                    times[side].append(await per_call_us_async((ours, by_hand)[side], args.calls))
            report("async", name, *times)

    asyncio.run(run_async())


if __name__ == "__main__":
    main()
