"""End to end: multipart uploads through the generated client into the generated server,
file parts arriving as `UploadedFile`s."""

from __future__ import annotations

import asyncio
import json
import threading
from types import ModuleType
from typing import Any

import httpx
import pytest
from python_multipart.multipart import MultipartParser

from specloom_runtime.server import max_body_size
from specloom_runtime.server.testing import serve_in_thread
from specloom_runtime.uploads import UploadedFile

JPEG = bytes(range(256)) * 40


def photos_api(service: ModuleType, received: list[Any], limit: int | None = None) -> Any:
    models = service.models

    class Photos(service.server.PhotosApi):  # type: ignore[misc, name-defined]
        async def upload_photo(self, *, body: Any) -> Any:
            upload = body.file
            received.append(upload)
            assert isinstance(upload, UploadedFile)
            return models.Photo(
                filename=upload.filename or "",
                content_type=upload.content_type or "",
                size=len(upload.read()),
                caption=body.caption,
                labels=body.labels,
            )

    if limit is not None:
        Photos.upload_photo = max_body_size(limit)(Photos.upload_photo)
    return Photos()


def test_a_file_arrives_with_its_name_type_and_content(service: ModuleType) -> None:
    received: list[Any] = []
    app = service.server.create_app(photos_api(service, received))

    with serve_in_thread(app) as url, service.client.Client(base_url=url) as client:
        photo = client.photos.upload_photo(
            body=service.models.UploadPhotoRequest(file=JPEG, caption="sunset", labels=["a", "b"])
        )

    assert photo == service.models.Photo(
        filename="file",
        content_type="application/octet-stream",
        size=len(JPEG),
        caption="sunset",
        labels=["a", "b"],
    )
    assert received[0].file.closed  # the server closes uploads once it has answered


def post(app: Any, **options: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post("/photos", **options)

    return asyncio.run(send())


def test_the_filename_and_content_type_are_the_clients(service: ModuleType) -> None:
    app = service.server.create_app(photos_api(service, []))

    response = post(app, files={"file": ("cat.jpg", JPEG, "image/jpeg")})

    assert response.status_code == 201
    assert response.json() == {"filename": "cat.jpg", "content_type": "image/jpeg", "size": 10240}


def test_an_upload_over_the_operations_limit_answers_413(service: ModuleType) -> None:
    app = service.server.create_app(photos_api(service, [], limit=5000))

    assert post(app, files={"file": ("a.jpg", JPEG[:1000])}).status_code == 201
    assert post(app, files={"file": ("a.jpg", JPEG)}).status_code == 413


def test_too_many_parts_is_a_400(service: ModuleType) -> None:
    app = service.server.create_app(photos_api(service, []), max_body_size=10_000_000)
    body = b"".join(
        b'--b\r\nContent-Disposition: form-data; name="labels"\r\n\r\nx\r\n' for _ in range(1001)
    )

    response = post(
        app,
        content=body + b"--b--\r\n",
        headers={"content-type": "multipart/form-data; boundary=b"},
    )

    assert response.status_code == 400
    assert "more than 1000 parts" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "part",
    [
        (None, "[" * 50_000 + "]" * 50_000, "application/json"),
        (None, "x", "text/plain; charset=unicode_escape"),
        (None, "{", "application/json"),
    ],
)
def test_a_part_that_cannot_be_read_is_a_400(service: ModuleType, part: Any) -> None:
    app = service.server.create_app(photos_api(service, []))

    response = post(app, files={"file": ("a.jpg", JPEG), "caption": part})

    assert response.status_code == 400


def test_parsing_runs_off_the_event_loop(
    service: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    write = MultipartParser.write

    def recording_write(self: MultipartParser, data: bytes) -> int:
        threads.append(threading.current_thread())
        return write(self, data)

    monkeypatch.setattr(MultipartParser, "write", recording_write)
    app = service.server.create_app(photos_api(service, []))
    loop_threads: list[threading.Thread] = []

    async def send() -> httpx.Response:
        loop_threads.append(threading.current_thread())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post("/photos", files={"file": ("a.jpg", JPEG)})

    assert asyncio.run(send()).status_code == 201
    assert threads
    assert loop_threads[0] not in threads


def test_the_served_spec_documents_413_and_415(service: ModuleType) -> None:
    app = service.server.create_app(photos_api(service, []))

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/openapi.json")

    responses = json.loads(asyncio.run(get()).content)["paths"]["/photos"]["post"]["responses"]
    assert {"201", "400", "413", "415", "500"} <= set(responses)
