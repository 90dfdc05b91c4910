"""A large multipart upload: the generated server against Starlette with python-multipart.

One `POST /photos` of a multipart body with one file part of SIZE megabytes (and a
caption), sent straight into the ASGI app in-process in 64 KiB chunks made on the fly (the
sender never holds the body):

- ours: the generated `service` server (`fixtures/golden/service`), `create_app` with
  its defaults and `max_body_size` raised to fit; the handler answers a `Photo` with the
  upload's filename, content type and size (read from the `UploadedFile`).
- starlette: a hand-written Starlette route, `await request.form()` (python-multipart,
  files spooled to temporary files), answering the same JSON.

Each run is a fresh process (so its peak memory is its own): wall time of the request and
the process's peak resident size (`ru_maxrss`) less what it had before the request. Runs
alternate between the apps, ROUNDS times; prints the medians and their ratios. Results:
benchmarks/uploads.md.

    python benchmarks/uploads.py [--rounds 5] [--size 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BOUNDARY = "specloom-benchmark-boundary"
CHUNK = 64 * 1024


def body_chunks(size: int) -> tuple[int, AsyncIterator[bytes]]:
    """The length of the multipart body with a `size`-byte file, and its chunks."""
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="caption"\r\n\r\n'
        "a large photo\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    block = bytes(range(256)) * (CHUNK // 256)

    async def chunks() -> AsyncIterator[bytes]:
        yield head
        left = size
        while left > 0:
            piece = block[: min(CHUNK, left)]
            left -= len(piece)
            yield piece
        yield tail

    return len(head) + size + len(tail), chunks()


async def post(app: Any, size: int) -> tuple[int, bytes]:
    length, chunks = body_chunks(size)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/photos",
        "raw_path": b"/photos",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"content-length", str(length).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("bench", 80),
    }
    iterator = chunks.__aiter__()
    pending: list[bytes] = []
    finished = False

    async def receive() -> dict[str, Any]:
        nonlocal finished
        if finished:
            await asyncio.sleep(3600)
        try:
            chunk = await iterator.__anext__()
        except StopAsyncIteration:
            finished = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    status = 0

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            pending.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(pending)


def ours(size: int) -> Any:
    sys.path.insert(0, str(ROOT / "fixtures/golden/service"))
    from service.models import Photo
    from service.server import PhotosApi, create_app

    class Photos(PhotosApi):
        async def upload_photo(self, *, body: Any) -> Photo:
            upload = body.file
            return Photo(
                filename=upload.filename or "",
                content_type=upload.content_type or "",
                size=upload.size,
                caption=body.caption,
            )

    return create_app(Photos(), max_body_size=size + 1024 * 1024)


def starlette(size: int) -> Any:
    from starlette.applications import Starlette
    from starlette.datastructures import UploadFile
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def upload_photo(request: Request) -> JSONResponse:
        async with request.form() as form:
            upload = form["file"]
            assert isinstance(upload, UploadFile)
            return JSONResponse(
                {
                    "filename": upload.filename,
                    "content_type": upload.content_type,
                    "size": upload.size,
                    "caption": form.get("caption"),
                },
                status_code=201,
            )

    return Starlette(routes=[Route("/photos", upload_photo, methods=["POST"])])


def one_run(app_name: str, size_mb: int) -> dict[str, float]:
    size = size_mb * 1024 * 1024
    app = {"ours": ours, "starlette": starlette}[app_name](size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    status, body = asyncio.run(post(app, size))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    answer = json.loads(body)
    assert status == 201, (status, body)
    assert answer["size"] == size, answer
    return {"seconds": elapsed, "peak_mb": (peak - before) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=100, help="file size in megabytes")
    parser.add_argument("--run", choices=["ours", "starlette"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(one_run(args.run, args.size)))
        return
    results: dict[str, list[dict[str, float]]] = {"ours": [], "starlette": []}
    for round_number in range(args.rounds):
        order = ["ours", "starlette"] if round_number % 2 == 0 else ["starlette", "ours"]
        for name in order:
            completed = subprocess.run(
                [sys.executable, __file__, "--run", name, "--size", str(args.size)],
                capture_output=True,
                text=True,
                check=True,
            )
            results[name].append(json.loads(completed.stdout))
    medians = {
        name: {key: statistics.median(run[key] for run in runs) for key in ("seconds", "peak_mb")}
        for name, runs in results.items()
    }
    print(f"{args.size} MB upload, {args.rounds} runs each, medians:")
    for name, median in medians.items():
        print(f"  {name:10} {median['seconds']:6.2f} s  {median['peak_mb']:7.1f} MB peak")
    ratio_time = medians["ours"]["seconds"] / medians["starlette"]["seconds"]
    ratio_memory = medians["ours"]["peak_mb"] / max(medians["starlette"]["peak_mb"], 0.1)
    print(f"  ours / starlette: time x{ratio_time:.2f}, peak memory x{ratio_memory:.2f}")


if __name__ == "__main__":
    main()
