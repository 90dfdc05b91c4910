"""Request bodies: media types, parsing, validation, and where each problem is."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from specloom_runtime.operation import BodySpec, OperationSpec, PropertyEncoding, ResponseSpec

if TYPE_CHECKING:
    from conftest import ServeOperation
    from starlette.testclient import TestClient


class Owner(BaseModel):
    name: str


class Pet(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(max_length=10)
    birth_year: int | None = Field(default=None, alias="birth-year")
    owner: Owner | None = None
    tags: list[str] = []


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str


class Upload(BaseModel):
    title: str
    file: bytes
    meta: dict[str, int] = {}


def create(body: BodySpec) -> OperationSpec:
    return OperationSpec(
        name="create",
        method="POST",
        path="/things",
        body=body,
        responses=(
            ResponseSpec(status="200", annotation=None, content_type=None, is_success=True),
        ),
    )


@pytest.fixture
def received() -> list[Any]:
    return []


@pytest.fixture
def serve_body(serve_operation: ServeOperation, received: list[Any]) -> Any:
    """A client for an operation taking `body`; what the handler got lands in `received`."""

    def serve(body: BodySpec) -> TestClient:
        async def handler(body: Any) -> None:
            received.append(body)

        return serve_operation(create(body), handler)

    return serve


def test_json_body_is_validated_into_its_type(serve_body: Any, received: list[Any]) -> None:
    client = serve_body(BodySpec(Pet))

    response = client.post("/things", json={"name": "Rex", "birth-year": 2020, "tags": ["a"]})

    assert response.status_code == 200
    assert received == [Pet.model_validate({"name": "Rex", "birth_year": 2020, "tags": ["a"]})]


def test_every_body_problem_has_a_json_pointer(serve_body: Any, received: list[Any]) -> None:
    client = serve_body(BodySpec(Pet))

    response = client.post("/things", json={"name": 5, "owner": {}, "tags": ["a", 3]})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [(e["in"], e["pointer"]) for e in response.json()["errors"]] == [
        ("body", "/name"),
        ("body", "/owner/name"),
        ("body", "/tags/1"),
    ]
    assert received == []


def test_pointers_skip_union_member_names(serve_body: Any) -> None:
    client = serve_body(BodySpec(list[Owner | int]))

    response = client.post("/things", json=[{"name": "a"}, {"nom": "b"}])

    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert pointers == {"/1/name", "/1"}


def test_malformed_json(serve_body: Any) -> None:
    client = serve_body(BodySpec(Pet))

    response = client.post(
        "/things", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["pointer"] == ""
    assert error["message"].startswith("Invalid JSON")


def test_missing_required_body(serve_body: Any) -> None:
    response = serve_body(BodySpec(Pet)).post("/things")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"in": "body", "pointer": "", "message": "the request body is missing"}
    ]


def test_missing_optional_body_is_none(serve_body: Any, received: list[Any]) -> None:
    response = serve_body(BodySpec(Pet, required=False)).post("/things")

    assert response.status_code == 200
    assert received == [None]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/jsonx", "", "multipart/form-data"],
)
def test_a_body_of_another_media_type_is_415(
    serve_body: Any, received: list[Any], content_type: str
) -> None:
    client = serve_body(BodySpec(Pet))

    response = client.post(
        "/things", content=b'{"name": "Rex"}', headers={"Content-Type": content_type}
    )

    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert "application/json" in response.json()["detail"]
    assert received == []


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json"],
)
def test_json_media_types_that_match(
    serve_body: Any, received: list[Any], content_type: str
) -> None:
    client = serve_body(BodySpec(Pet))

    response = client.post(
        "/things", content=b'{"name": "Rex"}', headers={"Content-Type": content_type}
    )

    assert response.status_code == 200
    assert received == [Pet(name="Rex")]


def test_huge_inputs_are_not_echoed(serve_body: Any) -> None:
    client = serve_body(BodySpec(Pet))
    huge = "x" * 100_000

    response = client.post("/things", json={"name": huge, "birth-year": huge, huge: 1})

    assert response.status_code == 400
    assert len(response.content) < 1_000
    assert len(response.json()["errors"]) == 2


def test_huge_keys_are_not_echoed_in_pointers(serve_body: Any) -> None:
    client = serve_body(BodySpec(Strict))

    response = client.post("/things", json={"name": "Rex", "k" * 100_000: 1})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["pointer"].startswith("/kkk")
    assert len(response.content) < 1_000


def test_urlencoded_form(serve_body: Any, received: list[Any]) -> None:
    client = serve_body(BodySpec(Pet, content_type="application/x-www-form-urlencoded"))

    response = client.post(
        "/things", data={"name": "Rex", "birth-year": "2020", "tags": ["a", "b"]}
    )

    assert response.status_code == 200
    assert received == [Pet.model_validate({"name": "Rex", "birth_year": 2020, "tags": ["a", "b"]})]


class Options(BaseModel):
    expand: list[str] = []


FORM = "application/x-www-form-urlencoded"


def test_an_empty_form_is_the_empty_object_and_no_body_is_none(
    serve_body: Any, received: list[Any]
) -> None:
    # stripe's DELETE operations take an optional form whose fields are all optional.
    client = serve_body(BodySpec(Options, content_type=FORM, required=False))

    empty = client.post("/things", content=b"", headers={"Content-Type": FORM})
    absent = client.post("/things")

    assert (empty.status_code, absent.status_code) == (200, 200)
    assert received == [Options(), None]


def test_an_empty_form_misses_the_required_fields_by_name(serve_body: Any) -> None:
    client = serve_body(BodySpec(Pet, content_type=FORM))

    response = client.post("/things", content=b"", headers={"Content-Type": FORM})

    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["/name"]


class TaxId(BaseModel):
    type: str
    value: str


class Field_(BaseModel):
    name: str


class Settings(BaseModel):
    custom_fields: list[Field_] | Literal[""] | None = None


class Customer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tax_id_data: list[TaxId] | None = None
    invoice_settings: Settings | None = None


DEEP = PropertyEncoding(style="deepObject", explode=True)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            "tax_id_data[0][type]=eu&tax_id_data[0][value]=1&tax_id_data[1][type]=au"
            "&tax_id_data[1][value]=2",
            Customer(tax_id_data=[TaxId(type="eu", value="1"), TaxId(type="au", value="2")]),
        ),
        (
            "invoice_settings[custom_fields][0][name]=PO",
            Customer(invoice_settings=Settings(custom_fields=[Field_(name="PO")])),
        ),
        ("invoice_settings[custom_fields]=", Customer(invoice_settings=Settings(custom_fields=""))),
    ],
)
def test_form_fields_in_the_deep_object_style_nest_as_the_client_writes_them(
    serve_body: Any, received: list[Any], form: str, expected: Customer
) -> None:
    # stripe's forms: arrays of objects by index, a field that is a list of objects or "".
    encoding = (("tax_id_data", DEEP), ("invoice_settings", DEEP))
    client = serve_body(BodySpec(Customer, content_type=FORM, encoding=encoding))

    response = client.post("/things", content=form.encode(), headers={"Content-Type": FORM})

    assert response.status_code == 200, response.text
    assert received == [expected]


class Message(BaseModel):
    chat_id: int | str
    text: str = ""


@pytest.mark.parametrize("media", [FORM, "multipart/form-data"])
@pytest.mark.parametrize(("sent", "expected"), [("1", 1), ("@channel", "@channel")])
def test_a_form_field_of_a_scalar_union_is_read_as_its_first_member_that_takes_it(
    serve_body: Any, received: list[Any], media: str, sent: str, expected: int | str
) -> None:
    # telegram's `chat_id: anyOf [integer, string]`, as parameters are read.
    client = serve_body(BodySpec(Message, content_type=media))

    if media == FORM:
        response = client.post("/things", data={"chat_id": sent, "text": "1"})
    else:
        response = client.post("/things", files={"chat_id": (None, sent), "text": (None, "1")})

    assert response.status_code == 200, response.text
    assert received == [Message(chat_id=expected, text="1")]
    assert type(received[0].chat_id) is type(expected)


class Geomark(BaseModel):
    allow_overlap: Literal[False, True] = False
    buffer_metres: int | None = None
    multiple: bool = False


@pytest.mark.parametrize("media", [FORM, "multipart/form-data"])
def test_form_fields_read_numbers_booleans_and_their_enums_as_parameters_do(
    serve_body: Any, received: list[Any], media: str
) -> None:
    # gov.bc.ca geomark's `allowOverlap: {type: boolean, enum: [false, true]}`.
    client = serve_body(BodySpec(Geomark, content_type=media))
    fields = {"allow_overlap": "true", "buffer_metres": "10", "multiple": "false"}

    if media == FORM:
        response = client.post("/things", data=fields)
    else:
        response = client.post("/things", files={k: (None, v) for k, v in fields.items()})

    assert response.status_code == 200, response.text
    assert received == [Geomark(allow_overlap=True, buffer_metres=10, multiple=False)]


@pytest.mark.parametrize(
    ("field", "text"),
    [("multiple", "yes"), ("multiple", "1"), ("buffer_metres", "+10"), ("buffer_metres", "1_0")],
)
def test_form_numbers_and_booleans_are_read_only_as_json_writes_them(
    serve_body: Any, received: list[Any], field: str, text: str
) -> None:
    client = serve_body(BodySpec(Geomark, content_type=FORM))

    response = client.post("/things", data={field: text})

    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["pointer"] == f"/{field}"
    assert received == []


class Batch(BaseModel):
    ids: list[int] = []


def test_the_items_of_a_form_array_are_read_as_a_parameters_are(
    serve_body: Any, received: list[Any]
) -> None:
    client = serve_body(BodySpec(Batch, content_type=FORM))

    assert client.post("/things", data={"ids": ["1", "2"]}).status_code == 200
    assert received == [Batch(ids=[1, 2])]
    refused = client.post("/things", data={"ids": ["1", "+2"]})
    assert refused.status_code == 400, refused.text
    assert received == [Batch(ids=[1, 2])]


def test_invalid_urlencoded_form_points_at_the_field(serve_body: Any) -> None:
    client = serve_body(BodySpec(Pet, content_type="application/x-www-form-urlencoded"))

    response = client.post("/things", data={"birth-year": "soon"})

    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["/name", "/birth-year"]


def test_multipart_form_with_a_file_and_a_json_part(serve_body: Any, received: list[Any]) -> None:
    client = serve_body(BodySpec(Upload, content_type="multipart/form-data"))
    content = bytes(range(256)) + b"\r\n--not-a-boundary\r\n"

    response = client.post(
        "/things",
        data={"title": "café"},
        files={
            "file": ("photo.bin", content, "application/octet-stream"),
            "meta": (None, json.dumps({"size": 3}), "application/json"),
        },
    )

    assert response.status_code == 200
    assert received == [Upload(title="café", file=content, meta={"size": 3})]


def test_malformed_multipart_is_a_body_problem(serve_body: Any) -> None:
    client = serve_body(BodySpec(Upload, content_type="multipart/form-data"))

    response = client.post(
        "/things", content=b"garbage", headers={"Content-Type": "multipart/form-data"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "the multipart body has no boundary in its Content-Type"
    )


def test_octet_stream_body_is_bytes(serve_body: Any, received: list[Any]) -> None:
    client = serve_body(BodySpec(bytes, content_type="application/octet-stream"))
    content = bytes(range(256))

    response = client.post(
        "/things", content=content, headers={"Content-Type": "application/octet-stream"}
    )

    assert response.status_code == 200
    assert received == [content]


def test_text_body_is_decoded_with_its_charset(serve_body: Any, received: list[Any]) -> None:
    client = serve_body(BodySpec(str, content_type="text/plain"))

    response = client.post(
        "/things",
        content="déjà".encode("latin-1"),
        headers={"Content-Type": "text/plain; charset=latin-1"},
    )

    assert response.status_code == 200
    assert received == ["déjà"]


def test_a_declared_media_range_takes_any_member(serve_body: Any, received: list[Any]) -> None:
    client = serve_body(BodySpec(bytes, content_type="image/*"))

    assert (
        client.post(
            "/things", content=b"\x89PNG", headers={"Content-Type": "image/png"}
        ).status_code
        == 200
    )
    assert (
        client.post("/things", content=b"x", headers={"Content-Type": "text/plain"}).status_code
        == 415
    )
    assert received == [b"\x89PNG"]
