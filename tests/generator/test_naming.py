"""Python names from spec strings: valid, reserved-word free, unique, deterministic."""

from __future__ import annotations

import builtins
import keyword

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.naming import (
    ANNOTATION_NAMES,
    PYDANTIC_MODEL_ATTRIBUTES,
    SOFT_KEYWORDS,
    Scope,
    enum_member_name,
    field_name,
    field_scope,
    method_scope,
    operation_name,
    parameter_scope,
    pascal_case,
    service_attribute,
    snake_case,
    type_scope,
    upper_snake,
    words,
)

CASE_FUNCTIONS = (snake_case, pascal_case, upper_snake)

# Spec-like text: identifiers with punctuation, digits, unicode, keywords, blanks.
spec_text = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[A-Za-z0-9_\-. /{}$]{0,20}", fullmatch=True),
    st.sampled_from(sorted(keyword.kwlist) + sorted(SOFT_KEYWORDS) + ["", "__", "1", "é", "☃"]),
)


def is_valid_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name not in SOFT_KEYWORDS


@pytest.mark.parametrize(
    ("text", "snake", "pascal", "upper"),
    [
        ("petId", "pet_id", "PetId", "PET_ID"),
        ("X-Request-Id", "x_request_id", "XRequestId", "X_REQUEST_ID"),
        ("ship-date", "ship_date", "ShipDate", "SHIP_DATE"),
        ("HTTPError", "http_error", "HTTPError", "HTTP_ERROR"),
        ("pet.name", "pet_name", "PetName", "PET_NAME"),
        ("dark blue", "dark_blue", "DarkBlue", "DARK_BLUE"),
        ("café crème", "cafe_creme", "CafeCreme", "CAFE_CREME"),
        ("oauth2Token", "oauth2_token", "Oauth2Token", "OAUTH2_TOKEN"),
        ("Sha256sum", "sha256_sum", "Sha256sum", "SHA256_SUM"),
        ("1st", "_1st", "_1St", "_1ST"),
        ("class", "class_", "Class", "CLASS"),
        ("none", "none", "None_", "NONE"),
        ("match", "match_", "Match", "MATCH"),
        ("type", "type_", "Type", "TYPE"),
        ("", "value", "Model", "VALUE"),
        ("宠物", "value", "Model", "VALUE"),
        ("__v", "v", "V", "V"),
    ],
)
def test_case_styles(text: str, snake: str, pascal: str, upper: str) -> None:
    assert (snake_case(text), pascal_case(text), upper_snake(text)) == (snake, pascal, upper)


def test_words_split_at_case_changes_and_punctuation() -> None:
    assert words("HTTPServer2Go") == ("HTTP", "Server2", "Go")
    assert words("get /pets/{petId}") == ("get", "pets", "pet", "Id")


@given(spec_text)
def test_every_case_style_yields_a_usable_identifier(text: str) -> None:
    for function in CASE_FUNCTIONS:
        name = function(text)
        assert is_valid_name(name), (function.__name__, text, name)
        assert name == function(text)


@given(spec_text)
def test_snake_and_pascal_case_are_stable_when_reapplied(text: str) -> None:
    assert snake_case(snake_case(text)) == snake_case(text)
    assert pascal_case(pascal_case(text)) == pascal_case(text)


@given(st.lists(spec_text, max_size=20))
def test_scope_names_are_unique_valid_and_deterministic(texts: list[str]) -> None:
    def claim_all() -> list[str]:
        scope = Scope({"reserved"})
        return [scope.claim(snake_case(t)) for t in texts]

    names = claim_all()
    assert len(set(names)) == len(names)
    assert "reserved" not in names
    assert all(is_valid_name(n) for n in names)
    assert names == claim_all()


def test_scope_suffixes_taken_names_in_claim_order() -> None:
    scope = Scope()
    assert [scope.claim("pet") for _ in range(3)] == ["pet", "pet_2", "pet_3"]
    pascal = Scope(separator="")
    assert [pascal.claim("Pet"), pascal.claim("Pet")] == ["Pet", "Pet2"]


