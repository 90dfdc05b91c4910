"""Two path variables side by side in one segment (`/blog/{page}{extension}`): a variable
that allows only some texts is matched by them, so the route splits the segment as meant."""

from __future__ import annotations

import enum
import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from specloom_runtime.operation import OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.server._paths import adjacent_choices, adjacent_integers, with_choices

if TYPE_CHECKING:
    from conftest import ServeOperation


class Extension(str, enum.Enum):
    JSON = ".json"
    JSONLD = ".jsonld"


def operation(path: str, *params: ParamSpec) -> OperationSpec:
    return OperationSpec(
        name="op",
        method="GET",
        path=path,
        params=params,
        responses=(ResponseSpec("200", str, is_success=True),),
    )


def path_param(name: str, annotation: object, style: str = "") -> ParamSpec:
    return ParamSpec(name, name, "path", annotation, required=True, style=style)


PAGE = path_param("page", str)


def test_an_enum_or_literal_beside_another_variable_is_limited_to_its_texts() -> None:
    blog = operation("/blog/{page}{ext}", PAGE, path_param("ext", Extension))
    assert adjacent_choices("/blog/{page}{ext}", [blog]) == {"ext": (".json", ".jsonld")}
    literal = operation(
        "/v/{ver}{page}", path_param("ver", Annotated[Literal["v1", "v2"], 0]), PAGE
    )
    assert adjacent_choices("/v/{ver}{page}", [literal]) == {"ver": ("v1", "v2")}


def test_variables_apart_or_free_or_in_another_style_are_left_alone() -> None:
    apart = operation("/blog/{page}/{ext}", PAGE, path_param("ext", Extension))
    assert adjacent_choices("/blog/{page}/{ext}", [apart]) == {}
    label = operation("/blog/{page}{ext}", PAGE, path_param("ext", Extension, "label"))
    assert adjacent_choices("/blog/{page}{ext}", [label]) == {}
    limited = Annotated[str, Field(pattern="^[a-z]+$")]
    free = operation("/blog/{page}{ext}", PAGE, path_param("ext", limited))
    assert adjacent_choices("/blog/{page}{ext}", [free]) == {}


def test_a_variable_is_limited_only_when_every_operation_on_the_route_limits_it() -> None:
    fixed = operation("/blog/{page}{ext}", PAGE, path_param("ext", Extension))
    other = operation("/blog/{name}{kind}", path_param("name", str), path_param("kind", str))
    assert adjacent_choices("/blog/{page}{ext}", [fixed, other]) == {}
    literal = operation("/blog/{a}{b}", path_param("a", str), path_param("b", Literal[".xml"]))
    assert adjacent_choices("/blog/{page}{ext}", [fixed, literal]) == {
        "ext": (".json", ".jsonld", ".xml")
    }


def test_texts_the_routing_path_keeps_encoded_leave_the_variable_alone() -> None:
    odd = operation("/x/{page}{ext}", PAGE, path_param("ext", Literal[";v=1", "a"]))
    assert adjacent_choices("/x/{page}{ext}", [odd]) == {}


def test_the_pattern_tries_the_longest_text_first() -> None:
    pattern = with_choices("^/blog/(?P<page>[^/]+)(?P<ext>[^/]+)$", {"ext": (".json", ".jsonld")})
    assert pattern == r"^/blog/(?P<page>[^/]+)(?P<ext>\.jsonld|\.json)$"
    found = re.match(pattern, "/blog/a.json.jsonld")
    assert found is not None
    assert found.groupdict() == {"page": "a.json", "ext": ".jsonld"}


def test_an_integer_beside_another_variable_is_matched_as_digits() -> None:
    projects = operation(
        "/projects/{id}{.format}", path_param("id", int), path_param(".format", str)
    )
    assert adjacent_integers("/projects/{id}{.format}", [projects]) == {"id"}
    bounded = operation("/p/{id}{f}", path_param("id", Annotated[int, Field(ge=1)]), PAGE)
    assert adjacent_integers("/p/{id}{f}", [bounded]) == {"id"}
    apart = operation("/p/{id}/{f}", path_param("id", int), PAGE)
    assert adjacent_integers("/p/{id}/{f}", [apart]) == frozenset()
    text = operation("/p/{id}{f}", path_param("id", str), PAGE)
    assert adjacent_integers("/p/{id}{f}", [projects, text]) == frozenset()


def test_a_route_splits_digits_from_the_text_beside_them(
    serve_operation: ServeOperation,
) -> None:
    """nasa's `/api/projects/{id}{.format}`: the id an integer, the format any text."""
    received: list[dict[str, object]] = []

    async def handler(**arguments: object) -> str:
        received.append(arguments)
        return "ok"

    projects = OperationSpec(
        name="project",
        method="GET",
        path="/api/projects/{id}{.format}",
        params=(
            ParamSpec("id", "id", "path", int, required=True),
            ParamSpec("format_", ".format", "path", str, required=True),
        ),
        responses=(ResponseSpec("200", str, is_success=True),),
    )
    client = serve_operation(projects, handler)

    assert client.get("/api/projects/12.json").status_code == 200
    assert client.get("/api/projects/-3xml").status_code == 200
    assert client.get("/api/projects/json").status_code == 404
    assert received == [{"id": 12, "format_": ".json"}, {"id": -3, "format_": "xml"}]
