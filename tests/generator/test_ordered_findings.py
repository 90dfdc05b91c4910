"""Validation reports the same findings whatever Python's hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from specloom import ordered_findings

BAD = ["zeta", "alpha", "mid", "omega", "beta", "gamma"]
"""Properties of one schema, each with a wrong `minLength`: the meta-check of the schema
reports one of them, and which one used to follow the hash seed."""


def spec_with_bad_properties() -> dict[str, Any]:
    properties = {name: {"type": "string", "minLength": "x"} for name in BAD}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Seeds", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {"type": "object", "properties": {"ok": {"type": "string"}, **properties}}
            }
        },
    }


def validated(spec: Path, seed: str) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": seed, "SPECLOOM_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "specloom", "validate", str(spec)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return done.stdout + done.stderr


def test_the_same_finding_is_reported_under_every_hash_seed(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(spec_with_bad_properties(), indent=1), encoding="utf-8")
    reports = {validated(spec, seed) for seed in ("1", "2", "3", "4")}
    assert len(reports) == 1
    (report,) = reports
    # The first wrong property as the schema lists it, and no other.
    assert "(at #/components/schemas/Thing/properties/zeta/minLength)" in report
    assert "properties/alpha/minLength" not in report


@pytest.mark.parametrize("order", [BAD, list(reversed(BAD))])
def test_extra_members_are_checked_in_the_order_the_object_holds_them(order: list[str]) -> None:
    ordered_findings.install()
    schema = {"additionalProperties": {"type": "integer"}}
    instance = {name: "not a number" for name in order}
    paths = [list(error.path) for error in Draft4Validator(schema).iter_errors(instance)]
    assert paths == [[name] for name in order]


def test_a_closed_object_still_names_its_extra_members_sorted() -> None:
    ordered_findings.install()
    schema = {"properties": {"a": {}}, "additionalProperties": False}
    errors = list(Draft4Validator(schema).iter_errors({"a": 1, "z": 2, "b": 3}))
    assert [error.message for error in errors] == [
        "Additional properties are not allowed ('b', 'z' were unexpected)"
    ]
