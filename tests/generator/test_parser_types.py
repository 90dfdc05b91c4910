"""Schemas to IR types: mappings, combinators, nullability, enums, extras, recursion."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Annotated, Any

import pydantic
import pytest
import yaml

from specloom.diagnostics import Diagnostic, Level
from specloom.ir.model import Api, EnumDef, Field, ModelDef, References, TypeAliasDef, TypeDef
from specloom.parser import parse

FIXTURES = Path(__file__).parents[2] / "fixtures" / "parser"


@pytest.fixture(scope="module")
def parsed() -> tuple[Api, list[Diagnostic]]:
    return parse(yaml.safe_load((FIXTURES / "types.yaml").read_text()))


@pytest.fixture(scope="module")
def types(parsed: tuple[Api, list[Diagnostic]]) -> dict[str, TypeDef]:
    return {t.name: t for t in parsed[0].types}


def model(types: dict[str, TypeDef], name: str) -> ModelDef:
    definition = types[name]
    assert isinstance(definition, ModelDef)
    return definition


def fields(types: dict[str, TypeDef], name: str) -> dict[str, Field]:
    return {f.wire_name: f for f in model(types, name).fields}


def field_annotations(types: dict[str, TypeDef], name: str) -> dict[str, str]:
    return {wire: f.annotation for wire, f in fields(types, name).items()}


def alias(types: dict[str, TypeDef], name: str) -> str:
    definition = types[name]
    assert isinstance(definition, TypeAliasDef)
    return definition.annotation


def parse_schemas(schemas: dict[str, Any]) -> tuple[dict[str, TypeDef], list[Diagnostic]]:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": schemas}
    api, diagnostics = parse(document)
    return {t.name: t for t in api.types}, diagnostics


def test_scalar_and_container_mappings(types: dict[str, TypeDef]) -> None:
    assert field_annotations(types, "Scalars") == {
        "text": "str",
        "count": "int",
        "ratio": "float | None",
        "flag": "bool | None",
        "when": "datetime.datetime | None",
        "day": "datetime.date | None",
        "key": "uuid.UUID | None",
        "encoded": "str | None",
        "raw": "FileContent | None",  # bytes, or a received file
        "email": "str | None",
        "anything": "Any | None",
        "nothing": "None",
        "tags": "list[str] | None",
        "loose": "list[Any] | None",
        "counts": "dict[str, int] | None",
        "free": "dict[str, Any] | None",
    }


def test_model_references_list_the_modules_and_typing_names_used(
    types: dict[str, TypeDef],
) -> None:
    assert model(types, "Scalars").references == References(
        types=("FileContent",), modules=("datetime", "uuid"), typing=("Any",)
    )
    assert model(types, "Paint").references.types == ("Level", "MaybeShade", "PaintShade", "Shade")


def test_required_fields_come_first_in_spec_order(types: dict[str, TypeDef]) -> None:
    names = [f.wire_name for f in model(types, "Derived").fields]
    assert names == ["id", "extra", "name"]


def test_nullable_and_optional_are_kept_apart(types: dict[str, TypeDef]) -> None:
    nullables = fields(types, "Nullables")
    summary = {w: (f.annotation, f.required, f.nullable) for w, f in nullables.items()}
    assert summary == {
        "legacy": ("str | None", True, True),
        "modern": ("int | None", True, True),
        "union": ("Scalars | None", True, True),
        "required_nullable": ("str | None", True, True),
        "optional_plain": ("str | None", False, False),
    }
    assert all(f.default is None for f in nullables.values())


def test_string_enum_becomes_an_enum_class_with_unique_member_names(
    types: dict[str, TypeDef],
) -> None:
    shade = types["Shade"]
    assert isinstance(shade, EnumDef)
    assert (shade.base, shade.description) == ("str", "A colour.")
    members = [(m.python_name, m.value) for m in shade.members]
    assert members == [
        ("LIGHT_BLUE", '"light-blue"'),
        ("DARK_BLUE", '"dark blue"'),
        ("EMPTY", '""'),
        ("_1", '"1"'),
        ("LIGHT_BLUE_2", '"light_blue"'),
    ]


def test_integer_enum_has_an_int_base(types: dict[str, TypeDef]) -> None:
    level = types["Level"]
    assert isinstance(level, EnumDef)
    assert level.base == "int"
    assert [(m.python_name, m.value) for m in level.members] == [
        ("_1", "1"),
        ("_2", "2"),
        ("MINUS_1", "-1"),
    ]


def test_mixed_enum_becomes_a_literal(types: dict[str, TypeDef]) -> None:
    assert alias(types, "Mixed") == 'Literal["on", 1, True]'
    mixed = types["Mixed"]
    assert isinstance(mixed, TypeAliasDef)
    assert mixed.references.typing == ("Literal",)


def test_enum_with_null_is_nullable_where_used(types: dict[str, TypeDef]) -> None:
    maybe = types["MaybeShade"]
    assert isinstance(maybe, EnumDef)
    assert [m.value for m in maybe.members] == ['"red"', '"green"']
    assert fields(types, "Paint")["maybe"].nullable


def test_inline_enum_is_named_after_model_and_field_with_member_default(
    types: dict[str, TypeDef],
) -> None:
    paint = fields(types, "Paint")
    assert isinstance(types["PaintShade"], EnumDef)
    assert (paint["shade"].annotation, paint["shade"].default) == (
        "PaintShade | None",
        "PaintShade.GLOSS",
    )
    assert paint["level"].default == "Level._2"


def test_single_ref_all_of_is_the_referenced_type_with_its_own_description(
    types: dict[str, TypeDef],
) -> None:
    colour = fields(types, "Paint")["colour"]
    assert colour.annotation == "Shade | None"
    assert colour.description == "The colour of the paint."


def test_all_of_is_flattened_into_one_model_with_later_parts_winning(
    types: dict[str, TypeDef],
) -> None:
    derived = fields(types, "Derived")
    assert {w: (f.annotation, f.required) for w, f in derived.items()} == {
        "id": ("int", True),
        "extra": ("bool", True),
        "name": ("str | None", False),
    }
    assert derived["name"].description == "Derived name."
    assert model(types, "Derived").description == "A base with more."


def test_one_of_and_any_of_become_deduplicated_unions(types: dict[str, TypeDef]) -> None:
    assert alias(types, "Choice") == "Base | Derived"
    assert alias(types, "Either") == "str | int | None"


def test_additional_properties(types: dict[str, TypeDef]) -> None:
    extras = {
        n: (model(types, n).extra, model(types, n).extra_annotation)
        for n in ("Open", "OpenAny", "Closed", "Scalars")
    }
    assert extras == {
        "Open": ("allow", "int"),
        "OpenAny": ("allow", "Any"),
        "Closed": ("forbid", None),
        "Scalars": ("ignore", None),
    }
    assert alias(types, "Counts") == "dict[str, int]"


def test_recursive_models_refer_to_themselves(types: dict[str, TypeDef]) -> None:
    assert field_annotations(types, "Node") == {
        "children": "list[Node] | None",
        "parent": "Node | None",
    }


def test_alias_comes_after_the_model_it_names(parsed: tuple[Api, list[Diagnostic]]) -> None:
    order = [t.name for t in parsed[0].types]
    assert order.index("Tree") < order.index("Forest")
    assert alias({t.name: t for t in parsed[0].types}, "Forest") == "list[Tree]"


def test_enum_used_in_a_default_comes_before_the_model(
    parsed: tuple[Api, list[Diagnostic]],
) -> None:
    order = [t.name for t in parsed[0].types]
    assert order.index("Level") < order.index("Paint")
    assert order.index("PaintShade") < order.index("Paint")


def test_alias_cycle_degrades_to_any_with_a_warning(parsed: tuple[Api, list[Diagnostic]]) -> None:
    api, diagnostics = parsed
    assert alias({t.name: t for t in api.types}, "Loop") == "Any"
    assert any(
        d.pointer == "/components/schemas/Loop" and d.level is Level.WARNING for d in diagnostics
    )


def test_inline_objects_become_models_named_after_their_place(types: dict[str, TypeDef]) -> None:
    assert field_annotations(types, "Owner") == {
        "address": "OwnerAddress | None",
        "pets": "list[OwnerPetsItem] | None",
    }
    assert field_annotations(types, "OwnerAddress") == {"city": "str"}
    assert model(types, "OwnerAddress").pointer == "/components/schemas/Owner/properties/address"


def test_patterns_and_limits(
    parsed: tuple[Api, list[Diagnostic]], types: dict[str, TypeDef]
) -> None:
    limits = fields(types, "Limits")
    assert limits["code"].pattern == "^[A-Z]{3}$"
    assert limits["code"].constraints == (("min_length", "3"), ("max_length", "3"))
    assert limits["percent"].constraints == (("ge", "0"), ("lt", "100"))
    assert limits["positive"].constraints == (("gt", "0"),)
    assert limits["items"].constraints == (("min_length", "1"),)
    assert limits["lookahead"].pattern is None
    warned = {d.pointer for d in parsed[1] if d.level is Level.WARNING}
    assert "/components/schemas/Limits/properties/lookahead/pattern" in warned


def test_invalid_pattern_is_dropped_with_a_warning() -> None:
    types, diagnostics = parse_schemas(
        {"P": {"type": "object", "properties": {"p": {"type": "string", "pattern": "[unclosed"}}}}
    )
    assert fields(types, "P")["p"].pattern is None
    assert [d.pointer for d in diagnostics] == ["/components/schemas/P/properties/p/pattern"]


def test_openapi_3_0_exclusive_bounds_are_flags() -> None:
    types, _ = parse_schemas(
        {
            "N": {
                "type": "object",
                "properties": {
                    "n": {"type": "integer", "minimum": 1, "exclusiveMinimum": True, "maximum": 9}
                },
            }
        }
    )
    assert fields(types, "N")["n"].constraints == (("gt", "1"), ("le", "9"))


def test_limits_are_emitted_as_values_pydantic_accepts() -> None:
    whole = {"type": "integer", "minimum": 0.5, "exclusiveMaximum": 9.5, "multipleOf": 1.5}
    ratio = {"type": "number", "minimum": 0.5, "multipleOf": 1.5}
    vast = {"type": "number", "minimum": 1.5, "maximum": 10**400}
    text = {"type": "string", "minLength": 1, "maxLength": 10**20}
    properties = {"whole": whole, "ratio": ratio, "vast": vast, "text": text}
    types, _ = parse_schemas({"N": {"type": "object", "properties": properties}})
    limits = fields(types, "N")
    # An integer's fractional limits become the integers they allow.
    assert limits["whole"].constraints == (("ge", "1"), ("le", "9"), ("multiple_of", "3"))
    assert limits["ratio"].constraints == (("ge", "0.5"), ("multiple_of", "1.5"))
    # Limits beyond what a float or a length can be limit nothing and are left out.
    assert limits["vast"].constraints == (("ge", "1.5"),)
    assert limits["text"].constraints == (("min_length", "1"),)
    arguments = {name: ast.literal_eval(value) for name, value in limits["whole"].constraints}
    adapter = pydantic.TypeAdapter(Annotated[int, pydantic.Field(**arguments)])
    assert [adapter.validate_python(n) for n in (3, 6, 9)] == [3, 6, 9]
    for outside in (0, 4, 12):
        with pytest.raises(pydantic.ValidationError):
            adapter.validate_python(outside)


def test_default_that_does_not_fit_the_annotation_is_dropped(
    parsed: tuple[Api, list[Diagnostic]], types: dict[str, TypeDef]
) -> None:
    assert fields(types, "Limits")["when"].default is None
    assert "/components/schemas/Limits/properties/when/default" in {d.pointer for d in parsed[1]}


def test_flags_and_description_fallback_to_title(types: dict[str, TypeDef]) -> None:
    # The response shape leaves the write-only `secret` out, the request shape the read-only
    # `id` (parser/shapes.py).
    flags, request_flags = fields(types, "Flags"), fields(types, "FlagsRequest")
    assert (flags["id"].read_only, request_flags["secret"].write_only) == (True, True)
    assert (flags["old"].deprecated, request_flags["old"].deprecated) == (True, True)
    assert ("secret" in flags, "id" in request_flags) == (False, False)
    assert flags["old"].description == "Old value"


def test_fixture_parses_without_errors(parsed: tuple[Api, list[Diagnostic]]) -> None:
    assert [d for d in parsed[1] if d.level is Level.ERROR] == []


def test_defaults_become_python_literals() -> None:
    types, diagnostics = parse_schemas(
        {
            "D": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "default": 'say "hi"\n'},
                    "number": {"type": "number", "default": 1},
                    "flag": {"type": "boolean", "default": False},
                    "tags": {"type": "array", "items": {"type": "string"}, "default": ["a"]},
                    "wrong": {"type": "integer", "default": "seven"},
                    "missing": {"type": "string", "enum": ["a"], "default": "b"},
                },
            }
        }
    )
    defaults = {f.wire_name: f.default for f in model(types, "D").fields}
    assert defaults == {
        "text": "'say \"hi\"\\n'",
        "number": "1",
        "flag": "False",
        "tags": '["a"]',
        "wrong": None,
        "missing": None,
    }
    assert len(diagnostics) == 2


def test_type_list_with_several_types_is_a_union() -> None:
    types, _ = parse_schemas({"Multi": {"type": ["string", "integer", "null"]}})
    assert alias(types, "Multi") == "str | int | None"


def test_nullable_component_model_is_nullable_where_referenced() -> None:
    types, _ = parse_schemas(
        {
            "Maybe": {"type": "object", "nullable": True, "properties": {"a": {"type": "string"}}},
            "Holder": {
                "type": "object",
                "required": ["m"],
                "properties": {"m": {"$ref": "#/components/schemas/Maybe"}},
            },
        }
    )
    held = fields(types, "Holder")["m"]
    assert (held.annotation, held.required, held.nullable) == ("Maybe | None", True, True)


def test_ref_into_a_component_is_inlined_not_named() -> None:
    types, _ = parse_schemas(
        {
            "Pet": {"type": "object", "properties": {"name": {"type": "string", "format": "uuid"}}},
            "Tag": {"$ref": "#/components/schemas/Pet/properties/name"},
        }
    )
    assert alias(types, "Tag") == "uuid.UUID"


def test_const_is_a_literal() -> None:
    types, _ = parse_schemas({"Kind": {"const": "dog"}})
    assert alias(types, "Kind") == 'Literal["dog"]'


def test_one_of_used_only_to_constrain_properties_keeps_the_model() -> None:
    types, _ = parse_schemas(
        {
            "Either": {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            }
        }
    )
    assert isinstance(types["Either"], ModelDef)


def test_inline_union_members_are_named_options() -> None:
    types, _ = parse_schemas(
        {
            "Shape": {
                "oneOf": [
                    {"type": "object", "properties": {"r": {"type": "number"}}},
                    {"type": "string"},
                ]
            }
        }
    )
    assert alias(types, "Shape") == "ShapeOption1 | str"
    assert field_annotations(types, "ShapeOption1") == {"r": "float | None"}
