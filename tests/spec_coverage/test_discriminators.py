"""Discriminated unions (fixtures/coverage/discriminators.yaml): the tag picks the member,
with and without `mapping`, on oneOf, anyOf and an allOf base; an unknown tag is rejected
by the client and by the server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package, raw_client
from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom_runtime.errors import ResponseValidationError


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("discriminators")
    with generated_package("discriminators.yaml", "cov_discriminators", root) as package:
        yield package


def validate(annotation: Any, data: Any) -> Any:
    return pydantic.TypeAdapter(annotation).validate_python(data)


def test_mapping_picks_the_member_by_tag(pkg: ModuleType) -> None:
    models = pkg.models
    deadman = validate(models.Check, {"type": "deadman", "name": "d", "level": 3})
    assert isinstance(deadman, models.DeadmanCheck)
    # Two tags map to ThresholdCheck; either selects it.
    for tag in ("threshold", "limit"):
        check = validate(models.Check, {"type": tag, "name": "t", "level": 3})
        assert isinstance(check, models.ThresholdCheck)
        assert check.level == 3


def test_unknown_or_missing_tag_is_a_validation_error(pkg: ModuleType) -> None:
    models = pkg.models
    with pytest.raises(pydantic.ValidationError, match="union_tag_invalid"):
        validate(models.Check, {"type": "cron", "name": "x"})
    with pytest.raises(pydantic.ValidationError, match="union_tag_not_found"):
        validate(models.Check, {"name": "x"})


def test_implicit_mapping_by_schema_name_and_by_the_members_own_enum(pkg: ModuleType) -> None:
    models = pkg.models
    shapes = validate(
        list[models.EchoShapesRequestItem],
        [
            {"kind": "Square", "side": 2, "radius": 1},
            {"kind": "Circle", "radius": 1},
        ],
    )
    assert [type(s).__name__ for s in shapes] == ["Square", "Circle"]
    # anyOf of inline members: each member's one-value enum / const is its tag.
    boat = validate(models.Vehicle, {"type": "boat", "wheels": 4})
    assert type(boat).__name__ == "VehicleOption2"
    with pytest.raises(pydantic.ValidationError):
        validate(models.Vehicle, {"type": "Vehicle1", "wheels": 4})


def test_base_schema_extended_by_all_of_is_the_union_of_its_subtypes(pkg: ModuleType) -> None:
    models = pkg.models
    lion = validate(models.Animal, {"animalType": "lion", "roar": 9})
    snake = validate(models.Animal, {"animalType": "Snake", "name": "Kaa"})
    assert isinstance(lion, models.Lion)
    assert isinstance(snake, models.Snake)
    with pytest.raises(pydantic.ValidationError):
        validate(models.Animal, {"animalType": "Animal"})
    # The misuse zalando makes (an array property as the discriminator) stays a model.
    assert issubclass(models.Articles, pydantic.BaseModel)


def test_a_subtype_may_name_its_own_tag_as_azure_does(pkg: ModuleType) -> None:
    models = pkg.models
    eagle = validate(models.Animal, {"animalType": "Microsoft.Birds/Eagle", "wingspan": 2.1})
    assert isinstance(eagle, models.Eagle)
    assert eagle.model_dump(by_alias=True, exclude_unset=True)["animalType"] == (
        "Microsoft.Birds/Eagle"
    )
    with pytest.raises(pydantic.ValidationError):
        validate(models.Animal, {"animalType": "Eagle", "wingspan": 2.1})


class Echo:
    """Every operation answers with the body it received."""

    def __init__(self, pkg: ModuleType) -> None:
        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def create_check(self, *, body: Any) -> Any:
                return body

            async def echo_shapes(self, *, body: Any) -> Any:
                return body

            async def adopt_animal(self, *, body: Any) -> Any:
                return body

            async def record_event(self, *, body: Any) -> Any:
                return body

            async def put_solution(self, *, body: Any) -> Any:
                return {"id": "s1", **body.model_dump(by_alias=True, exclude_unset=True)}

        self.api = Impl()


def test_client_and_server_round_trip_each_member(pkg: ModuleType) -> None:
    models = pkg.models

    async def scenario() -> None:
        async with asgi_client(pkg, Echo(pkg).api) as client:
            check = await client.default.create_check(
                body=models.ThresholdCheck(type_="limit", name="cpu", level=90)
            )
            assert check == models.ThresholdCheck(type_="limit", name="cpu", level=90)
            shapes = await client.default.echo_shapes(
                body=[
                    models.Circle(kind="Circle", radius=1.5),
                    models.Square(kind="Square", side=2),
                ]
            )
            assert [type(s).__name__ for s in shapes] == ["Circle", "Square"]
            snake = await client.default.adopt_animal(
                body=models.Snake(animal_type="Snake", name="Kaa")
            )
            assert snake == models.Snake(animal_type="Snake", name="Kaa")

    asyncio.run(scenario())


def test_server_rejects_an_unknown_tag(pkg: ModuleType) -> None:
    async def scenario() -> None:
        async with raw_client(pkg, Echo(pkg).api) as http:
            response = await http.post("/checks", json={"type": "cron", "name": "x"})
            assert response.status_code == 400
            assert "cron" in response.text
            ok = await http.post("/checks", json={"type": "deadman", "name": "x"})
            assert ok.status_code == 201
            assert ok.json() == {"type": "deadman", "name": "x"}

    asyncio.run(scenario())


def test_client_rejects_a_response_with_an_unknown_tag(pkg: ModuleType) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"animalType": "unicorn"})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    with pytest.raises(ResponseValidationError, match="unicorn"):
        client.default.adopt_animal(body=pkg.models.Lion(animal_type="lion"))


def test_a_tag_that_is_not_a_string_leaves_the_union_plain_with_a_warning() -> None:
    result = generate(FIXTURES / "discriminators.yaml", GenerateConfig(package_name="x"))
    messages = [(d.pointer, d.message) for d in result.diagnostics]
    assert (
        "/components/schemas/Page/discriminator",
        "discriminator: 'content' of Articles is not a string; the union is not discriminated",
    ) in messages


def test_tags_no_subtype_claims_select_the_base_schemas_own_model(pkg: ModuleType) -> None:
    # The base's tag enum allows `$all`, which no subtype claims, and its mapping names
    # the base itself for `generic`: both are values of the base schema, not errors.
    models = pkg.models
    everything = validate(models.Event, {"type": "$all", "count": 3})
    assert isinstance(everything, models.EventBase)
    assert everything.count == 3
    generic = validate(models.Event, {"type": "generic"})
    assert isinstance(generic, models.EventBase)
    assert isinstance(validate(models.Event, {"type": "click", "target": "b"}), models.ClickEvent)
    assert isinstance(validate(models.Event, {"type": "view", "page": "/"}), models.ViewEvent)
    with pytest.raises(pydantic.ValidationError):
        validate(models.Event, {"type": "scroll"})
    with pytest.raises(pydantic.ValidationError):
        validate(models.EventBase, {"type": "click"})


def test_the_base_member_round_trips_through_client_and_server(pkg: ModuleType) -> None:
    models = pkg.models

    async def scenario() -> None:
        async with asgi_client(pkg, Echo(pkg).api) as client:
            sent = models.EventBase(type_="$all", count=2)
            assert await client.default.record_event(body=sent) == sent

    asyncio.run(scenario())


def test_a_base_member_has_no_warning_when_the_mapping_names_the_base() -> None:
    result = generate(FIXTURES / "discriminators.yaml", GenerateConfig(package_name="x"))
    assert not [d for d in result.diagnostics if "/Event/" in d.pointer], result.diagnostics


def test_a_read_only_tag_travels_in_requests_too(pkg: ModuleType) -> None:
    # Azure migrateprojects: `instanceType` is readOnly, yet the request's union needs it
    # to tell the summaries apart (the request shape had no tag field and failed to build).
    models = pkg.models
    request = validate(
        models.SolutionRequest, {"summary": {"instanceType": "Servers", "assessedCount": 2}}
    )
    assert isinstance(request.summary, models.ServersSolutionSummary)

    async def scenario() -> None:
        async with asgi_client(pkg, Echo(pkg).api) as client:
            summary = models.DatabasesSolutionSummary(
                instance_type="Databases", databases_assessed_count=3
            )
            answer = await client.default.put_solution(body=models.SolutionRequest(summary=summary))
            assert answer.id == "s1"
            assert answer.summary == summary

    asyncio.run(scenario())


def test_a_member_whose_tag_the_spec_leaves_optional_defaults_to_it(pkg: ModuleType) -> None:
    # Square declares no `kind` (its tag is its name): used on its own, a square without
    # the tag is a valid square, and callers need not spell the tag out.
    models = pkg.models
    assert models.Square.model_validate({"side": 2}).kind == "Square"
    assert models.Square(side=2).kind == "Square"
    # Through the union the tag still picks the member: it must be there.
    with pytest.raises(pydantic.ValidationError, match="union_tag_not_found"):
        validate(models.EchoShapesRequestItem, {"side": 2})
    # Circle requires `kind` in its schema, and keeps requiring it.
    with pytest.raises(pydantic.ValidationError):
        models.Circle.model_validate({"radius": 1})


def test_a_defaulted_tag_is_sent(pkg: ModuleType) -> None:
    sent: list[Any] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=sent[-1])

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    shapes = client.default.echo_shapes(body=[pkg.models.Square(side=2)])
    assert sent == [[{"kind": "Square", "side": 2}]]
    assert [type(s).__name__ for s in shapes] == ["Square"]
