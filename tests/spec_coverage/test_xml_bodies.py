"""XML request and response bodies with object schemas, on both generated sides, following
the `xml` object: names, attributes, namespaces and prefixes, wrapped and unwrapped arrays,
a root array, a schema that contains itself (fixtures/coverage/xml_bodies.yaml)."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client
from specloom_runtime.errors import DeclaredStatusError, ResponseValidationError

LIB = "urn:example:library"
PUB = "urn:example:publishing"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("xml_bodies")
    with generated_package("xml_bodies.yaml", "cov_xml_bodies", root) as package:
        yield package


def a_book(pkg: ModuleType) -> Any:
    models = pkg.models
    return models.Book(
        id=7,
        isbn="978-0",
        title="Dune & Sons",
        available=True,
        price=9.5,
        authors=["Frank", "Brian"],
        tags=["sf", "classic"],
        chapters=[models.Chapter(number=1, title="Arrakis"), models.Chapter(number=2)],
        publisher=models.Publisher(name="Chilton", country="US"),
        related=[models.Book(id=8, title="Dune Messiah")],
    )


class Library:
    """Stores what it is sent and answers it back."""

    def __init__(self, pkg: ModuleType) -> None:
        self.received: list[Any] = []
        self.books: list[Any] = []
        self.pkg = pkg

    def api(self) -> Any:
        library = self
        server = self.pkg.server

        class Impl(server.DefaultApi):  # type: ignore[misc, name-defined]
            async def list_books(self) -> Any:
                return library.books

            async def add_book(self, *, body: Any) -> Any:
                library.received.append(body)
                if body.title == "missing":
                    problem = library.pkg.models.Problem(code="NoShelf", message="no shelf")
                    return server.NotFound(problem)
                return server.Created(body)

            async def replace_notes(self, *, id: int, body: str) -> bytes:
                library.received.append(body)
                return body.encode()

            async def add_shelf(self, *, body: Any) -> Any:
                library.received.append(body)
                return body

        return Impl()


def test_a_model_goes_through_client_and_server_as_xml(pkg: ModuleType) -> None:
    library = Library(pkg)
    book = a_book(pkg)

    async def call() -> Any:
        async with asgi_client(pkg, library.api()) as client:
            return await client.default.add_book(body=book)

    answer = asyncio.run(call())
    assert library.received == [book]
    assert answer == book
    assert answer.chapters[1].number == 2
    assert answer.related[0].title == "Dune Messiah"


def test_a_root_array_and_an_error_body_come_back_typed(pkg: ModuleType) -> None:
    library = Library(pkg)
    library.books = [a_book(pkg), pkg.models.Book(id=9, title="Emma")]

    async def call() -> tuple[Any, DeclaredStatusError]:
        async with asgi_client(pkg, library.api()) as client:
            books = await client.default.list_books()
            with pytest.raises(DeclaredStatusError) as raised:
                await client.default.add_book(body=pkg.models.Book(id=1, title="missing"))
            return books, raised.value

    books, error = asyncio.run(call())
    assert books == library.books
    assert error.status_code == 404
    assert error.body == pkg.models.Problem(code="NoShelf", message="no shelf")


def test_the_client_sends_the_document_the_xml_objects_describe(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []
    book = a_book(pkg)

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(
            201, content=request.content, headers={"content-type": "application/xml"}
        )

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    with pkg.client.Client(base_url="http://testserver", http_client=http_client) as client:
        assert client.default.add_book(body=book) == book

    [request] = sent
    assert request.headers["content-type"] == "application/xml"
    assert "application/xml" in request.headers["accept"]
    document = ET.fromstring(request.content)
    assert document.tag == f"{{{LIB}}}book"
    assert request.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<lib:book")
    assert document.attrib == {"id": "7", "ISBN": "978-0"}
    assert document.findtext("title") == "Dune & Sons"
    assert document.findtext("available") == "true"
    assert [a.text for a in document.findall("authors/author")] == ["Frank", "Brian"]
    assert [t.text for t in document.findall("tag")] == ["sf", "classic"]
    assert [c.attrib for c in document.findall("chapter")] == [{"number": "1"}, {"number": "2"}]
    publisher = document.find(f"{{{PUB}}}publisher")
    assert publisher is not None
    assert publisher.findtext(f"{{{PUB}}}name") == "Chilton"
    assert publisher.findtext("country") == "US"
    [related] = document.findall(f"seeAlso/{{{LIB}}}book")
    assert related.attrib == {"id": "8"}
    assert related.findtext("title") == "Dune Messiah"


HAND_WRITTEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- as a person would write it: indented, another prefix, text in CDATA -->
<library:book xmlns:library="urn:example:library" id="12" ISBN="0-14">
  <title><![CDATA[Pride & Prejudice]]></title>
  <available>false</available>
  <price>4.25</price>
  <authors>
    <author>Jane Austen</author>
  </authors>
  <tag>novel</tag>
  <tag>romance</tag>
  <chapter number="1"><title>One</title></chapter>
  <p:publisher xmlns:p="urn:example:publishing"><p:name>Egerton</p:name></p:publisher>
</library:book>
"""