@given(st.lists(spec_text, max_size=20), st.sets(st.sampled_from(["Pet", "Order", "Node"])))
def test_field_names_never_shadow_pydantic_or_annotation_names(
    wire_names: list[str], type_names: set[str]
) -> None:
    scope = field_scope(type_names)
    names = [field_name(wire, scope) for wire in wire_names]
    assert len(set(names)) == len(names)
    for name in names:
        assert is_valid_name(name)
        assert not name.startswith("_")
        assert not hasattr(pydantic.BaseModel, name)
        assert name not in ANNOTATION_NAMES | type_names


def test_field_names_escape_reserved_words_with_a_trailing_underscore() -> None:
    scope = field_scope({"Pet"})
    wire = ["json", "json_", "class", "_id", "9lives", "model_config", "str", "datetime"]
    assert [field_name(w, scope) for w in wire] == [
        "json_",
        "json_2",
        "class_",
        "id",
        "field_9lives",
        "model_config_",
        "str_",
        "datetime_",
    ]


def test_field_names_avoid_pydantic_protected_namespaces() -> None:
    assert field_name("model_dump_extra", field_scope()) == "field_model_dump_extra"


def test_reserved_pydantic_attributes_cover_the_installed_base_model() -> None:
    attributes = dir(pydantic.BaseModel) + dir(type(pydantic.BaseModel))
    assert {name for name in attributes if not name.startswith("_")} <= PYDANTIC_MODEL_ATTRIBUTES


def test_type_names_never_shadow_a_builtin_class() -> None:
    scope = type_scope()
    for name in (n for n in dir(builtins) if n[:1].isupper()):
        claimed = scope.claim(pascal_case(name))
        assert not hasattr(builtins, claimed), claimed
    assert type_scope().claim("ValueError") == "ValueErrorModel"


def test_parameter_names_avoid_self_body_and_annotation_builtins() -> None:
    scope = parameter_scope()
    claimed = [scope.claim(snake_case(w)) for w in ["self", "body", "list", "limit", "from"]]
    assert claimed == ["self_", "body_", "list_", "limit", "from_"]


def test_method_names_do_not_clash_with_with_response_variants() -> None:
    scope = method_scope()
    claimed = [scope.claim(n) for n in ["foo_with_response", "foo", "bar", "bar_with_response"]]
    assert claimed == ["foo_with_response", "foo_2", "bar", "bar_with_response_2"]


def test_method_names_avoid_builtins_and_the_operations_attribute() -> None:
    scope = method_scope()
    assert [scope.claim("list"), scope.claim("operations")] == ["list_", "operations_"]


def test_type_names_step_aside_for_generated_module_names() -> None:
    scope = type_scope({"PetsService"})
    claimed = [scope.claim(n) for n in ["Any", "Client", "PetsService", "Pet", "Pet", "AnyModel"]]
    assert claimed == ["AnyModel", "ClientModel", "PetsServiceModel", "Pet", "Pet2", "AnyModel2"]


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "expected"),
    [
        ("listPets", "GET", "/pets", "list_pets"),
        ("", "GET", "/pets/{petId}", "get_pets_pet_id"),
        ("", "DELETE", "/", "delete"),
        ("---", "post", "/a-b/c.d", "post_a_b_c_d"),
        ("import", "GET", "/", "import_"),
    ],
)
def test_operation_names(operation_id: str, method: str, path: str, expected: str) -> None:
    assert operation_name(operation_id, method, path) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("available", "AVAILABLE"), ("in-progress", "IN_PROGRESS"), ("", "EMPTY"), ("1", "_1")],
)
def test_enum_member_names_from_strings(value: str, expected: str) -> None:
    assert enum_member_name(value) == expected


def test_enum_member_names_from_integers() -> None:
    assert [enum_member_name(v) for v in (0, 42, -1)] == ["_0", "_42", "MINUS_1"]


def test_service_attributes_avoid_client_methods() -> None:
    assert [service_attribute(t) for t in ("Pet Store", "close", "aclose", "")] == [
        "pet_store",
        "close_",
        "aclose_",
        "default",
    ]
