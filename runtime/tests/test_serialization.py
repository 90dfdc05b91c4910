from __future__ import annotations

import datetime
import enum
import json
import re
import uuid
from typing import Annotated, Any, get_origin
from urllib.parse import parse_qsl, unquote, urlencode

import httpx
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field

from specloom_runtime import _adapters
from specloom_runtime.operation import BodySpec, ParameterLocation, ParamSpec
from specloom_runtime.serialization import (
    ParameterValueError,
    PathTemplate,
    decode_body,
    decode_untyped_body,
    encode_body,
    encode_cookie,
    encode_header,
    encode_path,
    encode_query,
    expand_path,
    to_jsonable,
)

PRIMITIVE = 5
ARRAY = [3, 4, 5]
OBJECT = {"role": "admin", "firstName": "Alex"}


class Color(str, enum.Enum):
    BLUE = "blue"
    BLACK = "black"


class Filter(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first_name: str = Field(alias="firstName")
    max_age: int | None = Field(default=None, alias="max-age")


def param(
    location: ParameterLocation,
    style: str = "",
    explode: bool | None = None,
    annotation: Any = Any,
    name: str = "id",
) -> ParamSpec:
    return ParamSpec(
        name=name,
        wire_name=name,
        location=location,
        annotation=annotation,
        style=style,
        explode=explode,
    )


def raw_response(content: bytes, content_type: str | None = None) -> httpx.Response:
    headers = {"content-type": content_type} if content_type else {}
    return httpx.Response(200, content=content, headers=headers)


# The examples of the OpenAPI 3 "Style Examples" table.


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("simple", False, PRIMITIVE, "5"),
        ("simple", False, ARRAY, "3,4,5"),
        ("simple", False, OBJECT, "role,admin,firstName,Alex"),
        ("simple", True, ARRAY, "3,4,5"),
        ("simple", True, OBJECT, "role=admin,firstName=Alex"),
        ("label", False, PRIMITIVE, ".5"),
        ("label", False, ARRAY, ".3,4,5"),
        ("label", False, OBJECT, ".role,admin,firstName,Alex"),
        ("label", True, ARRAY, ".3.4.5"),
        ("label", True, OBJECT, ".role=admin.firstName=Alex"),
        ("matrix", False, PRIMITIVE, ";id=5"),
        ("matrix", False, ARRAY, ";id=3,4,5"),
        ("matrix", False, OBJECT, ";id=role,admin,firstName,Alex"),
        ("matrix", True, ARRAY, ";id=3;id=4;id=5"),
        ("matrix", True, OBJECT, ";role=admin;firstName=Alex"),
        ("matrix", False, "", ";id"),
    ],
)
def test_path_styles_match_the_openapi_examples(
    style: str, explode: bool, value: Any, expected: str
) -> None:
    assert encode_path(param("path", style, explode), value) == expected


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("form", False, PRIMITIVE, [("id", "5")]),
        ("form", False, ARRAY, [("id", "3,4,5")]),
        ("form", False, OBJECT, [("id", "role,admin,firstName,Alex")]),
        ("form", True, ARRAY, [("id", "3"), ("id", "4"), ("id", "5")]),
        ("form", True, OBJECT, [("role", "admin"), ("firstName", "Alex")]),
        ("form", True, "", [("id", "")]),
        ("spaceDelimited", False, ARRAY, [("id", "3 4 5")]),
        ("spaceDelimited", False, OBJECT, [("id", "role admin firstName Alex")]),
        ("pipeDelimited", False, ARRAY, [("id", "3|4|5")]),
        ("pipeDelimited", False, OBJECT, [("id", "role|admin|firstName|Alex")]),
        ("pipeDelimited", True, ARRAY, [("id", "3"), ("id", "4"), ("id", "5")]),
        ("deepObject", True, OBJECT, [("id[role]", "admin"), ("id[firstName]", "Alex")]),
    ],
)
def test_query_styles_match_the_openapi_examples(
    style: str, explode: bool, value: Any, expected: list[tuple[str, str]]
) -> None:
    assert encode_query(param("query", style, explode), value) == expected


def test_query_form_style_explodes_by_default() -> None:
    assert encode_query(param("query"), ["a", "b"]) == [("id", "a"), ("id", "b")]


def test_deep_object_nests_objects_and_repeats_array_keys() -> None:
    value = {"name": {"first": "Alex"}, "tags": ["a", "b"]}
    pairs = encode_query(param("query", "deepObject", True), value)
    assert pairs == [("id[name][first]", "Alex"), ("id[tags]", "a"), ("id[tags]", "b")]


