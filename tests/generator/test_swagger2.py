"""Swagger 2.0 documents: converted to OpenAPI 3 when loaded, every diagnostic still naming
the original file's lines and pointers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specloom.diagnostics import Level
from specloom.loader import LoadedSpec, load
from specloom.pipeline import check
from specloom.validate import validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CONSTRUCTS = FIXTURES / "swagger2/constructs.yaml"
MISTAKES = FIXTURES / "swagger2/mistakes.yaml"


@pytest.fixture(scope="module")
def constructs() -> LoadedSpec:
    spec, diagnostics = load(CONSTRUCTS)
    assert diagnostics == []
    assert spec is not None
    return spec


def line_of(path: Path, text: str, after: int = 0) -> int:
    """The 1-based number of the first line at or after `after` that contains `text`."""
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if n >= after and text in line)


def test_the_converted_document_is_valid_openapi_3(constructs: LoadedSpec) -> None:
    assert constructs.document["openapi"] == "3.0.3"
    assert "swagger" not in constructs.document
    assert validate(constructs) == []


def test_host_base_path_and_schemes_are_servers_https_first(constructs: LoadedSpec) -> None:
    assert constructs.document["servers"] == [
        {"url": "https://api.example.com/v1"},
        {"url": "http://api.example.com/v1"},
    ]


def test_a_base_path_without_host_is_a_relative_server(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text('swagger: "2.0"\ninfo: {title: t, version: "1"}\nbasePath: /api\npaths: {}\n')
    spec, _ = load(path)
    assert spec is not None
    assert spec.document["servers"] == [{"url": "/api"}]


def test_security_definitions_are_security_schemes(constructs: LoadedSpec) -> None:
    schemes = constructs.document["components"]["securitySchemes"]
    auth, token = "https://auth.example.com/authorize", "https://auth.example.com/token"
    assert schemes == {
        "basicAuth": {"type": "http", "scheme": "basic"},
        "apiKey": {"type": "apiKey", "name": "X-API-Key", "in": "header"},
        "implicitAuth": {
            "type": "oauth2",
            "flows": {"implicit": {"authorizationUrl": auth, "scopes": {"pets:read": "read pets"}}},
        },
        "passwordAuth": {
            "type": "oauth2",
            "flows": {"password": {"tokenUrl": token, "scopes": {}}},
        },
        "clientAuth": {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {"tokenUrl": token, "scopes": {"pets:write": "write pets"}}
            },
        },
        "codeAuth": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {"authorizationUrl": auth, "tokenUrl": token, "scopes": {}}
            },
        },
    }


def operation(spec: LoadedSpec, path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = spec.document["paths"][path][method]
    return result


def test_collection_formats_are_styles(constructs: LoadedSpec) -> None:
    parameters = operation(constructs, "/pets", "get")["parameters"]
    styles = {p["name"]: (p["style"], p["explode"]) for p in parameters if "name" in p}
    assert styles == {
        "tags": ("form", False),  # csv, the default
        "ids": ("form", True),  # multi
        "words": ("spaceDelimited", False),  # ssv
        "flags": ("pipeDelimited", False),  # pipes
    }
    assert parameters[0] == {"$ref": "#/components/parameters/limitParam"}


def test_simple_parameters_keep_their_limits_in_a_schema(constructs: LoadedSpec) -> None:
    limit = constructs.document["components"]["parameters"]["limitParam"]
    assert limit == {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "default": 20, "minimum": 1, "maximum": 100},
    }


def test_a_global_body_parameter_is_inlined_as_the_request_body(constructs: LoadedSpec) -> None:
    create = operation(constructs, "/pets", "post")
    assert "parameters" not in create
    assert create["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}},
        "required": True,
    }
    assert "petBody" not in constructs.document["components"]["parameters"]


def test_form_data_is_a_form_body_with_encodings(constructs: LoadedSpec) -> None:
    search = operation(constructs, "/search", "post")["requestBody"]
    form = search["content"]["application/x-www-form-urlencoded"]
    assert form["schema"]["required"] == ["name"]
    assert form["encoding"] == {
        "kinds": {"style": "form", "explode": True},
        "ages": {"style": "form", "explode": False},
    }
    upload = operation(constructs, "/pets/{petId}/photo", "post")["requestBody"]
    fields = upload["content"]["multipart/form-data"]["schema"]["properties"]
    assert fields["file"] == {"type": "string", "format": "binary"}


def test_x_nullable_and_file_schemas(constructs: LoadedSpec) -> None:
    pet = constructs.document["components"]["schemas"]["NewPet"]
    assert pet["properties"]["nickname"] == {"type": "string", "nullable": True}
    assert pet["properties"]["owner"] == {"$ref": "#/components/schemas/Owner", "nullable": True}
    photo = operation(constructs, "/pets/{petId}/photo.png", "get")["responses"]["200"]
    assert photo["content"] == {"image/png": {"schema": {"type": "string", "format": "binary"}}}


def test_references_follow_their_targets_into_components(constructs: LoadedSpec) -> None:
    pet = constructs.document["components"]["schemas"]["Pet"]
    assert pet["allOf"][0] == {"$ref": "#/components/schemas/NewPet"}
    get_pet = operation(constructs, "/pets/{petId}", "get")
    assert get_pet["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}


def test_converted_pointers_locate_the_original_lines(constructs: LoadedSpec) -> None:
    pointer = "/paths/~1pets/post/requestBody/content/application~1json/schema"
    file, line, _ = constructs.locate(pointer)
    assert file == str(CONSTRUCTS)
    assert line == line_of(CONSTRUCTS, "schema:", line_of(CONSTRUCTS, "  petBody:"))
    assert constructs.source_pointer(pointer) == "/parameters/petBody/schema"

    nickname = "/components/schemas/NewPet/properties/nickname"
    assert constructs.source_pointer(nickname) == "/definitions/NewPet/properties/nickname"
    assert constructs.locate(nickname)[1] == line_of(CONSTRUCTS, "nickname:")

    caption = "/paths/~1pets~1{petId}~1photo/post/requestBody/content/multipart~1form-data/"
    caption += "schema/properties/caption/maxLength"
    assert constructs.source_pointer(caption) == (
        "/paths/~1pets~1{petId}~1photo/post/parameters/1/maxLength"
    )
    assert constructs.locate(caption)[1] == line_of(CONSTRUCTS, "maxLength: 40")

    assert constructs.source_pointer("/openapi") == "/swagger"
    assert constructs.source_pointer("/components/securitySchemes/codeAuth/flows") == (
        "/securityDefinitions/codeAuth"
    )


def test_diagnostics_point_into_the_original_document() -> None:
    checked = check(MISTAKES)

    assert checked.api is None
    found = {(d.level, d.pointer, d.line) for d in checked.diagnostics}
    assert (
        Level.WARNING,
        "/paths/~1things/get/parameters/0",
        line_of(MISTAKES, "- name: when"),
    ) in found
    assert (
        Level.ERROR,
        "/paths/~1things/get/parameters/1/schema",
        line_of(MISTAKES, "schema:"),
    ) in found
    messages = {d.pointer: d.message for d in checked.diagnostics}
    assert "tsv" in messages["/paths/~1things/get/parameters/0"]
    assert "#/components/schemas/Missing" in messages["/paths/~1things/get/parameters/1/schema"]


def test_validation_errors_point_into_the_definitions(tmp_path: Path) -> None:
    text = MISTAKES.read_text().replace("#/definitions/Missing", "#/definitions/Thing")
    path = tmp_path / "spec.yaml"
    path.write_text(text)

    checked = check(path)

    errors = [d for d in checked.diagnostics if d.level is Level.ERROR]
    assert [(d.pointer, d.line, d.file) for d in errors] == [
        ("/definitions/Thing/required", line_of(path, "required: name"), str(path))
    ]


def test_parse_warnings_point_into_the_original_document(tmp_path: Path) -> None:
    text = MISTAKES.read_text().replace("#/definitions/Missing", "#/definitions/Thing")
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace("required: name", "required: [name]"))

    checked = check(path)

    assert checked.api is not None
    warnings = {(d.pointer, d.line) for d in checked.diagnostics if "look-around" in d.message}
    assert warnings == {("/definitions/Thing/properties/code/pattern", line_of(path, "pattern:"))}


def test_swagger_parts_in_other_files_are_converted_too() -> None:
    root = FIXTURES / "swagger2/multi/root.yaml"
    spec, diagnostics = load(root)

    assert diagnostics == []
    assert spec is not None
    assert validate(spec) == []
    paths = spec.document["paths"]
    assert paths["/pets"]["get"]["parameters"] == [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}
    ]
    assert paths["/pets"]["post"]["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        "required": True,
    }
    pet_item = paths["/pets/{petId}"]["get"]
    assert pet_item["parameters"][0]["schema"] == {"type": "integer"}
    assert "content" in pet_item["responses"]["200"]
    nickname = spec.document["components"]["schemas"]["Pet"]["properties"]["nickname"]
    assert nickname == {"type": "string", "nullable": True}
    file, line, _ = spec.locate("/paths/~1pets/get/parameters/0")
    assert (file, line) == (str(root.parent / "parameters.yaml"), 1)
