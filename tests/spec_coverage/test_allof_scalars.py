"""An `allOf` of schemas that are no objects is the conjunction of its parts: limits from
every part, through `$ref`s and nested `allOf`, the tighter of two, the common enum values
(fixtures/coverage/allof_scalars.yaml). They were lost when the parts were merged key by
key, the later part winning, or when a part beside a reference only added limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pydantic
import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package, raw_client
from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate
from specloom_runtime.errors import InvalidRequest


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("allof_scalars")
    with generated_package("allof_scalars.yaml", "cov_allof_scalars", root) as package:
        yield package


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("short", "abcde", "abcdef"),  # a limit in a second part
        ("short_slug", "abc", "ABC"),  # the pattern beside a reference
        ("short_slug", "abcde", "abcdef"),  # ... and the nested allOf's maxLength
        ("slug_within", "abc", "abcd"),  # the tighter of Slug's 10 and 3
        ("slug_within", "abc", "ab1"),  # ... and Slug's own pattern
        ("passing", "b", "c"),  # the enum values both parts allow
        ("percent", 100, 101),
        ("percent", 0, -1),
        ("inline", "ab", "a"),
        ("twice", "a-b", "b"),  # the first pattern kept
    ],
)
def test_each_part_limits_the_value(pkg: ModuleType, field: str, good: Any, bad: Any) -> None:
    entry = pkg.models.Entry
    assert getattr(entry.model_validate({field: good}), field) == good
    with pytest.raises(pydantic.ValidationError):
        entry.model_validate({field: bad})


def test_the_parts_one_schema_cannot_combine_keep_the_first_with_a_warning() -> None:
    result = generate(FIXTURES / "allof_scalars.yaml", GenerateConfig(package_name="scalars"))
    assert result.files is not None
    warnings = [(d.pointer, d.message) for d in result.diagnostics if d.level is Level.WARNING]
    assert warnings == [
        (
            "/components/schemas/Twice/pattern",
            "allOf parts declare this schema with different `pattern`, which one schema "
            "cannot combine; the first declaration's is kept",
        )
    ]


def test_limits_on_a_parameter_are_checked_by_both_sides(pkg: ModuleType) -> None:
    stored: list[str] = []

    class Codes(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def put_code(self, *, code: str, body: Any) -> Any:
            stored.append(code)
            return body

    async def scenario() -> tuple[Any, int]:
        async with asgi_client(pkg, Codes()) as client:
            entry = pkg.models.Entry(short="abc")
            answered = await client.default.put_code(code="abcd", body=entry)
            with pytest.raises(InvalidRequest, match="at most 4 characters"):
                await client.default.put_code(code="abcde", body=entry)
        async with raw_client(pkg, Codes()) as raw:
            refused = await raw.put("/codes/abcde", json={})
        return answered, refused.status_code

    answered, status = asyncio.run(scenario())
    assert answered == pkg.models.Entry(short="abc")
    assert stored == ["abcd"]
    assert status == 400
