"""The corpus round-trip harness (scripts/round_trip.py) stays runnable: it serves a small
spec with stubs, calls every operation through the generated client, and the data it
builds is valid for the schemas it was built from."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PETSTORE = ROOT / "fixtures/petstore/petstore.yaml"


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("round_trip", ROOT / "scripts/round_trip.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["round_trip"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


harness = _harness()


def _one(spec: Path) -> dict[str, Any]:
    """The harness's outcome for one spec, run as `--one` runs it."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts/round_trip.py"), "--one", str(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    outcome: dict[str, Any] = json.loads(completed.stdout.splitlines()[-1])
    return outcome


def test_every_petstore_operation_round_trips() -> None:
    outcome = _one(PETSTORE)
    assert outcome["generated"]
    assert outcome["reason"] == ""
    results = {o["operation"]: (o["ok"], o["reason"], o["detail"]) for o in outcome["operations"]}
    assert set(results) == {
        "get_health",
        "list_pets",
        "create_pet",
        "get_pet",
        "update_pet",
        "delete_pet",
        "get_inventory",
        "place_order",
    }
    assert all(ok for ok, _, _ in results.values()), results


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Base": {
                "type": "object",
                "required": ["kind", "id"],
                "properties": {
                    "kind": {"type": "string"},
                    "id": {"type": "integer", "readOnly": True},
                    "secret": {"type": "string", "writeOnly": True},
                },
            },
            "Dog": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "required": ["bark"],
                        "properties": {"bark": {"type": "string", "pattern": "^w[o]{2,3}f$"}},
                    },
                ]
            },
            "Cat": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {"lives": {"type": "integer"}}},
                ]
            },
            "Pet": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {
                        "cat": "#/components/schemas/Cat",
                        "dog": "#/components/schemas/Dog",
                    },
                },
            },
            "Limits": {
                "type": "object",
                "required": ["count", "ratio", "code", "when"],
                "properties": {
                    "count": {"type": "integer", "minimum": 10, "exclusiveMinimum": True},
                    "ratio": {"type": "number", "maximum": 0.25, "multipleOf": 0.05},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$", "maxLength": 8},
                    "when": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "minItems": 2, "items": {"type": "string"}},
                },
            },
        }
    },
}


@pytest.mark.parametrize("name", ["Base", "Dog", "Cat", "Pet", "Limits"])
@pytest.mark.parametrize("writing", [True, False])
def test_built_data_is_valid_for_its_schema(name: str, writing: bool) -> None:
    builder = harness.Builder(DOCUMENT, writing=writing)
    schema = {"$ref": f"#/components/schemas/{name}"}
    value = builder.build(schema)
    assert builder.checker.errors(value, schema) == []


def test_requests_leave_read_only_properties_out_and_responses_write_only_ones() -> None:
    schema = {"$ref": "#/components/schemas/Base"}
    request = harness.Builder(DOCUMENT, writing=True).build(schema)
    response = harness.Builder(DOCUMENT, writing=False).build(schema)
    assert "id" not in request
    assert "secret" in request
    assert "id" in response
    assert "secret" not in response


def test_a_discriminated_branch_carries_its_mapped_tag() -> None:
    value = harness.Builder(DOCUMENT, writing=True).build({"$ref": "#/components/schemas/Pet"})
    assert value["kind"] == "cat"


def test_the_checker_rejects_what_the_schema_rejects() -> None:
    checker = harness.Checker(DOCUMENT, writing=False)
    schema = {"$ref": "#/components/schemas/Limits"}
    valid = {"count": 11, "ratio": 0.2, "code": "ABC-1234", "when": "2024-01-02T03:04:05Z"}
    assert checker.errors(valid, schema) == []
    assert checker.errors({**valid, "count": 10}, schema) != []
    assert checker.errors({**valid, "code": "abc-1234"}, schema) != []


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    for name in ("b/petstore.yaml", "a/no_content.yaml", "c/any_media.yaml"):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
    (corpus / "b/petstore.yaml").write_bytes(PETSTORE.read_bytes())
    fixtures = ROOT / "fixtures/round_trip"
    (corpus / "a/no_content.yaml").write_bytes(
        (fixtures / "no_content_with_body.yaml").read_bytes()
    )
    (corpus / "c/any_media.yaml").write_bytes((fixtures / "any_media_type.yaml").read_bytes())
    return corpus


