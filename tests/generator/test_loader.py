"""The loader: YAML/JSON by the OpenAPI rules, bundled references, precise diagnostics."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from spies import first_arguments

from specloom.diagnostics import Diagnostic, Level
from specloom.loader import LoadedSpec, ReadPolicy, http_fetcher, load
from specloom.loading import sources
from specloom.validate import validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LOADER = FIXTURES / "loader"
INVALID = FIXTURES / "invalid"


def loaded(source: str | Path, **options: Any) -> LoadedSpec:
    spec, diagnostics = load(source, **options)
    assert diagnostics == []
    assert spec is not None
    return spec


def only_error(source: str | Path) -> Diagnostic:
    spec, diagnostics = load(source)
    assert spec is None
    assert len(diagnostics) == 1, diagnostics
    assert diagnostics[0].level is Level.ERROR
    return diagnostics[0]


def all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in all_refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in all_refs(item)]
    return []


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'


# Reading files.


def test_the_bundled_example_loads_as_written() -> None:
    spec = loaded(FIXTURES / "petstore/petstore.yaml")
    assert spec.document["openapi"] == "3.0.3"
    assert spec.source == str(FIXTURES / "petstore/petstore.yaml")
    pet_ref = spec.document["paths"]["/pets/{petId}"]["get"]["responses"]["200"]
    assert all_refs(pet_ref) == ["#/components/schemas/Pet"]


def test_a_yaml_syntax_error_names_file_line_and_column() -> None:
    problem = only_error(INVALID / "syntax_error.yaml")
    assert problem.file == str(INVALID / "syntax_error.yaml")
    assert (problem.line, problem.column) == (9, 6)
    assert "YAML syntax error" in problem.message
    assert "expected key" in problem.message


def test_a_json_syntax_error_names_file_line_and_column() -> None:
    problem = only_error(INVALID / "syntax_error.json")
    assert (problem.line, problem.column) == (3, 54)
    assert problem.message.startswith("JSON syntax error: Expecting property name")


@pytest.mark.parametrize(
    ("text", "described"),
    [("- a\n- b\n", "a list"), ("just text\n", "a string"), ("", "empty"), ("# only\n", "empty")],
)
def test_a_root_that_is_not_a_mapping_is_an_error(
    tmp_path: Path, text: str, described: str
) -> None:
    problem = only_error(write(tmp_path / "spec.yaml", text))
    assert "must be a mapping" in problem.message
    assert problem.message.endswith(f"not {described}")


def test_missing_file_and_directory_are_clear_errors(tmp_path: Path) -> None:
    missing = only_error(tmp_path / "nope.yaml")
    assert missing.message == "file not found"
    assert missing.file == str(tmp_path / "nope.yaml")
    assert "directory" in only_error(tmp_path).message


def test_text_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n")
    problem = only_error(path)
    assert problem.message == "not UTF-8 text: byte 0xe9 cannot be decoded"
    assert (problem.line, problem.column) == (3, 13)


def test_a_control_character_is_located(tmp_path: Path) -> None:
    problem = only_error(write(tmp_path / "bell.yaml", "openapi: 3.1.0\ninfo: \x07\n"))
    assert (problem.line, problem.column) == (2, 7)
    assert "#x0007" in problem.message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert loaded(path).document["openapi"] == "3.1.0"


def test_yaml_reads_by_the_openapi_rules() -> None:
    spec = loaded(LOADER / "yaml_quirks.yaml")
    operation = spec.document["paths"]["/switches"]["get"]
    assert list(operation["responses"]) == ["200", "404"]
    country, since = operation["parameters"]
    assert country["schema"]["enum"] == ["NO", "SE", "yes", "off"]
    assert since["schema"]["default"] == "2024-01-01"
    assert since["example"] == "2024-02-29T12:30:00Z"
    properties = operation["responses"]["200"]["content"]["application/json"]["schema"]
    properties = properties["properties"]
    assert list(properties) == ["on", "yes", "mode"]
    assert properties["on"]["default"] is True
    assert properties["yes"]["default"] == 15  # 0o17
    assert properties["mode"]["default"] == 755  # YAML 1.2 has no 0-prefixed octal


def test_yaml_anchors_and_merge_keys_still_work(tmp_path: Path) -> None:
    text = MINIMAL + (
        "components:\n  schemas:\n"
        "    Base: &base {type: object, description: base}\n"
        "    Derived:\n      <<: *base\n      description: derived\n"
    )
    schemas = loaded(write(tmp_path / "s.yaml", text)).document["components"]["schemas"]
    assert schemas["Derived"] == {"type": "object", "description": "derived"}


def test_a_key_written_twice_is_a_warning_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "twice.yaml", MINIMAL + "paths:\n  /a: {}\n  /a: {get: {}}\n")
    spec, diagnostics = load(path)
    assert spec is not None
    assert spec.document["paths"]["/a"] == {"get": {}}
    [warning] = diagnostics
    assert warning.level is Level.WARNING
    assert "'/a' appears twice" in warning.message
    assert (warning.file, warning.line, warning.column) == (str(path), 5, 3)


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "evil.yaml", MINIMAL + "x: !!python/object/apply:os.system [ls]\n")
    problem = only_error(path)
    assert problem.line == 3
    assert "constructor" in problem.message


def test_a_swagger_version_other_than_2_0_is_one_error_at_its_field() -> None:
    problem = only_error(INVALID / "swagger12.yaml")
    assert problem.message.startswith("Swagger '1.2' is not a version specloom reads")
    assert (problem.pointer, problem.line) == ("/swagger", 1)


# Bundling files.


@pytest.fixture(scope="module")
def multi() -> LoadedSpec:
    return loaded(LOADER / "multi/openapi.yaml")


def test_bundling_leaves_only_local_references(multi: LoadedSpec) -> None:
    refs = all_refs(multi.document)
    assert refs
    assert all(ref.startswith("#/") for ref in refs), refs


def test_path_items_from_other_files_are_inlined(multi: LoadedSpec) -> None:
    paths = multi.document["paths"]
    assert paths["/pets"]["get"]["operationId"] == "listPets"
    assert paths["/pets/{petId}"]["parameters"][0]["name"] == "petId"


def test_components_are_hoisted_once_under_their_names(multi: LoadedSpec) -> None:
    components = multi.document["components"]
    assert list(components["schemas"]) == ["Error", "Pet", "Owner", "Tag", "Error2"]
    assert list(components["parameters"]) == ["Limit"]
    assert list(components["responses"]) == ["Problem"]
    listed = multi.document["paths"]["/pets"]["get"]
    one = multi.document["paths"]["/pets/{petId}"]["get"]
    assert listed["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert listed["responses"]["200"]["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Pet"
    }
    assert one["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Pet"
    }


def test_a_name_taken_by_another_definition_gets_a_number(multi: LoadedSpec) -> None:
    schemas = multi.document["components"]["schemas"]
    assert schemas["Error"]["required"] == ["code"]  # the root's own, untouched
    assert schemas["Error2"]["properties"] == {"detail": {"type": "string"}}
    problem = multi.document["components"]["responses"]["Problem"]
    assert problem["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error2"
    }


def test_references_resolve_relative_to_their_own_file(multi: LoadedSpec) -> None:
    schemas = multi.document["components"]["schemas"]
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert schemas["Pet"]["properties"]["tags"]["items"] == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Tag"] == {"type": "string", "minLength": 1}
    # A file referring back into the root gets a plain local reference.
    assert schemas["Owner"]["properties"]["lastError"] == {"$ref": "#/components/schemas/Error"}


def test_a_cycle_across_files_ends_at_the_hoisted_names(multi: LoadedSpec) -> None:
    schemas = multi.document["components"]["schemas"]
    assert schemas["Owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Pet"}


def test_locate_finds_bundled_parts_in_their_own_files(multi: LoadedSpec) -> None:
    folder = str(LOADER / "multi")
    assert multi.locate("/info/title") == (f"{folder}/openapi.yaml", 3, 3)
    assert multi.locate("/components/schemas/Pet/properties/owner") == (
        f"{folder}/schemas/Pet.yaml",
        8,
        3,
    )
    assert multi.locate("/components/schemas/Error2") == (f"{folder}/common/errors.yaml", 3, 5)
    assert multi.locate("/paths/~1pets/get/responses/default") == (
        f"{folder}/paths/pets.yaml",
        14,
        5,
    )
    # As deep as it goes: a pointer past the text stops at the last part found.
    assert multi.locate("/info/nothing/here") == (f"{folder}/openapi.yaml", 2, 1)


def test_pointers_located_together_are_where_each_alone_is(multi: LoadedSpec) -> None:
    every = [
        "/info/title",
        "/components/schemas/Pet/properties/owner",
        "/components/schemas/Error2",
        "/paths/~1pets/get/responses/default",
        "/info/nothing/here",
        "/components/schemas/Pet/properties/tags/items",
    ]
    alone = [loaded(LOADER / "multi/openapi.yaml").locate(pointer) for pointer in every]
    assert multi.locate_many(every) == alone
    json_root = loaded(LOADER / "json/openapi.json")
    more = ["/components/schemas/Thing/properties/name", "/paths/~1things/get/responses/200"]
    assert json_root.locate_many(more) == [
        loaded(LOADER / "json/openapi.json").locate(pointer) for pointer in more
    ]


def test_a_json_root_can_refer_to_yaml_files() -> None:
    spec = loaded(LOADER / "json/openapi.json")
    assert spec.document["components"]["schemas"]["Thing"]["type"] == "object"
    assert spec.locate("/components/schemas/Thing/properties/name") == (
        str(LOADER / "json/schemas.yaml"),
        6,
        9,
    )
    assert spec.locate("/paths/~1things/get/responses/200")[1:] == (8, 11)


def test_other_targets_are_hoisted_as_schemas_or_inlined(tmp_path: Path) -> None:
    write(
        tmp_path / "defs.yaml",
        "limit: {name: limit, in: query, schema: {type: integer}}\nMoney: {type: number}\n",
    )
    write(
        tmp_path / "Price.yaml", "type: object\nproperties:\n  amount: {$ref: 'defs.yaml#/Money'}\n"
    )
    root = write(
        tmp_path / "openapi.yaml",
        MINIMAL
        + "paths:\n  /p:\n    get:\n"
        + "      parameters: [{$ref: 'defs.yaml#/limit'}]\n"
        + "      responses:\n        '200':\n          description: ok\n"
        + "          content: {application/json: {schema: {$ref: 'Price.yaml'}}}\n",
    )
    document = loaded(root).document
    get = document["paths"]["/p"]["get"]
    assert get["parameters"] == [{"name": "limit", "in": "query", "schema": {"type": "integer"}}]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Price"
    }
    schemas = document["components"]["schemas"]
    assert schemas["Price"]["properties"]["amount"] == {"$ref": "#/components/schemas/Money"}
    assert schemas["Money"] == {"type": "number"}


def test_discriminator_mappings_follow_their_schemas(tmp_path: Path) -> None:
    write(
        tmp_path / "pets.yaml",
        "components:\n  schemas:\n    Pet:\n"
        "      oneOf: [{$ref: '#/components/schemas/Dog'}, {$ref: 'cat.yaml'}]\n"
        "      discriminator:\n        propertyName: kind\n"
        "        mapping: {dog: Dog, cat: cat.yaml, bird: '#/components/schemas/Bird'}\n"
        "    Dog: {type: object}\n    Bird: {type: object}\n",
    )
    write(tmp_path / "cat.yaml", "type: object\n")
    root = write(
        tmp_path / "openapi.yaml",
        MINIMAL
        + "components:\n  schemas:\n    Dog: {type: string}\n"
        + "    Animal: {$ref: 'pets.yaml#/components/schemas/Pet'}\n"
        + "    Own:\n      oneOf: [{$ref: '#/components/schemas/Dog'}]\n"
        + "      discriminator: {propertyName: kind, mapping: {dog: Dog}}\n",
    )
    schemas = loaded(root).document["components"]["schemas"]
    assert schemas["Pet"]["discriminator"]["mapping"] == {
        "dog": "#/components/schemas/Dog2",
        "cat": "#/components/schemas/cat",
        "bird": "#/components/schemas/Bird",
    }
    assert schemas["Pet"]["oneOf"] == [
        {"$ref": "#/components/schemas/Dog2"},
        {"$ref": "#/components/schemas/cat"},
    ]
    assert schemas["Own"]["discriminator"]["mapping"] == {"dog": "Dog"}


def test_an_inlined_reference_keeps_its_sibling_summary(tmp_path: Path) -> None:
    write(tmp_path / "item.yaml", "summary: shared\nget: {responses: {'204': {description: no}}}\n")
    root = write(
        tmp_path / "openapi.yaml",
        MINIMAL + "paths:\n  /a: {$ref: item.yaml, summary: mine}\n  /b: {$ref: item.yaml}\n",
    )
    paths = loaded(root).document["paths"]
    assert paths["/a"]["summary"] == "mine"
    assert paths["/b"]["summary"] == "shared"
    assert paths["/a"]["get"] is paths["/b"]["get"]  # moved, not copied


def test_references_in_example_data_are_left_alone(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        MINIMAL
        + "components:\n  schemas:\n    Link:\n      type: object\n"
        + "      example: {$ref: 'not/a/file.yaml'}\n"
        + "      properties:\n        $ref: {type: string}\n",
    )
    schema = loaded(root).document["components"]["schemas"]["Link"]
    assert schema["example"] == {"$ref": "not/a/file.yaml"}
    assert schema["properties"] == {"$ref": {"type": "string"}}


def test_a_circular_inline_is_an_error_not_a_hang(tmp_path: Path) -> None:
    write(
        tmp_path / "item.yaml",
        "get:\n  responses: {'204': {description: no}}\n"
        "  callbacks:\n    again:\n      '{$url}': {$ref: item.yaml}\n",
    )
    root = write(tmp_path / "openapi.yaml", MINIMAL + "paths:\n  /a: {$ref: item.yaml}\n")
    spec, diagnostics = load(root)
    assert spec is not None
    [problem] = diagnostics
    assert problem.message == "circular reference 'item.yaml' cannot be inlined"
    assert problem.file == str(tmp_path / "item.yaml")
    assert problem.pointer == "/get/callbacks/again/{$url}"
    assert problem.line == 5


def test_references_among_plain_values_are_still_bundled(tmp_path: Path) -> None:
    # The walk passes over values with no `$ref` and no dict or list in them, not their kin.
    write(tmp_path / "pet.yaml", "type: object\n")
    root = write(
        tmp_path / "openapi.yaml",
        MINIMAL
        + "components:\n  schemas:\n    Box:\n      type: object\n      required: [a]\n"
        + "      properties:\n        a: &plain {type: string}\n        b: *plain\n"
        + "        c: {allOf: [{type: object}, {items: {$ref: pet.yaml}}]}\n"
        + "        d: {anyOf: [{type: string}, {$ref: '#/components/schemas/Nope'}]}\n",
    )
    spec, diagnostics = load(root)
    assert spec is not None
    properties = spec.document["components"]["schemas"]["Box"]["properties"]
    assert properties["a"] is properties["b"]
    assert properties["c"]["allOf"][1]["items"] == {"$ref": "#/components/schemas/pet"}
    assert spec.document["components"]["schemas"]["pet"] == {"type": "object"}
    [problem] = diagnostics
    assert problem.pointer == "/components/schemas/Box/properties/d/anyOf/1"


def test_a_reference_to_a_number_in_another_file_loads_for_validation_to_judge(
    tmp_path: Path,
) -> None:
    # It used to end the run with a TypeError: the walk took the number for a container.
    write(tmp_path / "other.yaml", "n: 5\ntext: five\n")
    root = write(
        tmp_path / "openapi.yaml",
        MINIMAL
        + "components:\n  schemas:\n    N: {$ref: 'other.yaml#/n'}\n"
        + "    T: {$ref: 'other.yaml#/text'}\n",
    )
    spec, diagnostics = load(root)
    assert spec is not None
    assert diagnostics == []
    schemas = spec.document["components"]["schemas"]
    assert schemas["N"] == {"$ref": "#/components/schemas/n"}
    assert (schemas["n"], schemas["text"]) == (5, "five")
    assert validate(spec)  # the validator says what is wrong with them


# Problems with references.


@pytest.fixture(scope="module")
def broken() -> tuple[LoadedSpec | None, list[Diagnostic]]:
    return load(INVALID / "broken_refs.yaml")


def find(diagnostics: list[Diagnostic], text: str) -> Diagnostic:
    [found] = [d for d in diagnostics if text in d.message]
    return found


def test_unresolvable_references_are_reported_and_the_rest_still_loads(
    broken: tuple[LoadedSpec | None, list[Diagnostic]],
) -> None:
    spec, diagnostics = broken
    assert spec is not None
    assert len(diagnostics) == 6  # five references, one of them into a file that does not parse
    assert all(d.level is Level.ERROR for d in diagnostics)
    fine = spec.document["paths"]["/fine"]["get"]["responses"]["200"]
    assert all_refs(fine) == ["#/components/schemas/Fine"]


def test_a_missing_file_is_named_at_the_reference(
    broken: tuple[LoadedSpec | None, list[Diagnostic]],
) -> None:
    problem = find(broken[1], "refs/absent.yaml#/components/schemas/Ghost")
    assert problem.message.endswith("file not found: " + str(INVALID / "refs/absent.yaml"))
    assert (
        problem.pointer
        == "/paths/~1missing-file/get/responses/200/content/application~1json/schema"
    )
    assert (problem.file, problem.line, problem.column) == (
        str(INVALID / "broken_refs.yaml"),
        13,
        15,
    )


def test_a_missing_target_says_what_is_missing(
    broken: tuple[LoadedSpec | None, list[Diagnostic]],
) -> None:
    problem = find(broken[1], "refs/present.yaml#/components/schemas/Nope")
    assert "/components/schemas in" in problem.message
    assert problem.message.endswith("has no 'Nope'")
    assert problem.line == 22


def test_a_broken_reference_inside_another_file_is_located_in_that_file(
    broken: tuple[LoadedSpec | None, list[Diagnostic]],
) -> None:
    problem = find(broken[1], "'#/components/schemas/Absent'")
    assert problem.file == str(INVALID / "refs/present.yaml")
    assert problem.pointer == "/components/schemas/Holder/properties/inner"
    assert (problem.line, problem.column) == (6, 9)


def test_a_referenced_file_with_a_syntax_error_is_reported_once(
    broken: tuple[LoadedSpec | None, list[Diagnostic]],
) -> None:
    syntax = find(broken[1], "YAML syntax error")
    assert (syntax.file, syntax.line) == (str(INVALID / "refs/broken.yaml"), 4)
    at_ref = find(broken[1], "refs/broken.yaml#/Thing")
    assert at_ref.message.endswith("cannot be parsed")
    assert at_ref.line == 40


def test_an_unresolvable_local_reference_is_reported_with_its_pointer(
    broken: tuple[LoadedSpec | None, list[Diagnostic]],
) -> None:
    problem = find(broken[1], "'#/components/schemas/Nowhere'")
    assert problem.pointer == "/paths/~1local/get/responses/200/content/application~1json/schema"
    assert (problem.line, problem.column) == (49, 15)
    assert problem.message.endswith("has no 'Nowhere'")


def test_a_local_reference_may_pass_through_another_reference(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        MINIMAL
        + "components:\n  schemas:\n"
        + "    Alias: {$ref: '#/components/schemas/Real'}\n"
        + "    Real: {type: object, properties: {id: {type: integer}}}\n"
        + "    Id: {$ref: '#/components/schemas/Alias/properties/id'}\n"
        + "    Bad: {$ref: '#/components/schemas/Alias/properties/nope'}\n",
    )
    spec, diagnostics = load(root)
    assert spec is not None
    [problem] = diagnostics
    assert problem.pointer == "/components/schemas/Bad"


# URLs.


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 serving `tmp_path`; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_spec_is_loaded_from_a_url_with_relative_references(tmp_path: Path, served: str) -> None:
    write(tmp_path / "api/schemas/Pet.yaml", "type: object\n")
    write(
        tmp_path / "api/openapi.yaml",
        MINIMAL
        + "components:\n  schemas:\n    Pets: {type: array, items: {$ref: schemas/Pet.yaml}}\n",
    )
    spec = loaded(f"{served}/api/openapi.yaml")
    schemas = spec.document["components"]["schemas"]
    assert schemas["Pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["Pet"] == {"type": "object"}
    assert spec.locate("/components/schemas/Pet") == (f"{served}/api/schemas/Pet.yaml", 1, 1)


def test_a_file_may_refer_to_a_url(tmp_path: Path, served: str) -> None:
    write(tmp_path / "shared.yaml", "components:\n  schemas:\n    Id: {type: string}\n")
    root = write(
        tmp_path / "local/openapi.yaml",
        MINIMAL
        + "components:\n  schemas:\n"
        + f"    Ref: {{$ref: '{served}/shared.yaml#/components/schemas/Id'}}\n"
        + f"    Gone: {{$ref: '{served}/gone.yaml'}}\n",
    )
    spec, diagnostics = load(root, policy=ReadPolicy(allow_remote_refs=True))
    assert spec is not None
    assert spec.document["components"]["schemas"]["Id"] == {"type": "string"}
    [problem] = diagnostics
    assert problem.pointer == "/components/schemas/Gone"
    assert "HTTP 404" in problem.message


def test_urls_are_read_with_the_given_fetcher() -> None:
    files = {
        "/v1/openapi.json": '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},'
        ' "components": {"schemas": {"A": {"$ref": "common.yaml#/B"}}}}',
        "/v1/common.yaml": "B: {type: integer}\n",
    }
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        body = files.get(request.url.path)
        return httpx.Response(200, text=body) if body else httpx.Response(404)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        spec = loaded("https://specs.example/v1/openapi.json", fetch=http_fetcher(client))
    assert spec.document["components"]["schemas"] == {
        "A": {"$ref": "#/components/schemas/B"},
        "B": {"type": "integer"},
    }
    assert requested == [
        "https://specs.example/v1/openapi.json",
        "https://specs.example/v1/common.yaml",
    ]


def test_an_unreachable_url_is_a_clear_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        spec, diagnostics = load("https://specs.example/x.yaml", fetch=http_fetcher(client))
    assert spec is None
    assert [d.message for d in diagnostics] == ["cannot read the URL: connection refused"]


# Cost.


def test_positions_are_read_only_when_first_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    composed = first_arguments(monkeypatch, sources, "compose_yaml")
    spec = loaded(FIXTURES / "petstore/petstore.yaml")
    assert composed == []
    spec.locate("/info")
    spec.locate("/paths/~1pets/get")
    assert len(composed) == 1


def test_a_spec_built_in_memory_can_still_be_located() -> None:
    spec = LoadedSpec(document={"openapi": "3.1.0"}, source="memory")
    assert spec.locate("/openapi") == ("memory", None, None)