def test_header_is_simple_style() -> None:
    assert encode_header(param("header"), ARRAY) == "3,4,5"
    assert encode_header(param("header", explode=True), OBJECT) == "role=admin,firstName=Alex"


def test_header_values_are_not_percent_encoded() -> None:
    assert encode_header(param("header"), "a b/c") == "a b/c"


def test_cookie_is_form_style() -> None:
    assert encode_cookie(param("cookie"), PRIMITIVE) == [("id", "5")]
    assert encode_cookie(param("cookie", explode=False), ARRAY) == [("id", "3,4,5")]
    assert encode_cookie(param("cookie"), ARRAY) == [("id", "3"), ("id", "4"), ("id", "5")]


def test_cookie_values_escape_what_a_cookie_cannot_hold() -> None:
    assert encode_cookie(param("cookie"), 'a b;c,d"e%') == [("id", "a%20b%3Bc%2Cd%22e%25")]


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (bool, True, "true"),
        (bool, False, "false"),
        (Color, Color.BLUE, "blue"),
        (list[Color], [Color.BLUE, Color.BLACK], "blue,black"),
        (datetime.date, datetime.date(2024, 2, 29), "2024-02-29"),
        (
            datetime.datetime,
            datetime.datetime(2024, 2, 29, 12, 30, tzinfo=datetime.timezone.utc),
            "2024-02-29T12:30:00Z",
        ),
        (
            uuid.UUID,
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "12345678-1234-5678-1234-567812345678",
        ),
        (float, 1.5, "1.5"),
        (list[int], [], ""),
    ],
)
def test_values_are_written_as_their_json_text(annotation: Any, value: Any, expected: str) -> None:
    assert encode_header(param("header", annotation=annotation), value) == expected


def test_models_are_sent_by_alias_without_unset_fields() -> None:
    spec = param("query", "deepObject", True, annotation=Filter)
    assert encode_query(spec, Filter.model_validate({"first_name": "Alex"})) == [
        ("id[firstName]", "Alex")
    ]
    assert encode_query(spec, Filter.model_validate({"first_name": "Alex", "max_age": 3})) == [
        ("id[firstName]", "Alex"),
        ("id[max-age]", "3"),
    ]


def test_values_nested_deeper_than_the_style_are_json() -> None:
    assert encode_query(param("query"), [{"a": 1}]) == [("id", '{"a":1}')]


def test_to_jsonable_keeps_plain_values_and_dumps_the_rest() -> None:
    assert to_jsonable(int, 3) == 3
    assert to_jsonable(Color, Color.BLACK) == "black"
    assert to_jsonable(Filter, Filter.model_validate({"first_name": "A"})) == {"firstName": "A"}


def test_path_values_are_percent_encoded() -> None:
    assert encode_path(param("path"), "a/b?c#d e") == "a%2Fb%3Fc%23d%20e"
    assert encode_path(param("path"), ["a,b", "c"]) == "a%2Cb,c"


def test_unsupported_styles_are_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported style 'form'"):
        encode_path(param("path", "form"), 1)
    with pytest.raises(ValueError, match="unsupported style 'matrix'"):
        encode_query(param("query", "matrix"), 1)


# expand_path


def test_expand_path_replaces_each_variable_by_wire_name() -> None:
    specs = (
        ParamSpec(name="owner_id", wire_name="ownerId", location="path", annotation=int),
        ParamSpec(name="pet_name", wire_name="petName", location="path", annotation=str),
        ParamSpec(name="limit", wire_name="limit", location="query", annotation=int),
    )
    values = {"owner_id": 7, "pet_name": "Rex/{ownerId}", "limit": 3}
    path = expand_path("/owners/{ownerId}/pets/{petName}", specs, values)
    assert path == "/owners/7/pets/Rex%2F%7BownerId%7D"


@pytest.mark.parametrize(
    "annotation",
    [
        Annotated[int, Field(ge=10)],
        Annotated[int, Field(ge=10)] | Annotated[str, Field(pattern="^[a-z]+$")],
    ],
)
def test_an_integer_in_a_path_is_checked_against_its_limits(annotation: Any) -> None:
    specs = (ParamSpec(name="run", wire_name="run", location="path", annotation=annotation),)
    assert expand_path("/runs/{run}", specs, {"run": 10}) == "/runs/10"
    with pytest.raises(ParameterValueError, match="greater than or equal to 10"):
        expand_path("/runs/{run}", specs, {"run": 9})