def test_listed_specs_run_side_by_side_and_are_reported_in_the_listed_order(
    tmp_path: Path,
) -> None:
    corpus = _corpus(tmp_path)
    listing = tmp_path / "specs.txt"
    listing.write_text("# the slow one first\nb/petstore.yaml\n\nc/any_media.yaml\n")
    out = tmp_path / "outcomes.json"
    command = [sys.executable, str(ROOT / "scripts/round_trip.py"), str(corpus)]
    options = ["--specs", str(listing), "--spec", "a/no_content.yaml", "--workers", "3"]
    completed = subprocess.run(
        [*command, *options, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    outcomes = json.loads(out.read_text())
    expected = ["a/no_content.yaml", "b/petstore.yaml", "c/any_media.yaml"]
    assert [o["spec"] for o in outcomes] == expected
    assert all(o["generated"] and o["operations"] for o in outcomes)
    assert "specs: 3, served and called: 3" in completed.stdout
    per_spec = completed.stdout.split("per spec")[1]
    assert [line.split()[3] for line in per_spec.splitlines()[1:4]] == expected


def test_a_listed_spec_that_does_not_exist_is_named_not_run(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts/round_trip.py"), str(corpus), "--spec", "x.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "no such spec" in completed.stderr
    assert "x.yaml" in completed.stderr


def test_workers_must_be_positive() -> None:
    with pytest.raises(SystemExit):
        harness.main(["corpus", "--workers", "0"])


@pytest.mark.parametrize(
    "name",
    [
        "no_content_with_body",
        "any_media_type",
        "object_schema_on_bytes",
        "empty_multipart_schema",
        "no_success_declared",
        "harness_gaps",
        "scalar_union_params",
        "ref_named_property",
        "empty_query_object",
        "with_callbacks",
        "typed_path_overlap",
        "xml_object_attribute",
        "adjacent_path_variables",
        "stripe_form_and_deep_objects",
    ],
)
def test_every_operation_of_a_fixed_class_round_trips(name: str) -> None:
    outcome = _one(ROOT / "fixtures/round_trip" / f"{name}.yaml")
    assert outcome["operations"]
    assert [o for o in outcome["operations"] if not o["ok"]] == []


def test_query_strings_in_path_keys_round_trip() -> None:
    # Declared `in: query`, declared `in: path` (weatherbit), and not declared at all: the
    # harness finds each parameter the generator made of a `name={variable}` term.
    outcome = _one(ROOT / "fixtures/coverage/query_in_path_keys.yaml")
    assert len(outcome["operations"]) == 3
    assert [o for o in outcome["operations"] if not o["ok"]] == []


ECMA_NAME = r"^[\p{L}_][\p{L}\p{N}@$#_]+$"


def test_an_ecma_property_class_is_narrowed_to_ascii_for_python() -> None:
    assert harness.python_subset(ECMA_NAME) == "^[a-zA-Z_][a-zA-Z0-9@$#_]+$"
    assert harness.python_subset(r"\p{L}+") == "[a-zA-Z]+"
    # Narrowing inside a negated set, or a negated class, would widen the matches.
    assert harness.python_subset(r"[^\p{L}]") is None
    assert harness.python_subset(r"\P{L}") is None
    assert harness.python_subset(r"\p{Han}") is None


def test_the_checker_reads_ecma_property_classes() -> None:
    checker = harness.Checker(DOCUMENT, writing=True)
    schema = {"type": "string", "pattern": ECMA_NAME}
    assert checker.errors("Zürich_1", schema) == []
    assert checker.errors("1st", schema) != []
    value = harness.Builder(DOCUMENT, writing=True).build(schema)
    assert checker.errors(value, schema) == []


def test_an_all_of_that_no_value_satisfies_is_left_out_when_optional() -> None:
    document = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "Currency": {"type": "string", "examples": ["GBP"]},
                "Bill": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "currency": {
                            "allOf": [{"$ref": "#/components/schemas/Currency"}, {"type": "null"}]
                        },
                        "note": {"allOf": [{"type": ["string", "null"]}, {"type": "null"}]},
                    },
                },
            }
        },
    }
    builder = harness.Builder(document, writing=True)
    schema = {"$ref": "#/components/schemas/Bill"}
    value = builder.build(schema)
    assert value == {"id": "text", "note": None}
    assert builder.checker.errors(value, schema) == []


