"""Style decoders against the examples of the OpenAPI style table."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from pydantic import BaseModel

from specloom_runtime._shapes import ANY_OBJECT, ObjectLayout, Shape, object_layout
from specloom_runtime.server._scalars import one_texts_as_scalars
from specloom_runtime.server._styles import (
    Raw,
    StyleError,
    cookie_pairs,
    decode_header,
    decode_pairs,
    decode_path,
)

OBJECT = {"role": "admin", "firstName": "Alex"}


@pytest.mark.parametrize(
    ("style", "explode", "shape", "value", "expected"),
    [
        ("simple", False, Shape.SCALAR, "5", "5"),
        ("simple", False, Shape.ARRAY, "3,4,5", ["3", "4", "5"]),
        ("simple", True, Shape.ARRAY, "3,4,5", ["3", "4", "5"]),
        ("simple", False, Shape.OBJECT, "role,admin,firstName,Alex", OBJECT),
        ("simple", True, Shape.OBJECT, "role=admin,firstName=Alex", OBJECT),
        ("label", False, Shape.SCALAR, ".5", "5"),
        ("label", False, Shape.ARRAY, ".3,4,5", ["3", "4", "5"]),
        ("label", True, Shape.ARRAY, ".3.4.5", ["3", "4", "5"]),
        ("label", False, Shape.OBJECT, ".role,admin,firstName,Alex", OBJECT),
        ("label", True, Shape.OBJECT, ".role=admin.firstName=Alex", OBJECT),
        ("matrix", False, Shape.SCALAR, ";id=5", "5"),
        ("matrix", False, Shape.SCALAR, ";id", ""),
        ("matrix", False, Shape.ARRAY, ";id=3,4,5", ["3", "4", "5"]),
        ("matrix", True, Shape.ARRAY, ";id=3;id=4;id=5", ["3", "4", "5"]),
        ("matrix", False, Shape.OBJECT, ";id=role,admin,firstName,Alex", OBJECT),
        ("matrix", True, Shape.OBJECT, ";role=admin;firstName=Alex", OBJECT),
    ],
)
def test_path_styles(style: str, explode: bool, shape: Shape, value: str, expected: Raw) -> None:
    assert decode_path(value, name="id", style=style, explode=explode, shape=shape) == expected


@pytest.mark.parametrize(
    ("style", "explode", "shape", "value", "message"),
    [
        ("label", False, Shape.SCALAR, "5", "must start with '.'"),
        ("matrix", False, Shape.SCALAR, "5", "must start with ';'"),
        ("matrix", False, Shape.SCALAR, ";other=5", "must start with ';id='"),
        ("matrix", True, Shape.ARRAY, ";id=3;x=4", "expected ';id=' before every item"),
        ("simple", False, Shape.OBJECT, "role,admin,firstName", "key,value pairs"),
        ("simple", True, Shape.OBJECT, "role=admin,firstName", "expected key=value"),
    ],
)
def test_malformed_path_values_say_why(
    style: str, explode: bool, shape: Shape, value: str, message: str
) -> None:
    with pytest.raises(StyleError, match=message):
        decode_path(value, name="id", style=style, explode=explode, shape=shape)


def test_empty_array_in_path_is_an_empty_list() -> None:
    assert decode_path(".", name="id", style="label", explode=False, shape=Shape.ARRAY) == []


@pytest.mark.parametrize(
    ("explode", "shape", "value", "expected"),
    [
        (False, Shape.SCALAR, " 5 ", "5"),
        (False, Shape.ARRAY, "3, 4 ,5", ["3", "4", "5"]),
        (False, Shape.OBJECT, "role, admin, firstName, Alex", OBJECT),
        (True, Shape.OBJECT, "role=admin, firstName=Alex", OBJECT),
    ],
)
def test_header_values_ignore_whitespace_around_items(
    explode: bool, shape: Shape, value: str, expected: Raw
) -> None:
    assert decode_header(value, explode=explode, shape=shape) == expected


def query(
    pairs: list[tuple[str, str]],
    *,
    style: str = "form",
    explode: bool = True,
    shape: Shape = Shape.SCALAR,
    layout: ObjectLayout = ANY_OBJECT,
    reserved: frozenset[str] = frozenset(),
) -> Raw | None:
    return decode_pairs(
        pairs,
        name="id",
        style=style,
        explode=explode,
        shape=shape,
        layout=layout,
        reserved=reserved,
    )


def test_form_scalar_takes_the_last_value_and_is_absent_without_one() -> None:
    assert query([("id", "5"), ("id", "6")]) == "6"
    assert query([("other", "5")]) is None


def test_form_arrays_exploded_and_not() -> None:
    pairs = [("id", "3"), ("x", "1"), ("id", "4")]
    assert query(pairs, shape=Shape.ARRAY) == ["3", "4"]
    assert query([("id", "3,4,5")], explode=False, shape=Shape.ARRAY) == ["3", "4", "5"]
    assert query([("id", "")], explode=False, shape=Shape.ARRAY) == []


@pytest.mark.parametrize(
    ("style", "value"), [("spaceDelimited", "3 4 5"), ("pipeDelimited", "3|4|5")]
)
def test_delimited_arrays(style: str, value: str) -> None:
    assert query([("id", value)], style=style, explode=False, shape=Shape.ARRAY) == ["3", "4", "5"]
    exploded = [("id", "3"), ("id", "4")]
    assert query(exploded, style=style, explode=True, shape=Shape.ARRAY) == ["3", "4"]


def test_form_object_not_exploded() -> None:
    pairs = [("id", "role,admin,firstName,Alex")]
    assert query(pairs, explode=False, shape=Shape.OBJECT) == OBJECT


def test_exploded_form_object_takes_its_keys_but_not_other_parameters() -> None:
    pairs = [("role", "admin"), ("limit", "5"), ("firstName", "Alex"), ("tag", "a")]
    layout = ObjectLayout(keys=frozenset({"role", "firstName", "limit"}))
    decoded = query(pairs, shape=Shape.OBJECT, layout=layout, reserved=frozenset({"limit"}))
    assert decoded == OBJECT
    assert query([("tag", "a")], shape=Shape.OBJECT, layout=layout) is None


def test_object_array_fields_gather_every_value() -> None:
    layout = ObjectLayout(keys=None, array_keys=frozenset({"tags"}))
    pairs = [("tags", "a"), ("name", "x"), ("tags", "b")]
    assert query(pairs, shape=Shape.OBJECT, layout=layout) == {"tags": ["a", "b"], "name": "x"}


def test_deep_object() -> None:
    pairs = [("id[role]", "admin"), ("other[x]", "1"), ("id[firstName]", "Alex")]
    assert query(pairs, style="deepObject", shape=Shape.OBJECT) == OBJECT
    assert query([("other[x]", "1")], style="deepObject", shape=Shape.OBJECT) is None


class Name(BaseModel):
    first: str
    nicknames: list[str] = []


class Person(BaseModel):
    name: Name
    tags: list[str] = []
    scores: dict[str, list[int]] = {}


def test_deep_object_nests_objects_and_gathers_arrays_at_every_level() -> None:
    pairs = [
        ("id[name][first]", "Alex"),
        ("id[tags]", "a"),
        ("id[name][nicknames]", "Al"),
        ("id[tags]", "b"),
        ("id[name][nicknames]", "Lex"),
        ("id[scores][math]", "1"),
        ("id[scores][math]", "2"),
        ("id[name][first]", "Alexandra"),
    ]

    decoded = query(pairs, style="deepObject", shape=Shape.OBJECT, layout=object_layout(Person))

    assert decoded == {
        "name": {"first": "Alexandra", "nicknames": ["Al", "Lex"]},
        "tags": ["a", "b"],
        "scores": {"math": ["1", "2"]},
    }


class Range(BaseModel):
    gt: int | None = None
    gte: int | None = None


def test_a_deep_object_union_of_an_object_and_a_scalar_reads_either() -> None:
    # stripe's `created`: a range object or a timestamp.
    layout = object_layout(Range)
    pairs = [("id[gt]", "1"), ("id[gte]", "2")]
    assert query(pairs, style="deepObject", shape=Shape.SCALAR, layout=layout) == {
        "gt": "1",
        "gte": "2",
    }
    assert query([("id", "17")], style="deepObject", shape=Shape.SCALAR, layout=layout) == "17"


class Line(BaseModel):
    tax_rates: list[str] | Literal[""] | None = None


def test_a_field_that_may_be_a_list_gathers_its_values_and_one_text_may_be_the_scalar() -> None:
    # stripe's `tax_rates`: a list of ids, or "" to clear them.
    layout = object_layout(Line)
    assert layout.is_array("tax_rates")
    one, two, clear = (
        [("id[tax_rates]", v) for v in values] for values in (["a"], ["a", "b"], [""])
    )
    read = {
        name: one_texts_as_scalars(
            query(pairs, style="deepObject", shape=Shape.OBJECT, layout=layout), Line
        )
        for name, pairs in (("one", one), ("two", two), ("clear", clear))
    }
    assert read == {
        "one": {"tax_rates": ["a"]},
        "two": {"tax_rates": ["a", "b"]},
        "clear": {"tax_rates": ""},
    }


def test_deep_object_of_unknown_type_nests_any_keys() -> None:
    pairs = [("id[a][b][c]", "1"), ("id[a][d]", "2"), ("id[]", "3")]

    decoded = query(pairs, style="deepObject", shape=Shape.OBJECT)

    assert decoded == {"a": {"b": {"c": "1"}, "d": "2"}, "": "3"}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("id[a]", "1"), ("id[a][b]", "2")], "'a' is given both as a value and as an object"),
        ([("id[a][b]", "1"), ("id[a]", "2")], "'a' is given both as a value and as an object"),
        ([("id[a]b]", "1")], "malformed deepObject key"),
        ([("id[a][[b]", "1")], "malformed deepObject key"),
        ([("id" + "[a]" * 33, "1")], "nest at most 32 levels"),
    ],
)
def test_malformed_deep_objects_say_why(pairs: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(StyleError, match=re.escape(message)):
        query(pairs, style="deepObject", shape=Shape.OBJECT)


@pytest.mark.parametrize(
    ("style", "explode", "shape", "value", "expected"),
    [
        ("simple", False, Shape.SCALAR, "a%2Fb%2C%3Bc%25", "a/b,;c%"),
        ("simple", False, Shape.ARRAY, "a%2Cb,c%20d", ["a,b", "c d"]),
        ("simple", True, Shape.OBJECT, "k%3D1=v%3D2,k%2C=%2C", {"k=1": "v=2", "k,": ","}),
        ("label", False, Shape.OBJECT, ".k%2C,v%2C", {"k,": "v,"}),
        ("matrix", True, Shape.ARRAY, ";id=a%3Bb;%69d=c", ["a;b", "c"]),
        ("matrix", True, Shape.OBJECT, ";k%3B=v%3D;%E2%82%AC=1", {"k;": "v=", "€": "1"}),
        ("matrix", False, Shape.ARRAY, ";%69d=a%2Cb,c", ["a,b", "c"]),
    ],
)
def test_path_values_are_split_before_they_are_percent_decoded(
    style: str, explode: bool, shape: Shape, value: str, expected: Raw
) -> None:
    assert decode_path(value, name="id", style=style, explode=explode, shape=shape) == expected


def test_a_path_value_that_is_not_utf8_is_a_style_error() -> None:
    with pytest.raises(StyleError, match="not UTF-8 text once percent-decoded"):
        decode_path("%FF", name="id", style="simple", explode=False, shape=Shape.SCALAR)


def test_cookie_pairs_are_trimmed_unquoted_and_percent_decoded() -> None:
    header = 'session=abc; theme="dark"; name=Rex%20the%20dog;flag'
    assert cookie_pairs(header) == [
        ("session", "abc"),
        ("theme", "dark"),
        ("name", "Rex the dog"),
    ]
