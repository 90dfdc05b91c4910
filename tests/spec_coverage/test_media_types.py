"""Every media type a response declares keeps its type: the client reads a body by its
Content-Type, the server writes it by what the handler returns
(fixtures/coverage/media_types.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package
from specloom_runtime.errors import DeclaredStatusError


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("media_types")
    with generated_package("media_types.yaml", "cov_media_types", root) as package:
        yield package


def mock_client(pkg: ModuleType, answer: Any, sent: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(request)  # type: ignore[no-any-return]

    http_client = httpx.Client(transport=httpx.MockTransport(handler))
    return pkg.client.Client(base_url="http://testserver", http_client=http_client)


def test_client_reads_each_error_media_type_into_its_type(pkg: ModuleType) -> None:
    models = pkg.models
    sent: list[httpx.Request] = []
    problem = {"type": "about:blank", "title": "Not Found", "detail": "no tweet 1"}
    problem_answer = httpx.Response(
        404,
        content=httpx.Response(200, json=problem).content,
        headers={"content-type": "application/problem+json"},
    )
    client = mock_client(pkg, lambda request: problem_answer, sent)
    with pytest.raises(DeclaredStatusError) as raised:
        client.default.find_tweet_by_id(id="1")
    assert isinstance(raised.value.body, models.Problem)
    assert raised.value.body.detail == "no tweet 1"
    assert "application/problem+json" in sent[0].headers["accept"]

    error_answer = httpx.Response(400, json={"code": 7, "message": "bad id"})
    client = mock_client(pkg, lambda request: error_answer, sent)
    with pytest.raises(DeclaredStatusError) as raised:
        client.default.find_tweet_by_id(id="x")
    assert isinstance(raised.value.body, models.Error)
    assert raised.value.body.code == 7


def test_client_reads_a_success_by_its_media_type(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []
    png = httpx.Response(200, content=b"\x89PNG", headers={"content-type": "image/png"})
    assert mock_client(pkg, lambda request: png, sent).default.get_media(id="1") == b"\x89PNG"
    details = httpx.Response(200, json={"id": "1"})
    media = mock_client(pkg, lambda request: details, sent).default.get_media(id="1")
    assert isinstance(media, pkg.models.GetMediaResponse)
    assert media.id == "1"


def test_xml_and_text_json_beside_json_keep_the_model_type(pkg: ModuleType) -> None:
    [success] = [r for r in pkg._operations.FIND_TWEET_BY_ID.responses if r.is_success]
    assert success.annotation is pkg.models.Tweet
    assert success.media == ()


def test_server_writes_the_media_type_of_what_the_handler_returns(pkg: ModuleType) -> None:
    models = pkg.models
    server = pkg.server

    class Impl(server.DefaultApi):  # type: ignore[misc, name-defined]
        async def find_tweet_by_id(self, *, id: str) -> Any:
            if id == "gone":
                return server.WithStatus(410, models.Problem(type="about:blank", title="Gone"))
            if id == "bad":
                return server.WithStatus(400, models.Error(code=1, message="bad"))
            return models.Tweet(id=id, text="hello")

        async def get_media(self, *, id: str) -> Any:
            return b"\x89PNG" if id == "png" else models.GetMediaResponse(id=id)

    async def scenario() -> None:
        app = server.create_app(Impl())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            gone = await http.get("/2/tweets/gone")
            assert gone.status_code == 410
            assert gone.headers["content-type"] == "application/problem+json"
            bad = await http.get("/2/tweets/bad")
            assert bad.headers["content-type"] == "application/json"
            png = await http.get("/2/media/png")
            assert png.headers["content-type"] == "image/png"
            assert png.content == b"\x89PNG"
        async with asgi_client(pkg, Impl()) as client:
            with pytest.raises(DeclaredStatusError) as raised:
                await client.default.find_tweet_by_id(id="gone")
            assert isinstance(raised.value.body, models.Problem)
            assert await client.default.get_media(id="png") == b"\x89PNG"
            assert (await client.default.get_media(id="j")).id == "j"

    asyncio.run(scenario())


def test_a_request_body_is_read_in_every_declared_media_type(pkg: ModuleType) -> None:
    models = pkg.models
    server = pkg.server

    class Notes(server.DefaultApi):  # type: ignore[misc, name-defined]
        async def create_note(self, *, body: Any) -> Any:
            if isinstance(body, str):
                return models.Note(text=body)
            return models.Note(text=body.text, stars=body.stars)

    async def scenario() -> None:
        app = server.create_app(Notes())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            as_json = await http.post("/2/notes", json={"text": "a", "stars": 2})
            assert as_json.json() == {"text": "a", "stars": 2}
            as_form = await http.post("/2/notes", data={"text": "b", "stars": "3"})
            assert as_form.json() == {"text": "b", "stars": 3}
            as_text = await http.post(
                "/2/notes", content=b"c", headers={"content-type": "text/plain"}
            )
            assert as_text.json() == {"text": "c"}
            as_xml = await http.post(
                "/2/notes",
                content=b"<Note><text>e</text><stars>4</stars></Note>",
                headers={"content-type": "application/xml"},
            )
            assert as_xml.json() == {"text": "e", "stars": 4}
            as_yaml = await http.post(
                "/2/notes", content=b"text: f", headers={"content-type": "application/yaml"}
            )
            assert as_yaml.status_code == 415
            assert "application/x-www-form-urlencoded" in as_yaml.text
        async with asgi_client(pkg, Notes()) as client:
            assert (await client.default.create_note(body=models.Note(text="d"))).text == "d"
            assert (await client.default.create_note(body="e")).text == "e"

    asyncio.run(scenario())


def test_client_sends_a_body_as_the_media_type_of_its_type(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []
    created = httpx.Response(201, json={"text": "x"})
    client = mock_client(pkg, lambda request: created, sent)
    client.default.create_note(body=pkg.models.Note(text="x"))
    client.default.create_note(body="x")
    assert [r.headers["content-type"] for r in sent] == [
        "application/json",
        "text/plain; charset=utf-8",
    ]
    assert sent[1].content == b"x"


def test_a_binary_json_response_imports_where_no_model_uses_file_content(
    pkg: ModuleType,
) -> None:
    # The package imported (the fixture imports models, client and server) although the
    # only FileContent is in an operation's response.
    [success] = pkg._operations.GET_LABELS.responses
    assert [content_type for content_type, _ in success.media] == [
        "application/json",
        "application/pdf",
    ]
    assert pkg.models.FileContent is not None
