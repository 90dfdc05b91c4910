"""Validation passes over schemas with nothing to find, and finds exactly what it found before."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from openapi_spec_validator.validation import keywords

import specloom.validate
from specloom import id_members
from specloom.diagnostics import Diagnostic
from specloom.id_members import json_may_have_id
from specloom.loader import LoadedSpec
from specloom.validate import validate


def _schema(rng: random.Random, names: list[str], depth: int = 0) -> Any:
    """A random schema: references, nesting, defaults that fit or not, `allOf` with
    `required` names defined or not, and now and then a value that is no schema."""
    roll = rng.random()
    if names and roll < 0.3:
        return {"$ref": f"#/components/schemas/{rng.choice(names)}"}
    if roll < 0.35:
        return rng.choice([True, False, 7, "text", [{"type": "string"}]])
    schema: dict[str, Any] = {"type": rng.choice(["object", "string", "integer", "array"])}
    if depth < 3:
        if rng.random() < 0.6:
            schema["properties"] = {
                f"p{i}": _schema(rng, names, depth + 1) for i in range(rng.randint(0, 3))
            }
        if rng.random() < 0.2:
            schema["items"] = _schema(rng, names, depth + 1)
        for keyword in ("anyOf", "oneOf", "allOf"):
            if rng.random() < 0.12:
                parts = [_schema(rng, names, depth + 1) for _ in range(rng.randint(1, 2))]
                schema[keyword] = parts
        if rng.random() < 0.08:
            schema["not"] = _schema(rng, names, depth + 1)
    if rng.random() < 0.2:
        schema["required"] = rng.sample(["p0", "p1", "q"], rng.randint(1, 2))
    if rng.random() < 0.15:
        schema["default"] = rng.choice([{}, "text", 3, [], None])
    if rng.random() < 0.1:
        schema["nullable"] = True
    if rng.random() < 0.03:
        schema["$id"] = "https://example.com/schemas/elsewhere"
    return schema


def _document(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    names = [f"S{i}" for i in range(rng.randint(1, 8))]
    schemas = {name: _schema(rng, names) for name in names}
    operation = {
        "parameters": [{"name": "q", "in": "query", "schema": _schema(rng, names)}],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": _schema(rng, names)}},
            }
        },
    }
    return {
        "openapi": rng.choice(["3.0.3", "3.1.0"]),
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"get": operation}},
        "components": {"schemas": schemas},
    }


def _every_schema_checked(monkeypatch: pytest.MonkeyPatch, spec: LoadedSpec) -> list[Diagnostic]:
    with monkeypatch.context() as patched:
        patched.setattr(specloom.validate, "pass_over_quiet_schemas", lambda *_: None)
        return validate(spec)


@pytest.mark.parametrize("seed", range(150))
def test_the_findings_are_those_of_checking_every_schema(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    spec = LoadedSpec(document=_document(seed), source="memory")
    assert validate(spec) == _every_schema_checked(monkeypatch, spec)


def test_the_random_documents_hold_second_phase_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The comparison above means something only if the second phase finds things in them.
    messages = [
        d.message
        for seed in range(150)
        for d in _every_schema_checked(
            monkeypatch, LoadedSpec(document=_document(seed), source="memory")
        )
    ]
    assert any("'default'" in message for message in messages)
    assert any("Required list has not defined properties" in message for message in messages)


def _quiet_document(count: int) -> dict[str, Any]:
    schemas = {
        f"S{i}": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "next": {"$ref": f"#/components/schemas/S{(i + 1) % count}"},
            },
        }
        for i in range(count)
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _schemas_checked_by_the_validator(
    monkeypatch: pytest.MonkeyPatch, document: dict[str, Any], text: str | None = None
) -> int:
    """How many schemas the validator checks in `document` (read from the JSON `text`,
    when given)."""
    read_from = None if text is None else {"memory": text}
    count = 0
    check = keywords.SchemaValidator.__call__

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        return check(self, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(keywords.SchemaValidator, "__call__", counted)
        assert validate(LoadedSpec(document, "memory", read_from=read_from)) == []
    return count


def test_schemas_with_nothing_to_find_are_not_walked_by_the_validator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only each component's own schema is entered (for its meta-schema check); its
    # properties, their items and the references between components are passed over.
    assert _schemas_checked_by_the_validator(monkeypatch, _quiet_document(50)) == 50


def test_a_document_with_an_id_is_walked_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    # `$id` moves what a pointer is relative to: every schema is left to the validator.
    document = _quiet_document(50)
    document["openapi"] = "3.1.0"  # where a schema may have an `$id`
    document["components"]["schemas"]["S3"]["$id"] = "https://example.com/s3"
    assert _schemas_checked_by_the_validator(monkeypatch, document) > 50 * 4


def test_an_id_is_told_from_a_json_text_however_it_is_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = _quiet_document(50)
    document["openapi"] = "3.1.0"
    document["components"]["schemas"]["S3"]["$id"] = "https://example.com/s3"
    text = json.dumps(document)
    for escaped in (
        text,
        text.replace('"$id"', '"\\u0024id"'),
        text.replace('"$id"', '"$\\u0069d"'),
    ):
        assert json_may_have_id(escaped)
        assert json.loads(escaped) == document
    assert not json_may_have_id(json.dumps(_quiet_document(50)))
    # Told from the text it was read from, the document is walked in full all the same.
    assert _schemas_checked_by_the_validator(monkeypatch, document, text) > 50 * 4


def test_an_id_is_told_as_a_search_of_the_whole_text_tells_it() -> None:
    pieces = ['"', "$", "\\u0024", "i", "I", "\\u0069", "d", "D", "\\u0064", "x", "\\u00e9", " "]
    generator = random.Random(7)
    for _ in range(5000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randrange(1, 14)))
        expected = id_members._ID_STRING.search(text) is not None
        assert json_may_have_id(text) is expected, text
    many = "\\u00e9" * 1200  # beyond the escapes looked around one by one
    assert json_may_have_id(many + '"\\u0024id"')
    assert not json_may_have_id(many + '"$ref"')