@pytest.mark.parametrize(
    "annotation",
    [
        list[Annotated[str, Field(pattern="^[a-z]+$")]],
        list[Annotated[str, Field(pattern="^[a-z]+$")]] | None,
        dict[str, Annotated[str, Field(pattern="^[a-z]+$")]],
    ],
)
def test_the_items_of_a_query_array_or_map_are_checked_against_their_limits(
    annotation: Any,
) -> None:
    spec = param("query", "form", True, annotation, name="tags")
    good = {"a": "ok"} if get_origin(annotation) is dict else ["ok", "fine"]
    bad = {"a": "NOT OK"} if get_origin(annotation) is dict else ["ok", "NOT OK"]
    assert encode_query(spec, good)
    with pytest.raises(ParameterValueError, match="should match pattern"):
        encode_query(spec, bad)


def test_expand_path_requires_every_value() -> None:
    specs = (ParamSpec(name="pet_id", wire_name="petId", location="path", annotation=int),)
    with pytest.raises(ValueError, match="'pet_id' is required"):
        expand_path("/pets/{petId}", specs, {"pet_id": None})
    with pytest.raises(ValueError, match=r"no parameter for \{other\}"):
        expand_path("/pets/{other}", specs, {"pet_id": 1})


@pytest.mark.parametrize(
    ("template", "value"),
    [("/users/{id}/repos", ""), ("/{id}/x", ""), ("/tags/{id}/x", []), ("/q/{id}/x", {})],
)
def test_a_value_sent_as_an_empty_text_is_refused_inside_the_path(
    template: str, value: object
) -> None:
    with pytest.raises(ParameterValueError, match=r"parameter 'id' \(path 'id'\).*empty segment"):
        expand_path(template, (param("path", "simple"),), {"id": value})


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("/repos/contents/{id}", "", "/repos/contents/"),  # the last segment: GitHub's root
        ("/files/{id}.json", "", "/files/.json"),  # a part of a segment
        ("/v1/x{id}/y", "", "/v1/x/y"),
        ("/a/{id}/b", "", None),
    ],
)
def test_only_a_segment_inside_the_path_must_not_be_empty(
    template: str, value: str, expected: str | None
) -> None:
    specs = (param("path", "simple"),)
    if expected is None:
        with pytest.raises(ParameterValueError):
            expand_path(template, specs, {"id": value})
    else:
        assert expand_path(template, specs, {"id": value}) == expected
    # label and matrix values are never empty: their prefix is part of the segment
    for style, prefix in (("label", "."), ("matrix", ";id")):
        expanded = unquote(expand_path(template, (param("path", style),), {"id": ""}))
        assert expanded == template.replace("{id}", prefix)


def test_two_variables_in_one_segment_may_each_be_empty() -> None:
    specs = (param("path", "simple", name="a"), param("path", "simple", name="b"))
    assert expand_path("/x/{a}{b}/y", specs, {"a": "", "b": "1"}) == "/x/1/y"


# Properties

texts = st.text()
comma_free_texts = st.text().filter(lambda text: "," not in text)


@given(st.lists(texts))
def test_exploded_form_arrays_round_trip_through_a_query_string(values: list[str]) -> None:
    query = urlencode(encode_query(param("query", "form", True), values))
    assert parse_qsl(query, keep_blank_values=True) == [("id", value) for value in values]


@given(st.lists(comma_free_texts, min_size=2))
def test_form_arrays_round_trip_when_items_hold_no_comma(values: list[str]) -> None:
    (pair,) = parse_qsl(urlencode(encode_query(param("query", "form", False), values)))
    assert pair[1].split(",") == values


@given(st.dictionaries(st.text(min_size=1).filter(lambda key: "[" not in key), texts))
def test_deep_objects_round_trip_through_a_query_string(value: dict[str, str]) -> None:
    query = urlencode(encode_query(param("query", "deepObject", True), value))
    decoded = parse_qsl(query, keep_blank_values=True)
    assert decoded == [(f"id[{key}]", item) for key, item in value.items()]


STYLE_PREFIXES = {"simple": "", "label": ".", "matrix": ";id="}


