"""Bad input yields diagnostics, never exceptions, and the rest still parses."""

from __future__ import annotations

import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specloom.diagnostics import Diagnostic, Level
from specloom.ir.model import Api, ModelDef, TypeAliasDef
from specloom.parser import parse
from specloom.parser.context import ParseContext
from specloom.parser.refs import Resolver

FIXTURES = Path(__file__).parents[2] / "fixtures" / "parser"


def assert_consistent(api: Api, diagnostics: list[Diagnostic]) -> None:
    """What the templates rely on, whatever the input."""
    assert not [d for d in diagnostics if "could not be parsed" in d.message]
    names = [t.name for t in api.types]
    assert len(set(names)) == len(names)
    defined: set[str] = set()
    for definition in api.types:
        assert definition.name.isidentifier()
        if isinstance(definition, TypeAliasDef):
            assert set(definition.references.types) <= defined, definition
        if isinstance(definition, ModelDef):
            assert set(definition.references.types) <= set(names)
            assert len({f.python_name for f in definition.fields}) == len(definition.fields)
        defined.add(definition.name)
    constants = [o.constant_name for s in api.services for o in s.operations]
    assert len(set(constants)) == len(constants)
    for service in api.services:
        methods = [o.python_name for o in service.operations]
        assert len(set(methods)) == len(methods)
        for op in service.operations:
            assert set(op.references.types) <= defined
            params = [p.python_name for p in op.parameters]
            assert len(set(params)) == len(params)


@pytest.fixture(scope="module")
def garbage() -> tuple[Api, list[Diagnostic]]:
    return parse(yaml.safe_load((FIXTURES / "garbage.yaml").read_text()))


def pointers(diagnostics: list[Diagnostic], level: Level) -> set[str]:
    return {d.pointer for d in diagnostics if d.level is level}


@pytest.mark.parametrize("document", [None, [], "openapi: 3.0.0", 42])
def test_a_document_that_is_not_an_object_is_one_error(document: Any) -> None:
    api, diagnostics = parse(document)
    assert (api.types, api.services) == ((), ())
    assert [d.level for d in diagnostics] == [Level.ERROR]


def test_garbage_fixture_still_parses_what_is_good(garbage: tuple[Api, list[Diagnostic]]) -> None:
    api, diagnostics = garbage
    assert_consistent(api, diagnostics)
    good = next(t for t in api.types if t.name == "Good")
    assert isinstance(good, ModelDef)
    operations = {o.python_name: o for s in api.services for o in s.operations}
    assert operations["fine"].client_return == "Good"
    assert [p.wire_name for p in operations["odd"].parameters] == ["style"]
    assert operations["odd"].body is None
    assert [r.status for r in operations["odd"].responses] == ["201"]


def test_a_document_of_other_mappings_parses_as_the_same_document_of_dicts() -> None:
    document = yaml.safe_load(
        (Path(__file__).parents[2] / "fixtures/petstore/petstore.yaml").read_text()
    )

    def frozen(value: Any) -> Any:
        if isinstance(value, dict):
            return MappingProxyType({key: frozen(item) for key, item in value.items()})
        if isinstance(value, list):
            return [frozen(item) for item in value]
        return value

    assert parse(frozen(document)) == parse(document)


def test_garbage_fixture_errors_point_at_the_problems(
    garbage: tuple[Api, list[Diagnostic]],
) -> None:
    errors = pointers(garbage[1], Level.ERROR)
    assert {
        "/paths/~1broken",
        "/paths/~1odd/get",
        "/paths/~1odd/post/parameters/0",
        "/paths/~1odd/post/parameters/4",
        "/paths/~1odd/post/requestBody",
        "/paths/~1odd/post/responses/200",
        "/paths/~1params-not-list/get/parameters",
        "/paths/~1params-not-list/get/responses",
    } == errors
    # A parameter without a name or a usable location is skipped: the rest still generates.
    warnings = pointers(garbage[1], Level.WARNING)
    assert {
        "/paths/~1odd/post/parameters/1",
        "/paths/~1odd/post/parameters/2",
        "/paths/~1odd/post/parameters/3",
    } <= warnings


def test_garbage_schemas_degrade_to_any_with_warnings(
    garbage: tuple[Api, list[Diagnostic]],
) -> None:
    api, diagnostics = garbage
    aliases = {t.name: t.annotation for t in api.types if isinstance(t, TypeAliasDef)}
    for name in (
        "NotASchema",
        "AlsoNot",
        "WeirdType",
        "TypeList",
        "Dangling",
        "ExternalRef",
        "SelfRef",
    ):
        assert aliases[name] == "Any", name
    assert {aliases["PingA"], aliases["PingB"]} == {"PingB", "Any"}
    warnings = pointers(diagnostics, Level.WARNING)
    for name in ("NotASchema", "WeirdType/type", "Dangling", "ExternalRef", "SelfRef"):
        assert f"/components/schemas/{name}" in warnings, name
    assert "/components/schemas/BadProperties/properties/d/enum" in warnings
    assert "/servers/0" in warnings


