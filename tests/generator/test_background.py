"""Validation beside the parse, in a second process: the same outcome as one after the other."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specloom import background
from specloom.config import GenerateConfig
from specloom.pipeline import check, generate

needs_fork = pytest.mark.skipif(not background.can_run_aside(), reason="needs fork and 2 cores")


def many_paths_spec(tmp_path: Path, *, broken: bool) -> Path:
    """A spec with enough paths for validation to run aside; `broken` adds schema errors."""
    paths = "".join(
        f"""  /things{n}/{{id}}:
    get:
      operationId: getThing{n}
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: integer}}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Thing"}}
"""
        for n in range(120)
    )
    bad = "      bogus: 1\n" if broken else ""
    text = f"""openapi: 3.0.3
info: {{title: Many, version: "1"}}
paths:
{paths}components:
  schemas:
    Thing:
      type: object
      properties:
        id: {{type: integer, pattern: "{"([" if broken else "^x"}"}}
        label: {{type: string}}
{bad}"""
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@needs_fork
def test_work_aside_runs_in_another_process() -> None:
    assert background.start(os.getpid, aside=True).result() != os.getpid()
    assert background.start(os.getpid, aside=False).result() == os.getpid()


@needs_fork
def test_a_child_that_dies_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    def dies_in_child() -> int:
        if os.getpid() != parent:
            os._exit(1)
        return 42

    assert background.start(dies_in_child, aside=True).result() == 42


@needs_fork
@pytest.mark.parametrize("broken", [False, True])
def test_generating_a_large_spec_gives_what_one_step_after_the_other_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: bool
) -> None:
    spec = many_paths_spec(tmp_path, broken=broken)
    config = GenerateConfig("many")
    beside = generate(spec, config)
    with monkeypatch.context() as patch:
        patch.setattr(background, "can_run_aside", lambda: False)
        serial = generate(spec, config)
    assert beside == serial
    assert (beside.files is None) == broken
    if broken:
        # The bad pattern is the parser's to report (a warning: it is not enforced), and
        # the validator's error stops the run before the parse.
        assert {d.pointer for d in beside.diagnostics} == {"/components/schemas/Thing"}
    assert check(spec).diagnostics == serial.diagnostics