def test_the_harness_reads_a_delimited_pattern_as_the_generated_code_does() -> None:
    checker = harness.Checker(DOCUMENT, writing=True)
    schema = {"type": "string", "pattern": "/^SAP[0-9]{9}$/i"}
    value = harness.Builder(DOCUMENT, writing=True).build(schema)
    assert checker.errors(value, schema) == []
    assert checker.errors("sap123456789", schema) == []
    assert checker.errors("/^SAP123456789$/i", schema) != []
    # One that matches as written is searched as written.
    assert checker.errors("x/ab/i", {"type": "string", "pattern": "/ab/i"}) == []


def test_read_only_speaks_of_properties_only() -> None:
    # osf.io: a writable array property whose items are marked readOnly.
    schema = {
        "type": "object",
        "properties": {
            "holders": {"type": "array", "items": {"type": "string", "readOnly": True}},
            "id": {"type": "string", "readOnly": True},
            "base": {"$ref": "#/components/schemas/ReadOnlyName"},
        },
    }
    document = {
        **DOCUMENT,
        "components": {"schemas": {"ReadOnlyName": {"type": "string", "readOnly": True}}},
    }
    writing = harness.Checker(document, writing=True)
    assert writing.errors({"holders": ["Ann"]}, schema) == []
    assert writing.errors({"id": "x"}, schema) == ["readOnly property 'id' is present"]
    assert writing.errors({"base": "x"}, schema) == ["readOnly property 'base' is present"]
    assert harness.Checker(document, writing=False).errors({"id": "x", "base": "x"}, schema) == []


def test_a_pattern_no_engine_compiles_is_not_enforced_as_in_the_generated_code() -> None:
    # opsworkscm's NodeName: `\p{Alnum}` is Java's class, unknown to ECMA-262; the
    # generator warns and does not enforce it.
    schema = {"type": "string", "pattern": r"^[\-\p{Alnum}_:.]+$", "maxLength": 10000}
    value = harness.Builder(DOCUMENT, writing=True).build(schema)
    assert harness.Checker(DOCUMENT, writing=True).errors(value, schema) == []
    assert harness.as_generated(r"^[\-\p{Alnum}_:.]+$") is None
    assert harness.as_generated(ECMA_NAME) == ECMA_NAME


def test_a_repeated_class_meets_tight_length_limits() -> None:
    # github's code-scanning-analysis-commit-sha: hypothesis rarely draws 40 characters.
    schema = {"type": "string", "pattern": "^[0-9a-fA-F]+$", "minLength": 40, "maxLength": 40}
    value = harness.Builder(DOCUMENT, writing=True).build(schema)
    assert len(value) == 40
    assert harness.Checker(DOCUMENT, writing=True).errors(value, schema) == []
    assert harness._repeated_class("^[a-z]+$", 5, 4) is None
    assert harness._repeated_class("^(ab)+$", 4, None) is None


def test_only_an_optional_exploded_query_object_sent_empty_may_arrive_absent() -> None:
    from specloom_runtime.operation import ParamSpec

    optional = ParamSpec("vat_detail", "vat_detail", "query", dict[str, Any])
    assert harness._empty_exploded_object(optional, "{}", None)
    assert not harness._empty_exploded_object(optional, '{"a":1}', None)
    assert not harness._empty_exploded_object(optional, "{}", {"a": 1})
    required = ParamSpec("vat_detail", "vat_detail", "query", dict[str, Any], required=True)
    assert not harness._empty_exploded_object(required, "{}", None)
    unexploded = ParamSpec("vat_detail", "vat_detail", "query", dict[str, Any], explode=False)
    assert not harness._empty_exploded_object(unexploded, "{}", None)
    # deepObject has the same limit (docs/generated-code.md): contentgroove's `filter={}`.
    deep = ParamSpec("vat_detail", "vat_detail", "query", dict[str, Any], style="deepObject")
    assert harness._empty_exploded_object(deep, "{}", None)
    assert not harness._empty_exploded_object(deep, "{}", {"a": 1})
    required_deep = ParamSpec(
        "vat_detail", "vat_detail", "query", dict[str, Any], required=True, style="deepObject"
    )
    assert not harness._empty_exploded_object(required_deep, "{}", None)


