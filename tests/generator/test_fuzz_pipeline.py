"""Malformed and hostile documents, at random, through load -> validate -> parse -> render.

Whatever the document, the pipeline ends in one of two ways: diagnostics that fail the
run (an error, or a warning under --strict), or files that import. Never an exception.
The examples are derandomized, so a run of the suite is bounded and repeatable.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate
from specloom.write import write_tree

HUGE = "__HUGE_INTEGER__"
"""Stands for an integer too long for `json.dumps`; replaced in the text."""

_numbers = itertools.count()


def _strategies(hostile: bool) -> st.SearchStrategy[Any]:
    """Documents shaped like OpenAPI; `hostile` ones also hold values no stage can use."""
    plain_names = ["a", "id", "class", "None", "self", "model_config", "__init__", "1abc",
                   "a-b", "", "$ref", "x" * 80, "é", "'\"", "\\", "Pet", "pet", "PET",
                   "import os", "}}{{", "\"\"\""]  # fmt: skip
    names = st.sampled_from([*plain_names, "a\ud800b"] if hostile else plain_names)
    plain_scalars = [
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=8),
        names,
    ]
    scalars = st.one_of(*plain_scalars, st.just(HUGE)) if hostile else st.one_of(*plain_scalars)
    plain_refs = [
        "#/components/schemas/A",
        "#/components/schemas/A/properties/a",
        "#/components/schemas/A/allOf/0",
        "#/components/schemas/Missing",
    ]
    hostile_refs = [
        "",
        "#",
        "#/info",
        "#/paths",
        "#anchor",
        "other.yaml",
        "/etc/passwd",
        "../../outside.yaml",
        "file:///etc/passwd",
        "http://127.0.0.1:9/spec.yaml",
        "/dev/zero",
    ]
    refs = st.sampled_from([*plain_refs, *hostile_refs] if hostile else plain_refs)
    types = st.sampled_from(
        ["object", "array", "string", "integer", "number", "boolean", "null", "file", "Object"]
    )

    def schema_members(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(
            {},
            optional={
                "type": types | st.lists(types, max_size=3),
                "properties": st.dictionaries(names, children, max_size=3),
                "items": children,
                "allOf": st.lists(children, max_size=3),
                "oneOf": st.lists(children, max_size=3),
                "anyOf": st.lists(children, max_size=2),
                "enum": st.lists(scalars, max_size=3),
                "default": scalars,
                "example": scalars,
                "required": st.lists(names, max_size=3) | scalars,
                "additionalProperties": children,
                "nullable": st.booleans() | scalars,
                "format": st.sampled_from(["date-time", "uuid", "binary", "int64", "weird"]),
                "maximum": scalars,
                "minLength": scalars,
                "pattern": st.sampled_from(["^a$", "(", "\\", "[", "'''", '"""']),
                "description": st.text(max_size=20) | scalars,
                "discriminator": st.fixed_dictionaries(
                    {"propertyName": names},
                    optional={"mapping": st.dictionaries(names, refs | names, max_size=2)},
                ),
                "$ref": refs,
            },
        )

    schemas = st.recursive(
        st.fixed_dictionaries({"type": types})
        | st.fixed_dictionaries({"$ref": refs})
        | st.booleans(),
        schema_members,
        max_leaves=8,
    )
    parameters = st.fixed_dictionaries(
        {"name": names, "in": st.sampled_from(["query", "path", "header", "cookie", "body", 3])},
        optional={"schema": schemas, "required": scalars, "style": names, "$ref": refs},
    )
    media = st.dictionaries(
        st.sampled_from(["application/json", "text/plain", "multipart/form-data", "*/*", "bad"]),
        st.fixed_dictionaries({}, optional={"schema": schemas}),
        max_size=2,
    )
    responses = st.dictionaries(
        st.sampled_from(["200", "201", "204", "4XX", "default", "999", "abc"]),
        st.fixed_dictionaries({"description": scalars}, optional={"content": media, "$ref": refs}),
        max_size=3,
    )
    operations = st.fixed_dictionaries(
        {"responses": responses},
        optional={
            "operationId": names,
            "tags": st.lists(names, max_size=2),
            "parameters": st.lists(parameters, max_size=3),
            "requestBody": st.fixed_dictionaries({"content": media}, optional={"$ref": refs}),
            "summary": scalars,
        },
    )
    path_items = st.dictionaries(
        st.sampled_from(["get", "post", "delete", "parameters", "$ref", "summary"]),
        operations,
        max_size=3,
    )
    documents = st.fixed_dictionaries(
        {
            "openapi": st.sampled_from(["3.0.3", "3.1.0", "3.2.0", "2.0", "4.0"]) | scalars,
            "info": st.fixed_dictionaries({"title": scalars, "version": scalars}),
        },
        optional={
            "paths": st.dictionaries(
                st.sampled_from(["/a", "/a/{id}", "/{x}/{x}", "a", "/é/{ünï}", "/'\"\\"]),
                path_items,
                max_size=3,
            ),
            "components": st.fixed_dictionaries(
                {"schemas": st.dictionaries(names | st.just("A"), schemas, max_size=4)},
                optional={"parameters": st.dictionaries(names, parameters, max_size=2)},
            ),
            "servers": st.lists(st.fixed_dictionaries({"url": scalars}), max_size=2),
            "security": scalars,
        },
    )
    anything = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(names, c))
    return st.one_of(documents, documents, documents, documents, documents, anything)


DOCUMENTS = _strategies(hostile=False)
HOSTILE_DOCUMENTS = _strategies(hostile=True)


@st.composite
def spec_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(file suffix, text): mostly a plausible document; sometimes a hostile one, anything
    at all, or text cut short."""
    document = draw(
        st.sampled_from([DOCUMENTS, DOCUMENTS, DOCUMENTS, HOSTILE_DOCUMENTS]).flatmap(lambda s: s)
    )
    text = json.dumps(document, indent=draw(st.sampled_from([None, 2])))
    text = text.replace(json.dumps(HUGE), "9" * 5000)
    if draw(st.sampled_from([False, False, False, True])) and text:
        text = text[: draw(st.integers(0, len(text)))]
    return draw(st.sampled_from([".json", ".yaml"])), text


def _import_all(out: Path, package: str) -> None:
    sys.path.insert(0, str(out))
    try:
        importlib.import_module(package)
        for module in ("models", "client", "server"):
            if (out / package / f"{module}.py").exists():
                importlib.import_module(f"{package}.{module}")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=spec_texts(), skip_validation=st.booleans())
def test_any_document_gives_diagnostics_or_importable_code(
    tmp_path: Path, spec: tuple[str, str], skip_validation: bool
) -> None:
    suffix, text = spec
    number = next(_numbers)
    source = tmp_path / f"spec{number}{suffix}"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    package = f"fuzzed_{number}"
    result = generate(source, GenerateConfig(package_name=package), skip_validation=skip_validation)
    if result.files is None:
        assert any(d.level is Level.ERROR for d in result.diagnostics), result.diagnostics
        return
    out = tmp_path / f"out{number}"
    assert write_tree(out, result.files) == []
    _import_all(out, package)


@pytest.mark.parametrize("text", ["", "{", "[]", "null", "3", '"x"', "\x00", "openapi: [", "a: *b"])
def test_malformed_text_is_a_diagnostic(tmp_path: Path, text: str) -> None:
    source = tmp_path / "spec.yaml"
    source.write_text(text, encoding="utf-8")
    result = generate(source, GenerateConfig(package_name="never"))
    assert result.files is None
    assert any(d.level is Level.ERROR for d in result.diagnostics)