def post_xml(library: Library, path: str, document: bytes) -> httpx.Response:
    """What the server answers a document posted as `application/xml`."""

    async def post() -> httpx.Response:
        async with raw_client(library.pkg, library.api()) as client:
            headers = {"content-type": "application/xml"}
            return await client.post(path, content=document, headers=headers)

    return asyncio.run(post())


def test_the_server_reads_a_hand_written_document(pkg: ModuleType) -> None:
    library = Library(pkg)
    response = post_xml(library, "/books", HAND_WRITTEN)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/xml"
    models = pkg.models
    [book] = library.received
    assert book == models.Book(
        id=12,
        isbn="0-14",
        title="Pride & Prejudice",
        available=False,
        price=4.25,
        authors=["Jane Austen"],
        tags=["novel", "romance"],
        chapters=[models.Chapter(number=1, title="One")],
        publisher=models.Publisher(name="Egerton"),
    )
    assert ET.fromstring(response.content).findtext("title") == "Pride & Prejudice"


def test_the_client_reads_a_hand_written_document(pkg: ModuleType) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, content=HAND_WRITTEN, headers={"content-type": "text/xml"})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    with pkg.client.Client(base_url="http://testserver", http_client=http_client) as client:
        book = client.default.add_book(body=pkg.models.Book(id=1, title="x"))
    assert (book.id, book.isbn, book.available, book.price) == (12, "0-14", False, 4.25)
    assert book.tags == ["novel", "romance"]
    assert book.publisher.name == "Egerton"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<book id='1'><title>open", "not a well-formed XML document"),
        (
            b'<!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<book id='1'><title>&b;</title></book>",
            "the XML body is refused",
        ),
        (
            b'<!DOCTYPE b [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<book id='1'><title>&x;</title></book>",
            "the XML body is refused",
        ),
        (b"<book id='one'><title>t</title></book>", "/id"),
        (
            b"<book id='1'><title>t</title><chapter><title>no number</title></chapter></book>",
            "/chapters/0/number",
        ),
    ],
    ids=["malformed", "entity-expansion", "external-entity", "invalid-attribute", "missing"],
)
def test_the_server_refuses_bad_xml_with_400(
    pkg: ModuleType, document: bytes, message: str
) -> None:
    library = Library(pkg)
    response = post_xml(library, "/books", document)
    assert response.status_code == 400
    assert message in response.text
    assert library.received == []


def test_the_client_refuses_an_unsafe_answer(pkg: ModuleType) -> None:
    bomb = b'<!DOCTYPE b [<!ENTITY a "aaaa">]><book id="1"><title>&a;</title></book>'

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, content=bomb, headers={"content-type": "application/xml"})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    with client, pytest.raises(ResponseValidationError, match="the XML body is refused"):
        client.default.add_book(body=pkg.models.Book(id=1, title="x"))


def test_a_string_schema_keeps_the_document_as_text(pkg: ModuleType) -> None:
    library = Library(pkg)
    notes = "<notes><note>as it is</note></notes>"

    async def call() -> Any:
        async with asgi_client(pkg, library.api()) as client:
            return await client.default.replace_notes(id=1, body=notes)

    assert asyncio.run(call()) == notes.encode()
    assert library.received == [notes]


def test_a_body_declared_as_json_and_xml_is_read_in_either(pkg: ModuleType) -> None:
    library = Library(pkg)
    shelf = pkg.models.Shelf(label="A", capacity=3)

    async def call() -> Any:
        async with asgi_client(pkg, library.api()) as client:
            return await client.default.add_shelf(body=shelf)

    typed = asyncio.run(call())
    response = post_xml(
        library, "/shelves", b"<Shelf><label>B</label><capacity>4</capacity></Shelf>"
    )
    assert typed == shelf
    assert response.status_code == 200
    assert library.received == [shelf, pkg.models.Shelf(label="B", capacity=4)]
    assert ET.fromstring(response.content).findtext("capacity") == "4"
