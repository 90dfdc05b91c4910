"""A rebuild of one operation reads a JSON spec in part: its path item alone of `paths`,
`components/examples`, `webhooks` and `x-webhooks` as empty; anything that does not fit
what the record says is read whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from specloom.loading.json_positions import JsonPositions
from specloom.partial_read import Parts, located_parts, read_in_part, shifted, wanted

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}},
    "paths": {
        "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "A"}}}},
        '/b/{id}"quoted"': {
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "get": {"operationId": "b", "responses": {"200": {"description": "B"}}},
        },
        "/c": {"parameters": []},
    },
    "components": {
        "examples": {"E": {"value": {"big": "x" * 100}}},
        "schemas": {"S": {"type": "string"}},
    },
    "x-webhooks": {"old": {}},
}


def _parts(text: str, document: dict[str, Any]) -> Parts:
    paths = list(document["paths"])
    return located_parts(text, paths, JsonPositions(text).offsets(wanted(paths)))


def _operation_at(text: str, path: str) -> int:
    """Where the object of the path item `path`'s `get` starts (its own, when it has none)."""
    item = text.index("{", text.index(json.dumps(path)))
    get = text.find('"get"', item)
    return item if get < 0 else text.index("{", get)


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("ascii_only", [True, False])
@pytest.mark.parametrize("path", ["/a", '/b/{id}"quoted"'])
def test_the_path_item_alone_is_read_and_the_rest_as_it_is(
    indent: int | None, ascii_only: bool, path: str
) -> None:
    text = json.dumps(DOCUMENT, indent=indent, ensure_ascii=ascii_only)
    parts = _parts(text, DOCUMENT)
    assert [pointer for _, _, pointer in parts.unread] == [
        "/webhooks",
        "/components/examples",
        "/x-webhooks",
    ]
    document = read_in_part(text, parts, ["paths", path, "get"], _operation_at(text, path))
    expected = {
        **DOCUMENT,
        "webhooks": {},
        "paths": {path: DOCUMENT["paths"][path]},
        "components": {**DOCUMENT["components"], "examples": {}},
        "x-webhooks": {},
    }
    assert document == expected
    assert list(document) == list(DOCUMENT)  # in the text's order


def test_parts_moved_by_an_edit_still_fit() -> None:
    text = json.dumps(DOCUMENT, indent=2)
    parts = _parts(text, DOCUMENT)
    old = '"A"'
    at = text.index(old)
    edited = text[:at] + '"A, described at more length"' + text[at + len(old) :]
    moved = shifted(parts, (at, at + len(old)), len(edited) - len(text))
    at_c = _operation_at(edited, "/c")
    assert read_in_part(edited, moved, ["paths", "/c", "get"], at_c) is not None
    assert read_in_part(edited, parts, ["paths", "/c", "get"], at_c) is None
    got = read_in_part(edited, moved, ["paths", "/a", "get"], _operation_at(edited, "/a"))
    assert got is not None
    assert got["paths"]["/a"]["get"]["responses"]["200"]["description"] == (
        "A, described at more length"
    )


def test_a_part_an_edit_overlaps_is_no_longer_known() -> None:
    text = json.dumps(DOCUMENT)
    parts = _parts(text, DOCUMENT)
    examples_at = parts.unread[1][0]
    moved = shifted(parts, (examples_at + 1, examples_at + 3), 4)
    assert [pointer for _, _, pointer in moved.unread] == ["/webhooks", "/x-webhooks"]
    paths_item = parts.items[0]
    assert shifted(parts, (paths_item - 1, paths_item + 1), 0).paths_at == -1


@pytest.mark.parametrize(
    "tokens", [["webhooks", "ping", "post"], ["paths", "/missing", "get"], ["paths", "/a"]]
)
def test_what_does_not_fit_is_read_whole(tokens: list[str]) -> None:
    text = json.dumps(DOCUMENT)
    parts = _parts(text, DOCUMENT)
    assert read_in_part(text, parts, tokens, _operation_at(text, "/a")) is None


def test_a_record_of_another_text_is_not_used() -> None:
    text = json.dumps(DOCUMENT)
    other = json.dumps({**DOCUMENT, "info": {"title": "Longer title", "version": "1"}})
    parts = _parts(text, DOCUMENT)
    assert read_in_part(other, parts, ["paths", "/a", "get"], _operation_at(other, "/a")) is None
    assert read_in_part(text, Parts(), ["paths", "/a", "get"], _operation_at(text, "/a")) is None