def test_a_member_of_a_discriminated_base_built_alone_carries_its_own_tag() -> None:
    # The generated member model types its tag as a `Literal` of the tags selecting it.
    base = {
        "type": "object",
        "discriminator": {"propertyName": "type", "mapping": {"mapped": "#/components/schemas/M"}},
        "properties": {"type": {"type": "string"}},
        "required": ["type"],
    }
    member = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"n": {}}}]}
    unmapped = {"allOf": [{"$ref": "#/components/schemas/Base"}]}
    document = {"components": {"schemas": {"Base": base, "M": member, "Other": unmapped}}}
    builder = harness.Builder(document, writing=True)
    assert builder.build({"$ref": "#/components/schemas/M"})["type"] == "mapped"
    assert builder.build({"$ref": "#/components/schemas/Other"})["type"] == "Other"


def test_a_class_deeper_in_a_discriminated_hierarchy_carries_its_own_tag() -> None:
    # bitbucket's `commit` extends `base_commit`, which extends the discriminated `object`;
    # Azure's tag enums list every class's tag; a one-value enum is the class's own tag.
    base = {
        "type": "object",
        "discriminator": {"propertyName": "type"},
        "properties": {"type": {"type": "string", "enum": ["base_commit", "commit", "view"]}},
    }
    middle = {"allOf": [{"$ref": "#/components/schemas/object"}, {"properties": {"h": {}}}]}
    leaf = {"allOf": [{"$ref": "#/components/schemas/base_commit"}, {"properties": {"n": {}}}]}
    view = {
        "allOf": [
            {"$ref": "#/components/schemas/object"},
            {"properties": {"type": {"type": "string", "enum": ["view"]}}},
        ]
    }
    schemas = {"object": base, "base_commit": middle, "commit": leaf, "View": view}
    builder = harness.Builder({"components": {"schemas": schemas}}, writing=True)
    assert builder.build({"$ref": "#/components/schemas/commit"})["type"] == "commit"
    assert builder.build({"$ref": "#/components/schemas/base_commit"})["type"] == "base_commit"
    assert builder.build({"$ref": "#/components/schemas/View"})["type"] == "view"


def test_a_tag_no_declaration_in_the_hierarchy_allows_is_not_given() -> None:
    # flat.io: `type` is an account type (user, guest) declared on the root; the classes
    # two levels down keep the value built from it.
    base = {
        "type": "object",
        "discriminator": {"propertyName": "type"},
        "properties": {"type": {"type": "string", "enum": ["user", "guest"]}},
        "required": ["type"],
    }
    middle = {"allOf": [{"$ref": "#/components/schemas/UserBasics"}, {"properties": {"a": {}}}]}
    leaf = {"allOf": [{"$ref": "#/components/schemas/UserSummary"}, {"properties": {"b": {}}}]}
    schemas = {"UserBasics": base, "UserSummary": middle, "User": leaf}
    builder = harness.Builder({"components": {"schemas": schemas}}, writing=True)
    assert builder.build({"$ref": "#/components/schemas/User"})["type"] == "user"


def test_a_read_only_tag_property_is_built_into_requests() -> None:
    # Azure migrateprojects: `instanceType` is readOnly, yet the generated request union
    # needs it (the tag travels both ways).
    base = {
        "type": "object",
        "discriminator": {"propertyName": "instanceType"},
        "properties": {"instanceType": {"type": "string", "readOnly": True}},
    }
    servers = {
        "allOf": [{"$ref": "#/components/schemas/Summary"}],
        "x-ms-discriminator-value": "Servers",
        "properties": {"count": {"type": "integer"}},
    }
    document = {"components": {"schemas": {"Summary": base, "Servers": servers}}}
    builder = harness.Builder(document, writing=True)
    assert builder.build({"$ref": "#/components/schemas/Summary"})["instanceType"] == "Servers"


def test_bodies_alike_at_first_say_where_they_part() -> None:
    sent = '{"a": "' + "x" * 200 + '", "data": "dGV4dA=="}'
    seen = '{"a": "' + "x" * 200 + '", "data": "dGV4dA"}'
    detail = harness._first_difference(sent, seen)
    assert "from character 225" in detail
    assert "sent ..." in detail
    assert 'dGV4dA=="}' in detail
    assert harness._first_difference("ab", "ac") == ""