def test_schema_that_includes_itself_via_all_of_keeps_its_own_properties(
    garbage: tuple[Api, list[Diagnostic]],
) -> None:
    api, diagnostics = garbage
    model = next(t for t in api.types if t.name == "SelfAllOf")
    assert isinstance(model, ModelDef)
    assert [f.wire_name for f in model.fields] == ["x"]
    assert "/components/schemas/SelfAllOf/allOf/0" in pointers(diagnostics, Level.WARNING)


def test_yaml_anchors_that_form_cycles() -> None:
    text = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: &list {type: array, items: *list}
components:
  schemas:
    Loop: &loop
      type: object
      properties:
        again: *loop
"""
    api, diagnostics = parse(yaml.safe_load(text))
    assert_consistent(api, diagnostics)
    loop = api.types[0]
    assert isinstance(loop, ModelDef)
    assert loop.fields[0].annotation == "Loop | None"
    assert api.services[0].operations[0].client_return == "list[Any]"


def test_very_deep_schema_is_an_error_not_a_crash() -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(sys.getrecursionlimit()):
        schema = {"type": "array", "items": schema}
    document = {
        "openapi": "3.0.3",
        "components": {"schemas": {"Deep": schema, "Fine": {"type": "integer"}}},
    }
    api, diagnostics = parse(document)
    assert [(t.name, getattr(t, "annotation", "")) for t in api.types] == [
        ("Deep", "Any"),
        ("Fine", "int"),
    ]
    assert any(
        d.level is Level.ERROR and d.pointer == "/components/schemas/Deep" for d in diagnostics
    )


def test_swagger_2_is_reported() -> None:
    _, diagnostics = parse({"swagger": "2.0", "paths": {}})
    assert any(d.level is Level.ERROR and d.pointer == "/swagger" for d in diagnostics)


# Documents made of OpenAPI-looking keys and arbitrary values.
_REFS = [
    "#/components/schemas/A",
    "#/components/schemas/B",
    "#/components/schemas/Nope",
    "#/components/parameters/P",
    "#/components/responses/R",
    "#",
    "elsewhere.yaml#/A",
]
_KEYS = [
    "type",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "const",
    "$ref",
    "nullable",
    "required",
    "additionalProperties",
    "format",
    "default",
    "pattern",
    "name",
    "in",
    "schema",
    "content",
    "responses",
    "parameters",
    "requestBody",
    "operationId",
    "tags",
    "application/json",
    "text/plain",
    "200",
    "default",
]
_WORDS = ["string", "integer", "object", "array", "null", "date-time", "binary", "query", "path"]
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(allow_nan=True),
    st.sampled_from([*_WORDS, "header", "(?=x)", "", "a b", *_REFS]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4),
    ),
    max_leaves=20,
)
_operation = st.dictionaries(
    st.sampled_from(["operationId", "tags", "parameters", "requestBody", "responses"]),
    _values,
    max_size=5,
)
_documents = st.fixed_dictionaries(
    {
        "openapi": st.sampled_from(["3.0.3", "3.1.0"]),
        "paths": st.dictionaries(
            st.sampled_from(["/a", "/b/{id}", "/c"]),
            st.one_of(
                _values, st.dictionaries(st.sampled_from(["get", "post", "parameters"]), _operation)
            ),
            max_size=3,
        ),
        "components": st.fixed_dictionaries(
            {
                "schemas": st.dictionaries(
                    st.sampled_from(["A", "B", "Any", "Client", "DefaultService"]), _values
                ),
                "parameters": st.dictionaries(st.just("P"), _values),
                "responses": st.dictionaries(st.just("R"), _values),
            }
        ),
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents)
def test_arbitrary_shapes_never_raise(document: dict[str, Any]) -> None:
    api, diagnostics = parse(document)
    assert_consistent(api, diagnostics)


def test_a_cause_met_again_is_kept_once_as_it_is_found() -> None:
    ctx = ParseContext(Resolver({}))
    for _ in range(3):
        ctx.warn("parameter 'q' has no schema; typed as Any", "/components/parameters/Q")
        ctx.error("parameters must be a list; ignored", "/paths/~1a/get/parameters")
    ctx.warn("parameter 'q' has no schema; typed as Any", "/components/parameters/R")
    assert [(d.level, d.pointer) for d in ctx.diagnostics] == [
        (Level.WARNING, "/components/parameters/Q"),
        (Level.ERROR, "/paths/~1a/get/parameters"),
        (Level.WARNING, "/components/parameters/R"),
    ]