@given(texts, st.sampled_from(["simple", "label", "matrix"]), st.booleans())
def test_path_values_never_change_the_path(value: str, style: str, explode: bool) -> None:
    spec = param("path", style, explode)
    if style == "simple" and not value:  # the segment would be empty: refused
        with pytest.raises(ParameterValueError, match="empty segment"):
            expand_path("/pets/{id}/photo", (spec,), {"id": value})
        return
    url = httpx.URL("https://api.test/v1" + expand_path("/pets/{id}/photo", (spec,), {"id": value}))
    assert not url.query
    assert not url.fragment
    root, version, pets, segment, photo = url.raw_path.decode().split("/")
    assert (root, version, pets, photo) == ("", "v1", "pets", "photo")
    prefix = STYLE_PREFIXES[style] if value or style != "matrix" else ";id"
    assert unquote(segment) == prefix + value


@pytest.mark.parametrize(
    ("style", "value", "expected"),
    [("simple", "..", "/a/%2E%2E/b"), ("simple", ".", "/a/%2E/b"), ("label", ".", "/a/%2E%2E/b")],
)
def test_path_values_made_of_dots_are_escaped(style: str, value: str, expected: str) -> None:
    assert expand_path("/a/{id}/b", (param("path", style),), {"id": value}) == expected


class Level(enum.IntEnum):
    LOW = 1


@pytest.mark.parametrize(("style", "prefix"), [("simple", ""), ("label", "."), ("matrix", ";id=")])
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (7, "7"),
        (-3, "-3"),
        (0, "0"),
        (True, "true"),
        (False, "false"),
        (Level.LOW, "1"),
        (2.5, "2.5"),
    ],
)
def test_numbers_in_a_path_are_sent_as_their_style_says(
    style: str, prefix: str, value: object, text: str
) -> None:
    template = PathTemplate("/a/{id}/b/{id}", (param("path", style, annotation=type(value)),))
    assert template.expand({"id": value}) == f"/a/{prefix}{text}/b/{prefix}{text}"


@given(st.lists(texts, min_size=1))
def test_simple_path_arrays_split_back_into_their_items(values: list[str]) -> None:
    encoded = encode_path(param("path"), values)
    assert [unquote(item) for item in encoded.split(",")] == values


@given(texts)
def test_cookie_values_hold_only_cookie_characters(value: str) -> None:
    ((name, encoded),) = encode_cookie(param("cookie"), value)
    assert name == "id"
    assert re.fullmatch(r"[!#-+\--:<-\[\]-~]*", encoded)
    assert unquote(encoded) == value


# Request bodies