HIERARCHY: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "pets",
                "parameters": [{"$ref": "#/components/parameters/Kind"}],
                "responses": {
                    "200": {
                        "description": "Pets",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            }
        },
        "/other": {
            "get": {
                "operationId": "other",
                "responses": {
                    "200": {
                        "description": "Other",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Elsewhere"}
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "parameters": {
            "Kind": {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Kind"}}
        },
        "schemas": {
            "Elsewhere": {"type": "object", "properties": {"note": {"type": "string"}}},
            "Kind": {"type": "string", "enum": ["dog", "cat"]},
            "Pet": {
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {"type": "string"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat"}},
            },
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object"}]},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
            "Unused%20Name": {"type": "integer"},
        },
    },
}


def test_the_component_schemas_the_path_item_reaches_are_read_the_others_not() -> None:
    from specloom.parser.api import known_components
    from specloom.unread_schemas import Unread, UnreadSchema

    text = json.dumps(HIERARCHY, indent=2)
    paths, names = list(HIERARCHY["paths"]), list(HIERARCHY["components"]["schemas"])
    offsets = JsonPositions(text).offsets(wanted(paths, names))
    parts = located_parts(text, paths, offsets, names)
    assert [name for name, _ in parts.schemas] == names
    known = known_components(HIERARCHY)
    assert known.subtypes == {"Pet": ("Dog", "Cat")}
    assert known.enums == {"Kind": (("dog", "DOG"), ("cat", "CAT"))}
    at = _operation_at(text, "/pets")
    document = read_in_part(text, parts, ["paths", "/pets", "get"], at, known.subtypes)
    assert document is not None
    schemas = document["components"]["schemas"]
    assert list(schemas) == names  # every name, in the text's order
    # Named by the path item (through a component parameter), by what it reaches, by a
    # discriminator's mapping, and extending a schema read.
    read = {name for name, schema in schemas.items() if not isinstance(schema, Unread)}
    assert read == {"Kind", "Pet", "Owner", "Dog", "Cat"}
    assert all(schemas[name] == HIERARCHY["components"]["schemas"][name] for name in read)
    for unread in ("Elsewhere", "Unused%20Name"):
        with pytest.raises(UnreadSchema, match=unread):
            schemas[unread].get("type")
    assert document["components"]["parameters"] == HIERARCHY["components"]["parameters"]
    whole = read_in_part(text, parts, ["paths", "/pets", "get"], at)  # no known subtypes
    assert whole is not None
    assert whole["components"]["schemas"] == HIERARCHY["components"]["schemas"]


def test_component_schemas_moved_by_an_edit_are_still_found() -> None:
    text = json.dumps(HIERARCHY)
    paths, names = list(HIERARCHY["paths"]), list(HIERARCHY["components"]["schemas"])
    parts = located_parts(text, paths, JsonPositions(text).offsets(wanted(paths, names)), names)
    old = '"Pets"'
    at = text.index(old)
    edited = text[:at] + '"Pets, all of them"' + text[at + len(old) :]
    moved = shifted(parts, (at, at + len(old)), len(edited) - len(text))
    start = _operation_at(edited, "/other")
    document = read_in_part(edited, moved, ["paths", "/other", "get"], start, {})
    assert document is not None
    schemas = document["components"]["schemas"]
    assert schemas["Elsewhere"] == HIERARCHY["components"]["schemas"]["Elsewhere"]
    assert read_in_part(edited, parts, ["paths", "/other", "get"], start, {}) is None


def test_an_unread_schema_refuses_every_look_into_it() -> None:
    from specloom.unread_schemas import Unread, UnreadSchema

    unread = Unread("Pet")
    assert isinstance(unread, dict)
    looks = [
        lambda: unread["type"],
        lambda: unread.get("type"),
        lambda: "type" in unread,
        lambda: list(unread),
        lambda: len(unread),
        lambda: bool(unread),
        lambda: unread == {},
        lambda: unread.items(),
        lambda: unread.copy(),
        lambda: dict(unread),
    ]
    for look in looks:
        with pytest.raises(UnreadSchema, match="'Pet' was not read"):
            look()
