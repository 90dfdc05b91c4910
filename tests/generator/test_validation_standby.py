"""The validator on standby: a forked child answers as validating here answers, and when
it cannot answer, the caller is told to validate itself."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specloom.forking import can_fork_aside
from specloom.loading.loaded import LoadedSpec
from specloom.path_item_check import path_item_is_clean
from specloom.unread_schemas import Unread
from specloom.validation_standby import ValidatorStandby

needs_fork = pytest.mark.skipif(not can_fork_aside(), reason="needs fork and 2 cores")


def document() -> dict[str, Any]:
    pet = {"$ref": "#/components/schemas/Pet"}
    ok = {"description": "ok", "content": {"application/json": {"schema": pet}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {"get": {"operationId": "listPets", "responses": {"200": ok}}},
            "/owners": {"get": {"operationId": "listOwners", "responses": {"200": ok}}},
        },
        "components": {
            "schemas": {
                "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Owner": Unread("Owner"),  # as a rebuild leaves a schema it does not read
            }
        },
    }


def broken_in_pets(how: str) -> dict[str, Any]:
    """`document()` with something validation finds in `/pets`, in either phase."""
    spec = document()
    get = spec["paths"]["/pets"]["get"]
    if how == "schema phase":  # `deprecated` must be a boolean
        get["parameters"] = [{"name": "q", "in": "query", "deprecated": "many"}]
    else:  # the keyword walk: a path parameter the path does not have
        get["parameters"] = [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ]
    return spec


@pytest.fixture
def standby() -> Iterator[ValidatorStandby]:
    started = ValidatorStandby.start()
    assert started is not None
    try:
        yield started
    finally:
        started.close()


def answered(standby: ValidatorStandby, spec: dict[str, Any], path: str) -> bool | None:
    standby.prepare()
    standby.ask(spec, path, False)
    return standby.answer()


def validated_here(spec: dict[str, Any], path: str) -> bool:
    return path_item_is_clean(LoadedSpec(spec, ""), path, False)


@needs_fork
@pytest.mark.parametrize("how", ["schema phase", "keyword walk"])
def test_the_child_answers_as_validating_here_does(standby: ValidatorStandby, how: str) -> None:
    clean, broken = document(), broken_in_pets(how)
    # One child answers one question after another, each as validation here does;
    # in `broken`, what is wrong is not in `/owners`.
    cases = [(clean, "/pets", True), (broken, "/pets", False), (broken, "/owners", True)]
    for spec, path, finds_nothing in cases:
        assert validated_here(spec, path) is finds_nothing
        assert answered(standby, spec, path) is finds_nothing


@needs_fork
def test_a_question_larger_than_a_pipe_holds_is_answered(standby: ValidatorStandby) -> None:
    spec = document()
    pet = spec["components"]["schemas"]["Pet"]
    pet["description"] = "A pet. " * 40_000  # 280 KB: a pipe holds 64 KB
    assert answered(standby, spec, "/pets") is True


@needs_fork
def test_no_answer_when_the_child_is_gone_or_nothing_was_asked(
    standby: ValidatorStandby,
) -> None:
    assert standby.answer() is None  # nothing asked
    os.kill(standby._pid, signal.SIGKILL)
    standby.prepare()
    standby.ask(document(), "/pets", False)
    assert standby.answer() is None
    assert not standby.running
    standby.close()  # again: nothing to do


@needs_fork
def test_a_closed_standby_answers_nothing(standby: ValidatorStandby) -> None:
    standby.close()
    standby.prepare()
    standby.ask(document(), "/pets", False)
    assert standby.answer() is None


def test_no_standby_where_no_child_can_run_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not can_fork_aside()
    assert ValidatorStandby.start() is None


@needs_fork
def test_the_command_validates_a_rebuild_aside(
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Through `specloom generate`: the standby's answers decide, the parent never
    validates, and a change validation finds wrong is reported as a full run reports it."""
    import specloom.operation_edits as edits
    from specloom import validation_standby
    from specloom.cli import main

    parent, validated = os.getpid(), validation_standby.finds_nothing

    def in_the_child_only(*question: Any) -> bool:
        if os.getpid() == parent:
            raise AssertionError("validated in the parent: the standby gave no answer")
        return validated(*question)

    monkeypatch.setattr(validation_standby, "finds_nothing", in_the_child_only)
    reasons: list[str] = []
    attempt = edits.attempt

    def recording(*args: Any, **kwargs: Any) -> Any:
        outcome = attempt(*args, **kwargs)
        reasons.append(outcome if isinstance(outcome, str) else "patched")
        return outcome

    monkeypatch.setattr(edits, "attempt", recording)
    spec_file, out = tmp_path / "spec.json", tmp_path / "out" / "pets"
    spec = document()
    spec["components"]["schemas"]["Owner"] = {"type": "object"}
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    assert main(["generate", str(spec_file), "--out", str(out), "--quiet"]) == 0
    query = {"name": "q", "in": "query", "schema": {"type": "string"}}
    spec["paths"]["/pets"]["get"]["parameters"] = [query]
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    assert main(["generate", str(spec_file), "--out", str(out), "--quiet"]) == 0
    assert reasons[-1] == "patched"
    query["deprecated"] = "many"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", str(spec_file), "--out", str(out), "--quiet"]) != 0
    assert reasons[-1] == "validation may find something"
    assert "many" in capsys.readouterr().err  # the full run's validation reports it


@needs_fork
def test_no_standby_when_the_system_refuses_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert ValidatorStandby.start() is None


@needs_fork
def test_a_warning_in_the_child_makes_the_answer_no(
    standby: ValidatorStandby, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the command would have reported, had it validated itself, is not lost: the
    run is made in full (and says it)."""
    import warnings

    from specloom import validation_standby

    def warning_then_clean(*question: Any) -> bool:
        warnings.warn("a library's word on the spec", UserWarning, stacklevel=1)
        return True

    standby.close()
    monkeypatch.setattr(validation_standby, "finds_nothing", warning_then_clean)
    with warnings.catch_warnings():  # as the command runs: a warning is shown, not raised
        warnings.simplefilter("default")
        warned = ValidatorStandby.start()  # forked with the stand-in and these filters
    assert warned is not None
    try:
        assert answered(warned, document(), "/pets") is False
    finally:
        warned.close()