class NewPet(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str
    birth_date: datetime.date | None = Field(default=None, alias="birth-date")
    tags: list[str] = []


def test_json_bodies_are_dumped_by_alias_without_unset_fields() -> None:
    spec = BodySpec(annotation=NewPet, content_type="application/merge-patch+json")
    encoded = encode_body(
        spec, NewPet.model_validate({"name": "Rex", "birth_date": datetime.date(2020, 1, 2)})
    )
    assert encoded.content == b'{"name":"Rex","birth-date":"2020-01-02"}'
    assert encoded.content_type == "application/merge-patch+json"


def test_form_bodies_repeat_arrays_and_write_booleans_as_json() -> None:
    spec = BodySpec(annotation=dict[str, Any], content_type="application/x-www-form-urlencoded")
    encoded = encode_body(spec, {"name": "Rex Jr", "tags": ["a", "b"], "good": True, "x": None})
    assert encoded.content == b"name=Rex+Jr&tags=a&tags=b&good=true"
    assert encoded.content_type == "application/x-www-form-urlencoded"


def test_form_bodies_must_be_objects() -> None:
    spec = BodySpec(annotation=list[int], content_type="application/x-www-form-urlencoded")
    with pytest.raises(TypeError, match="form body must be an object"):
        encode_body(spec, [1])


class Upload(BaseModel):
    title: str
    file: bytes
    meta: dict[str, int] | None = None


def multipart_body(encoded_files: Any) -> bytes:
    request = httpx.Request("POST", "https://api.test/", files=encoded_files)
    return request.read()


def test_multipart_bodies_send_bytes_as_files_and_the_rest_as_fields() -> None:
    spec = BodySpec(annotation=Upload, content_type="multipart/form-data")
    encoded = encode_body(spec, Upload(title="Hi", file=b"\x00\x01", meta={"n": 1}))
    assert encoded.content is None
    assert encoded.content_type is None
    body = multipart_body(encoded.files)
    assert b'name="title"\r\n\r\nHi\r\n' in body
    assert (
        b'name="file"; filename="file"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01'
        in body
    )
    assert b'name="meta"\r\nContent-Type: application/json\r\n\r\n{"n":1}\r\n' in body


def test_multipart_files_may_name_their_file_and_type() -> None:
    spec = BodySpec(annotation=dict[str, Any], content_type="multipart/form-data")
    value = {"doc": ("a.txt", b"hello", "text/plain"), "pics": [("p.png", b"png")], "n": 3}
    body = multipart_body(encode_body(spec, value).files)
    assert b'name="doc"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello' in body
    assert b'name="pics"; filename="p.png"' in body
    assert b'name="n"\r\n\r\n3\r\n' in body


def test_binary_and_text_bodies() -> None:
    binary = BodySpec(annotation=bytes, content_type="application/octet-stream")
    assert encode_body(binary, b"\x00").content == b"\x00"
    text = BodySpec(annotation=str, content_type="text/plain")
    encoded = encode_body(text, "héllo")
    assert encoded.content == "héllo".encode()
    assert encoded.content_type == "text/plain; charset=utf-8"
    with pytest.raises(TypeError, match="application/octet-stream body must be bytes"):
        encode_body(binary, 12)


def test_a_body_of_any_type_declared_under_several_media_types_goes_as_the_first() -> None:
    # blazemeter: `schema: {}` under JSON and multipart (`Any` is a class on Python 3.11,
    # which no instance check takes).
    spec = BodySpec(
        annotation=Any,
        content_type="application/json",
        media=(("application/json", Any), ("multipart/form-data", Any)),
    )
    encoded = encode_body(spec, {"session_ids": ["s1"]})
    assert encoded.content_type == "application/json"
    assert json.loads(encoded.content or b"") == {"session_ids": ["s1"]}


# Response bodies


class Pet(BaseModel):
    id: int
    name: str


def test_json_bodies_are_validated_to_their_type() -> None:
    raw = raw_response(b'[{"id": 1, "name": "Rex"}]', "application/json; charset=utf-8")
    assert decode_body(list[Pet], raw) == [Pet(id=1, name="Rex")]


def test_a_body_that_does_not_match_raises_a_validation_error() -> None:
    raw = raw_response(b'[{"id": "one"}]', "application/json")
    with pytest.raises(pydantic.ValidationError) as caught:
        decode_body(list[Pet], raw)
    assert {error["loc"] for error in caught.value.errors()} == {(0, "id"), (0, "name")}


def test_the_response_content_type_decides_how_to_read_the_body() -> None:
    assert decode_body(str, raw_response(b'"quoted"', "application/problem+json")) == "quoted"
    assert decode_body(str, raw_response(b'"quoted"', "text/plain")) == '"quoted"'
    assert decode_body(bytes, raw_response(b"\x89PNG", "image/png")) == b"\x89PNG"


def test_without_a_response_content_type_the_declared_one_is_used() -> None:
    assert decode_body(str, raw_response(b"plain"), "text/plain") == "plain"
    assert decode_body(int, raw_response(b"42")) == 42


def test_no_declared_body_decodes_to_none() -> None:
    assert decode_body(None, raw_response(b"ignored", "text/plain")) is None


def test_decoding_builds_each_type_adapter_once(monkeypatch: pytest.MonkeyPatch) -> None:
    class Fresh(BaseModel):
        value: int

    built: list[Any] = []

    def counting_adapter(annotation: Any) -> pydantic.TypeAdapter[Any]:
        built.append(annotation)
        return pydantic.TypeAdapter(annotation)

    monkeypatch.setattr(_adapters, "TypeAdapter", counting_adapter)
    for _ in range(3):
        decode_body(list[Fresh], raw_response(b'[{"value": 1}]', "application/json"))
    assert built == [list[Fresh]]


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b'{"code": 1}', "application/json", {"code": 1}),
        (b'{"code": 1}', None, {"code": 1}),
        (b"<html>oops</html>", "text/html", "<html>oops</html>"),
        (b"{not json", "application/json", "{not json"),
        (b"123", "text/plain", "123"),
        (b"\x89PNG", "image/png", b"\x89PNG"),
        (b"", "application/json", None),
    ],
)
def test_untyped_bodies_are_json_else_text(
    content: bytes, content_type: str | None, expected: Any
) -> None:
    assert decode_untyped_body(raw_response(content, content_type)) == expected
