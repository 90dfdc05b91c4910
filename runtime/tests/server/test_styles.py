"""Style decoders against the examples of the OpenAPI style table."""

from __future__ import annotations

import pytest

from specwright_runtime.server._shapes import ANY_OBJECT, ObjectLayout, Shape
from specwright_runtime.server._styles import (
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
    with pytest.raises(StyleError, match="nested"):
        query([("id[a][b]", "1")], style="deepObject", shape=Shape.OBJECT)


def test_cookie_pairs_are_trimmed_unquoted_and_percent_decoded() -> None:
    header = 'session=abc; theme="dark"; name=Rex%20the%20dog;flag'
    assert cookie_pairs(header) == [
        ("session", "abc"),
        ("theme", "dark"),
        ("name", "Rex the dog"),
    ]
