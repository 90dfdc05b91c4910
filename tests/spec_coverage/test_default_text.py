"""Defaults written as the text of a value of their schema's type
(fixtures/coverage/default_text.yaml): read as that value, and said so, the same way
whether the spec is validated or not."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package
from specloom.config import GenerateConfig
from specloom.default_text import NOT_READ, read_as
from specloom.pipeline import generate

SPEC = FIXTURES / "default_text.yaml"
PARAMETERS = "/paths/~1items/get/parameters"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("default_text")
    with generated_package("default_text.yaml", "cov_default_text", root) as package:
        yield package


@pytest.mark.parametrize(
    ("value", "type_name", "read"),
    [
        ("true", "boolean", True),
        ("False", "boolean", False),
        ("20", "integer", 20),
        ("-3", "integer", -3),
        (20.0, "integer", 20),
        ("0.5", "number", 0.5),
        ("1e3", "number", 1000.0),
        ("4", "number", 4),
        (7, "string", "7"),
        (1.5, "string", "1.5"),
        (True, "string", "true"),
    ],
)
def test_text_spelling_a_value_of_the_type_is_read_as_it(
    value: object, type_name: str, read: object
) -> None:
    result = read_as(value, {"type": type_name})
    assert (type(result), result) == (type(read), read)


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        ("yes", "boolean"),
        (1, "boolean"),
        ("many", "integer"),
        ("1.5", "integer"),
        (1.5, "integer"),
        (True, "integer"),
        ("nan", "number"),
        ("1e999", "number"),
        (None, "string"),
        ("a,b", "array"),
        ("{}", "object"),
    ],
)
def test_anything_else_is_not_read(value: object, type_name: str) -> None:
    assert read_as(value, {"type": type_name}) is NOT_READ


def test_a_number_is_not_read_as_a_date_or_a_uuid() -> None:
    assert read_as(20200101, {"type": "string", "format": "date"}) is NOT_READ
    assert read_as(20200101, {"type": "string", "format": "int64"}) == "20200101"


@pytest.mark.parametrize("skip_validation", [False, True])
def test_each_default_is_one_warning_saying_what_is_done(skip_validation: bool) -> None:
    result = generate(
        SPEC, GenerateConfig(package_name="defaults"), skip_validation=skip_validation
    )
    assert result.files is not None
    said = {d.pointer: d.message for d in result.diagnostics}
    assert len(said) == len(result.diagnostics)
    read = {
        f"{PARAMETERS}/0/schema/default": "True",
        f"{PARAMETERS}/1/schema/default": "20",
        f"{PARAMETERS}/2/schema/default": "0.5",
        f"{PARAMETERS}/3/schema/default": '"7"',
        "/components/schemas/Listing/properties/archived/default": "False",
    }
    if not skip_validation:  # the component's own default: only validation reads it there
        read["/components/schemas/Level/default"] = "2"
    # The parameter's schema is a reference: its default is the one of `Level`, read where
    # the parameter uses it.
    used = {f"{PARAMETERS}/4/schema/default": "2"}
    # Text spelling no integer, a number where a date is due, a value outside the enum.
    dropped = [f"{PARAMETERS}/{index}/schema/default" for index in (5, 6, 7)]
    assert sorted(said) == sorted([*read, *used, *dropped])
    for pointer, value in read.items():
        validated = f"the generator reads it as {value}"
        assert said[pointer].endswith(f"it is read as {value}" if skip_validation else validated)
    for pointer, value in used.items():
        assert (
            said[pointer]
            == f"default '2' is not of the schema's type (integer); it is read as {value}"
        )
    for pointer in dropped:
        assert "drop" in said[pointer], said[pointer]


def test_the_package_uses_the_values_read(pkg: ModuleType) -> None:
    assert pkg.models.Listing().archived is False
    received: list[dict[str, Any]] = []

    class Items(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def list_items(self, **arguments: Any) -> Any:
            received.append(arguments)
            return pkg.models.Listing()

    async def call() -> None:
        async with asgi_client(pkg, Items()) as client:
            await client.default.list_items()

    asyncio.run(call())
    [arguments] = received
    assert arguments["active"] is True
    assert arguments["limit"] == 20
    assert arguments["ratio"] == 0.5
    assert arguments["code"] == "7"
    assert arguments["level"] == pkg.models.Level(2)
    assert arguments["size"] is None
    assert arguments["since"] is None
    assert arguments["tier"] is None
