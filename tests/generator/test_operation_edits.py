"""Regenerating after a change inside one operation, by building that operation alone:
the same files and diagnostics as a run made afresh, byte for byte, or a full run."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from load_count import Loads
from regenerations import METHODS, afresh, operations, run
from spies import first_arguments

from specloom.config import GenerateConfig
from specloom.doc_edits import with_edit
from specloom.naming import snake_case
from specloom.pipeline import GenerateResult, generate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

Change = Callable[[dict[str, Any]], None]
"""A change of one operation's object, in place."""


def document_of(name: str) -> dict[str, Any]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text) if name.endswith(".yaml") else json.loads(text)
    return loaded


def declines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Why the patch declines each run from now on (said in a failing assertion)."""
    import specloom.operation_edits as edits

    reasons: list[str] = []
    attempt = edits.attempt

    def recording(reuse: Any, *args: Any, **kwargs: Any) -> Any:
        outcome = attempt(reuse, *args, **kwargs)
        if reuse.lineage is not None:  # a run with the cache (not one made afresh)
            reasons.append(outcome if isinstance(outcome, str) else "patched")
        return outcome

    monkeypatch.setattr(edits, "attempt", recording)
    return reasons


def json_texts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every JSON text read as the loader reads one, from now on (a rebuild's parts)."""
    from specloom.loading import json_text

    return first_arguments(monkeypatch, json_text, "read_json_text")


def add_parameter(operation: dict[str, Any]) -> None:
    parameter = {"name": "added_filter", "in": "query", "description": "Added.", "schema": {}}
    parameter["schema"] = {"type": "array", "items": {"type": "string"}}
    operation.setdefault("parameters", []).append(parameter)


def add_parameters(operations: list[dict[str, Any]]) -> None:
    for operation in operations:
        add_parameter(operation)


def retype_parameter(operation: dict[str, Any]) -> None:
    parameter = next(p for p in operation["parameters"] if p["name"] == "added_filter")
    parameter["schema"] = {"type": "integer", "minimum": 1}


def remove_parameter(operation: dict[str, Any]) -> None:
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "added_filter"]


def add_response(operation: dict[str, Any], document: dict[str, Any]) -> None:
    """A response with a status no operation answers with: `server.py` imports the
    runtime's class of each status its handlers answer with, and is rendered again."""
    operation["responses"]["418"] = {"description": "A teapot answered."}


def deprecate(operation: dict[str, Any]) -> None:
    operation["deprecated"] = True


def describe_twice(operation: dict[str, Any]) -> None:
    operation["summary"] = "Two strings"
    operation["description"] = "changed at once."


CHANGES: list[Callable[[dict[str, Any], dict[str, Any]], None]] = [
    lambda operation, _: add_parameter(operation),
    lambda operation, _: retype_parameter(operation),
    add_response,
    lambda operation, _: deprecate(operation),
    lambda operation, _: describe_twice(operation),
    lambda operation, _: remove_parameter(operation),
]


@dataclass
class Session:
    """A spec file generated once with the cache, to be changed and generated again."""

    document: dict[str, Any]
    spec: Path
    config: GenerateConfig
    loads: Loads
    monkeypatch: pytest.MonkeyPatch
    indent: int | None = None

    def write(self) -> None:
        self.spec.write_text(json.dumps(self.document, indent=self.indent), encoding="utf-8")

    def regenerated(self) -> tuple[GenerateResult, bool]:
        """The spec written and generated with the cache, and whether it was patched
        (nothing loaded); checked against a run made afresh."""
        self.write()
        before = self.loads.count
        result = generate(self.spec, self.config)
        patched = self.loads.count == before
        expected = afresh(self.spec, self.config, self.monkeypatch)
        assert (result.files, result.diagnostics) == (expected.files, expected.diagnostics)
        return result, patched


def started(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: GenerateConfig | None = None,
    indent: int | None = None,
) -> Session:
    return started_with(document_of(name), tmp_path, monkeypatch, config, indent)


def started_with(
    document: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: GenerateConfig | None = None,
    indent: int | None = None,
) -> Session:
    """`document` written and generated once (the cache filled)."""
    config = config or GenerateConfig(package_name="api")
    session = Session(
        document, tmp_path / "spec.json", config, Loads(monkeypatch), monkeypatch, indent
    )
    session.write()
    run(session.spec, config)
    return session


@pytest.mark.parametrize(
    ("name", "indent"),
    [
        ("realworld/discourse.json", 2),
        ("realworld/googleapis-cloudbuild.json", None),
        ("server/service.yaml", None),  # paginated, streamed and multipart operations
        ("petstore/petstore.yaml", 2),
    ],
)
def test_changes_inside_one_operation_are_built_as_a_full_run_builds_them(
    name: str,
    indent: int | None,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each change (one after the other, into the same folder) is patched, and gives the
    files and diagnostics of a run made afresh."""
    reasons = declines(monkeypatch)
    session = started(name, tmp_path, monkeypatch, indent=indent)
    edited = operations(session.document)[-1]  # not the README's example, the first fit one
    for step, change in enumerate(CHANGES):
        change(edited, session.document)
        _, patched = session.regenerated()
        assert patched, f"change {step} made in full: {reasons[-1]}"


@pytest.mark.parametrize(
    "config",
    [
        GenerateConfig(package_name="api", target="client"),
        GenerateConfig(package_name="api", target="server", runtime="vendored"),
        GenerateConfig(package_name="api", formatter="black"),
        GenerateConfig(package_name="api", formatter="none"),
    ],
    ids=["client", "server-vendored", "black", "unformatted"],
)
def test_every_target_formatter_and_runtime_is_rebuilt_alike(
    config: GenerateConfig, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = started("realworld/discourse.json", tmp_path, monkeypatch, config)
    add_parameter(operations(session.document)[-1])
    assert session.regenerated()[1]


def test_a_change_after_a_prose_edit_and_a_prose_edit_after_a_change(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record each kind of patch leaves serves the other: the text it describes is
    the one the last run read."""
    session = started("realworld/discourse.json", tmp_path, monkeypatch)
    first, last = operations(session.document)[-2], operations(session.document)[-1]
    steps: list[Callable[[], None]] = [
        lambda: first.update(summary="An edited summary."),
        lambda: add_parameter(last),
        lambda: first.update(summary="Edited again, after the change."),
        lambda: add_response(first, session.document),
        # A string of a rebuilt operation is no longer recorded: the operation is rebuilt.
        lambda: last.update(description="An edit of the rebuilt operation."),
    ]
    for index, step in enumerate(steps):
        step()
        assert session.regenerated()[1], f"step {index} was made in full"


def declined() -> list[tuple[str, Change]]:
    """Changes inside one operation that the patch declines, each with why."""

    def enum_parameter(operation: dict[str, Any]) -> None:  # a new inline type
        schema = {"type": "string", "enum": ["one", "two"]}
        operation.setdefault("parameters", []).append(
            {"name": "k", "in": "query", "schema": schema}
        )

    def unresolvable(operation: dict[str, Any]) -> None:
        schema = {"$ref": "#/components/schemas/Nowhere"}
        operation.setdefault("parameters", []).append(
            {"name": "k", "in": "query", "schema": schema}
        )

    def invalid(operation: dict[str, Any]) -> None:  # a path parameter not in the path
        parameter = {"name": "nowhere", "in": "path", "required": True, "schema": {}}
        operation.setdefault("parameters", []).append(parameter)

    def security(operation: dict[str, Any]) -> None:
        operation["security"] = [{"undefined_scheme": []}]

    def into_paths(operation: dict[str, Any]) -> None:  # the rest of the text has none
        target = "#/paths/~1categories.json/get/parameters/0"
        operation.setdefault("parameters", []).append({"$ref": target})

    return [
        ("a new inline type", enum_parameter),
        ("an unresolvable reference", unresolvable),
        ("an invalid operation", invalid),
        ("its operation id", lambda operation: operation.update(operationId="renamed")),
        ("its tags", lambda operation: operation.update(tags=["another"])),
        ("its security", security),
        ("a callback", lambda operation: operation.update(callbacks={})),
        ("a reference into paths", into_paths),
    ]


@pytest.mark.parametrize("case", range(7))
def test_changes_that_reach_beyond_the_operation_run_in_full(
    case: int, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = started("realworld/discourse.json", tmp_path, monkeypatch)
    why, change = declined()[case]
    change(operations(session.document)[-1])
    assert not session.regenerated()[1], f"{why}: patched"


@pytest.mark.parametrize(
    "change",
    [
        lambda d: add_parameters(operations(d)[-2:]),
        lambda d: d["info"].update(title="Another title"),
        lambda d: next(iter(d["paths"].values())).update(summary="A path item's summary"),
    ],
    ids=["two operations", "info", "a path item"],
)
def test_changes_to_two_operations_or_outside_one_run_in_full(
    change: Change, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = started("realworld/discourse.json", tmp_path, monkeypatch)
    change(session.document)
    assert not session.regenerated()[1]


def test_the_readmes_example_operation_renders_the_readme_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README shows how to call one operation: a change of it reaches the README,
    rendered again with the service's modules."""
    reasons = declines(monkeypatch)
    session = started("petstore/petstore.yaml", tmp_path, monkeypatch)
    first = run(session.spec, session.config).files or {}
    shown = re.search(r"result = client\.\w+\.(\w+)\(", first["README.md"])
    assert shown is not None
    example = next(
        op for op in operations(session.document) if snake_case(op["operationId"]) == shown.group(1)
    )
    # A required parameter: the example passes a placeholder for it, or shows another.
    example.setdefault("parameters", []).append(
        {"name": "kind", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    result, patched = session.regenerated()
    assert patched, reasons[-1]
    assert (result.files or {})["README.md"] != first["README.md"]


def test_the_command_writes_the_rebuilt_files(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through `specloom generate`: the folder holds what a run afresh writes."""
    from specloom.cli import main

    document = document_of("realworld/discourse.json")
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    out, fresh = tmp_path / "out" / "api", tmp_path / "fresh" / "api"
    assert main(["generate", str(spec), "--out", str(out), "--quiet"]) == 0
    add_parameter(operations(document)[-1])
    spec.write_text(json.dumps(document), encoding="utf-8")
    loads = Loads(monkeypatch)
    assert main(["generate", str(spec), "--out", str(out), "--quiet"]) == 0
    assert loads.count == 0
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    assert main(["generate", str(spec), "--out", str(fresh), "--quiet"]) == 0
    written = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    expected = {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
    assert written == expected
    assert b"added_filter" in written[Path("api/_client") / _module_of(written, b"added_filter")]


def _module_of(files: dict[Path, bytes], needle: bytes) -> str:
    return next(
        p.name for p, data in files.items() if p.parent.name == "_client" and needle in data
    )


@pytest.mark.parametrize(
    ("edits", "start", "end", "token", "expected"),
    [
        ([], 3, 5, "xyz", [(3, 5, "xyz")]),
        # A string edited again: the same stretch of the base.
        ([(3, 5, "ab")], 3, 5, "abc", [(3, 5, "abc")]),
        # Before and after an earlier edit that made the text 2 longer.
        ([(3, 5, "abcd")], 1, 2, "Z", [(1, 2, "Z"), (3, 5, "abcd")]),
        ([(3, 5, "abcd")], 10, 12, "Z", [(3, 5, "abcd"), (8, 10, "Z")]),
        # An operation holding two edited strings: they are taken into its edit.
        ([(3, 5, "abcd"), (7, 8, "")], 2, 11, "NEW", [(2, 10, "NEW")]),
    ],
)
def test_an_edit_is_kept_as_a_replacement_of_the_base(
    edits: list[tuple[int, int, str]],
    start: int,
    end: int,
    token: str,
    expected: list[tuple[int, int, str]],
) -> None:
    base = "0123456789ABCDEF"
    made = _applied(base, edits)
    assert with_edit(edits, start, end, token) == expected
    assert _applied(base, expected) == made[:start] + token + made[end:]


def test_an_edit_overlapping_an_earlier_one_in_part_is_not_kept() -> None:
    assert with_edit([(3, 6, "abc")], 4, 9, "x") is None


def _applied(base: str, edits: list[tuple[int, int, str]]) -> str:
    pieces, at = [], 0
    for start, end, new in edits:
        pieces += [base[at:start], new]
        at = end
    return "".join([*pieces, base[at:]])


@pytest.mark.parametrize("written", ['"$ref"', '"\\u0024ref"', '"$r\\u0065f"'])
def test_an_operation_another_one_refers_into_runs_in_full(
    written: str, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parameter of one operation read through a `$ref` by another (however the key is
    escaped): a change of it reaches both."""
    document = document_of("petstore/petstore.yaml")
    edited, reader = operations(document)[-1], operations(document)[0]
    edited["parameters"] = [{"name": "shared", "in": "query", "schema": {"type": "string"}}]
    path, method = next(
        (p, m) for p, item in document["paths"].items() for m in METHODS if item.get(m) is edited
    )
    target = "#/paths/" + path.replace("~", "~0").replace("/", "~1") + f"/{method}/parameters/0"
    reader.setdefault("parameters", []).append({"$ref": target})
    spec = tmp_path / "spec.json"

    def write() -> None:
        spec.write_text(json.dumps(document).replace('"$ref"', written), encoding="utf-8")

    write()
    config = GenerateConfig(package_name="api")
    loads = Loads(monkeypatch)
    run(spec, config)
    edited["parameters"][0]["schema"] = {"type": "integer"}
    write()
    result = run(spec, config)
    assert loads.count == 2
    expected = afresh(spec, config, monkeypatch)
    assert (result.files, result.diagnostics) == (expected.files, expected.diagnostics)


def inline_body(operation: dict[str, Any]) -> dict[str, Any]:
    """The object schema of the operation's JSON request body, made inline if needed."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"label": {"type": "string", "description": "A label."}},
        "required": ["label"],
    }
    body = operation.setdefault("requestBody", {"content": {}})
    body["content"] = {"application/json": {"schema": schema}}
    return schema


def started_with_an_inline_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Session, dict[str, Any]]:
    """The petstore, its last operation given an inline request body, generated once;
    that body's schema."""
    document = document_of("petstore/petstore.yaml")
    schema = inline_body(operations(document)[-1])
    spec = tmp_path / "spec.json"
    session = Session(
        document, spec, GenerateConfig(package_name="api"), Loads(monkeypatch), monkeypatch
    )
    session.write()
    run(spec, session.config)
    return session, schema


def test_an_inline_schema_changed_renders_its_models_module_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operation's own model (its inline request body) given a property, a
    description, another type: its module is rendered again with the service's."""
    reasons = declines(monkeypatch)
    session, schema = started_with_an_inline_body(tmp_path, monkeypatch)
    first = run(session.spec, session.config)
    steps: list[Callable[[], None]] = [
        lambda: schema["properties"]["label"].update(description="Described anew."),
        lambda: schema["properties"].update(count={"type": "integer", "minimum": 0}),
        lambda: schema["properties"].update(count={"type": "number"}),
        lambda: schema["required"].append("count"),
    ]
    for index, step in enumerate(steps):
        step()
        result, patched = session.regenerated()
        assert patched, f"step {index} made in full: {reasons[-1]}"
    assert first.files is not None
    assert result.files is not None
    changed = {path for path in result.files if result.files[path] != first.files.get(path)}
    assert any(path.startswith("api/models/") for path in changed), changed


def test_an_inline_schema_using_another_type_runs_in_full(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A property referring to a component: the models modules' imports and layout may
    change, which only a full run makes."""
    session, schema = started_with_an_inline_body(tmp_path, monkeypatch)
    component = next(iter(session.document["components"]["schemas"]))
    schema["properties"]["other"] = {"$ref": f"#/components/schemas/{component}"}
    assert not session.regenerated()[1]


def test_a_record_that_cannot_be_read_makes_the_run_in_full(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record's pickled parts damaged (but its layout readable): never a traceback."""
    import pickle

    import specloom.doc_edits as edits

    session = started("realworld/discourse.json", tmp_path, monkeypatch)

    def damaged(data: bytes, *args: Any, **kwargs: Any) -> Any:
        raise pickle.UnpicklingError("damaged")

    monkeypatch.setattr(edits.pickle, "loads", damaged)
    add_parameter(operations(session.document)[-1])
    assert not session.regenerated()[1]


def test_the_readmes_example_moves_and_the_record_follows(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example made unfit (a required parameter of a model type has no placeholder):
    another operation becomes it, and a change of that one reaches the README in turn."""
    reasons = declines(monkeypatch)
    session = started("petstore/petstore.yaml", tmp_path, monkeypatch)
    readme = (run(session.spec, session.config).files or {})["README.md"]
    component = next(iter(session.document["components"]["schemas"]))
    unfit = {"name": "filter", "in": "query", "required": True}
    unfit["schema"] = {"$ref": f"#/components/schemas/{component}"}
    shown_operation(session.document, readme).setdefault("parameters", []).append(unfit)
    moved, patched = session.regenerated()
    assert patched, reasons[-1]
    shown = (moved.files or {})["README.md"]
    now = shown_operation(session.document, shown)
    assert unfit not in now.get("parameters", [])  # another operation is shown
    flag = {"name": "verbose", "in": "query", "required": True, "schema": {"type": "boolean"}}
    now.setdefault("parameters", []).append(flag)
    again, patched = session.regenerated()
    assert patched, reasons[-1]
    assert "verbose=True" in (again.files or {})["README.md"]


def shown_operation(document: dict[str, Any], readme: str) -> dict[str, Any]:
    """The operation the README's client example calls."""
    from specloom.loading.pointers import lookup, split_pointer
    from specloom.parser.api import parse

    shown = re.search(r"result = client\.\w+\.(\w+)\(", readme)
    assert shown is not None
    api, _ = parse(document)
    pointer = next(
        op.pointer
        for service in api.services
        for op in service.operations
        if op.python_name == shown.group(1)
    )
    operation: dict[str, Any] = lookup(document, split_pointer(pointer) or [])
    return operation


def test_what_the_last_run_said_about_another_operation_of_the_path_item_stands(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warning about the second operation of a path item, moved by a change of the
    first one (written before it)."""
    reasons = declines(monkeypatch)
    document = document_of("petstore/petstore.yaml")
    first, second = document["paths"]["/pets"]["get"], document["paths"]["/pets"]["post"]
    # A default the parser reads otherwise than written (validation does not look there).
    inline_body(second)["properties"]["urgent"] = {"type": "boolean", "default": "true"}
    session = started_with(document, tmp_path, monkeypatch, indent=2)
    said = run(session.spec, session.config).diagnostics
    assert any("/paths/~1pets/post" in d.pointer for d in said), said
    add_parameter(first)
    result, patched = session.regenerated()
    assert patched, reasons[-1]
    assert [d.line for d in result.diagnostics] != [d.line for d in said]  # moved down


_MANY_ESCAPES = '"\\u00e9"' * 1500
"""More escaped characters than are each looked around: the text is then read through."""


@pytest.mark.parametrize(
    ("text", "elsewhere"),
    [
        ('{"$ref": "#/components/schemas/A"}', False),
        ('{"$ref": "#/paths/~1a/get"}', True),
        ('{"\\u0024ref": "#/components/schemas/A"}', True),
        ('{"$re\\u0066": "#/components/schemas/A"}', True),
        ('{"name": "caf\\u00e9", "$ref": "#/components/schemas/A"}', False),
        ('{"a": [' + _MANY_ESCAPES.replace('""', '", "') + "]}", False),
        ('{"a": [' + _MANY_ESCAPES.replace('""', '", "') + '], "\\u0024ref": "x"}', True),
    ],
)
def test_a_ref_key_is_found_however_it_is_written(text: str, elsewhere: bool) -> None:
    from specloom.outside_refs import refers_outside_components

    json.loads(text)  # each text is JSON
    assert refers_outside_components(text) is elsewhere


_UNREAD_MARKER = "text-no-rebuild-reads"


def test_a_rebuild_reads_its_path_item_and_the_components_alone(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of `paths` the changed operation's path item alone is read, and `components/
    examples`, `x-webhooks` as empty, also after a prose edit moved them in the text; the
    files are still a full run's."""
    document = document_of("realworld/discourse.json")
    examples = {"Marker": {"summary": "One.", "value": {"unique": _UNREAD_MARKER}}}
    document["components"]["examples"] = examples
    document["x-webhooks"] = {"hook": {"post": {"description": _UNREAD_MARKER}}}
    edited = operations(document)[-1]
    for response in edited["responses"].values():
        for media in response.get("content", {}).values():
            media["examples"] = {"one": {"$ref": "#/components/examples/Marker"}}
    other = operations(document)[0]
    other["description"] = f"Another path item's operation: {_UNREAD_MARKER}."
    session = started_with(document, tmp_path, monkeypatch, indent=2)
    parsed = json_texts_read(monkeypatch)
    reasons = declines(monkeypatch)
    add_parameter(edited)
    assert session.regenerated()[1], reasons
    described = next(o for o in operations(document)[1:-1] if o.get("description"))
    described["description"] += " Described again, longer than it was before."
    assert session.regenerated()[1]  # a prose edit: what follows it stands further on
    edited["deprecated"] = True
    assert session.regenerated()[1], reasons
    assert reasons == ["patched", "patched"]  # the prose edit was not a rebuild
    rebuilds = [text for text in parsed if '"paths"' in text]
    assert len(rebuilds) == 2
    assert not any(_UNREAD_MARKER in text for text in rebuilds)


def test_a_patched_result_is_reused_as_stored(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digests stored with a patched result (those of the unchanged files taken from
    the result it was patched from) are its files' own: the next run on the same spec
    reuses it whole."""
    session = started("realworld/discourse.json", tmp_path, monkeypatch)
    add_parameter(operations(session.document)[-1])
    patched_result, patched = session.regenerated()
    assert patched
    before = session.loads.count
    reasons = declines(monkeypatch)
    again = run(session.spec, session.config)
    assert session.loads.count == before
    assert reasons == []  # taken whole from the cache: nothing to patch
    assert (again.files, again.digests) == (patched_result.files, patched_result.digests)


def _stored(spec: Path, config: GenerateConfig) -> tuple[str, Any]:
    """The result cache's key of a run on `spec` now, and what is stored under it."""
    import marshal

    from specloom import cache
    from specloom.result_cache import Reuse

    key = Reuse.of(spec, config, skip_validation=False, policy=None).key
    assert key is not None
    data = cache.get_many("result", [key]).get(key)
    return key, None if data is None else marshal.loads(data)


def test_a_patched_result_is_kept_as_the_files_that_differ_from_the_whole_one(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each patched result keeps only its changed files (openapi.json as replacements of
    the whole entry's), over the last whole entry; without that entry it is not used."""
    from specloom import cache

    session = started("realworld/discourse.json", tmp_path, monkeypatch)
    whole_key, whole = _stored(session.spec, session.config)
    edited = operations(session.document)[-1]
    add_parameter(edited)
    assert session.regenerated()[1]
    _, first = _stored(session.spec, session.config)
    edited["deprecated"] = True
    assert session.regenerated()[1]
    _, second = _stored(session.spec, session.config)
    for patched in (first, second):
        mark, base, own, _, digests = patched
        assert (mark, base) == ("patched", whole_key)
        assert len(own) < 10 < len(digests) == len(whole[1])
        assert own["api/openapi.json"][0] is None  # replacements of the whole entry's form
    with monkeypatch.context() as gone:  # the whole entry dropped from the cache
        gone.setattr(cache, "get_many", _without(cache.get_many, whole_key))
        loads = session.loads.count
        again = run(session.spec, session.config)
        assert session.loads.count == loads + 1  # made afresh, not read
    expected = afresh(session.spec, session.config, monkeypatch)
    assert (again.files, again.diagnostics) == (expected.files, expected.diagnostics)


def _without(get_many: Callable[..., dict[str, bytes]], key: str) -> Callable[..., Any]:
    def reading(kind: str, keys: Any) -> dict[str, bytes]:
        return {k: v for k, v in get_many(kind, keys).items() if k != key}

    return reading


def test_validation_of_a_rebuild_is_told_whether_a_schema_may_have_an_id(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last run's record says its text holds no `$id`; a rebuild looks in the changed
    operation's new object alone, and a `$id` it adds is told to validation (which then
    checks every schema), and kept in the record for the next rebuild."""
    import specloom.path_item_check as path_item_check

    told: list[bool | None] = []
    new_validator = path_item_check.new_validator

    def telling(spec: Any, validator_class: Any, may_have_id: bool | None = None) -> Any:
        told.append(may_have_id)
        return new_validator(spec, validator_class, may_have_id)

    monkeypatch.setattr(path_item_check, "new_validator", telling)
    document = document_of("realworld/discourse.json")
    session = started_with(document, tmp_path, monkeypatch, indent=2)
    reasons = declines(monkeypatch)
    edited = operations(document)[-1]
    add_parameter(edited)
    assert session.regenerated()[1], reasons
    edited["parameters"][-1]["schema"]["$id"] = "https://example.com/filter"
    assert session.regenerated()[1], reasons
    retype_parameter(edited)  # the `$id` goes; the record still says the text may hold one
    assert session.regenerated()[1], reasons
    assert told == [False, True, True]


def _hierarchy_document() -> dict[str, Any]:
    ok = {"description": "OK"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/owners": {"get": {"operationId": "listOwners", "responses": {"200": ok}}},
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "responses": {
                        "200": {
                            "description": "The owner.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Owner"}
                                }
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "addPet",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}
                        }
                    },
                    "responses": {"204": {"description": "Added."}},
                },
            },
        },
        "components": {
            "schemas": {
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Kind": {"type": "string", "enum": ["dog", "cat"]},
                "Pet": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string"}},
                    "discriminator": {"propertyName": "kind"},
                },
                "Dog": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Pet"},
                        {"type": "object", "properties": {"barks": {"type": "boolean"}}},
                    ]
                },
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
                "Unrelated": {"type": "object", "properties": {"n": {"type": "integer"}}},
            }
        },
    }


def test_an_operation_newly_reaching_component_schemas_is_rebuilt_from_them(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild reads the component schemas its path item reaches, not the others: one
    that now takes the base of a discriminated hierarchy and an enum parameter reads them
    (and the schemas extending the base), and gives a full run's files."""
    document = _hierarchy_document()
    session = started_with(document, tmp_path, monkeypatch, indent=2)
    parsed = json_texts_read(monkeypatch)
    reasons = declines(monkeypatch)
    edited = document["paths"]["/pets"]["post"]
    edited["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Pet"
    }
    kind = {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Kind"}}
    edited["parameters"] = [kind]
    result, patched = session.regenerated()
    assert patched, reasons
    models = "".join(text for path, text in result.files.items() if "/models/" in path)
    assert "class Dog(" in models
    assert "class Cat(" in models
    assert not any('"Unrelated"' in text for text in parsed)  # nor the whole schemas
    assert any('"barks"' in text for text in parsed)  # Dog, which extends Pet


def test_a_change_validation_finds_wrong_is_made_in_full_and_reported(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation of the rebuilt path item finds the new parameter's `deprecated` not a
    boolean: nothing of the rebuild is kept, and the full run reports it, as a run made
    afresh does."""
    session = started("realworld/discourse.json", tmp_path, monkeypatch, indent=2)
    reasons = declines(monkeypatch)
    edited = operations(session.document)[-1]
    add_parameter(edited)
    assert session.regenerated()[1], reasons
    edited["parameters"][-1]["deprecated"] = "many"
    result, patched = session.regenerated()
    assert not patched
    assert reasons[-1] == "validation may find something"
    assert result.files is None
    errors = [d for d in result.diagnostics if d.level.name == "ERROR"]
    assert any("many" in d.message for d in errors), errors


def test_the_readmes_example_returning_no_model_or_a_component_one_is_rebuilt(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which operation the README shows, and what its handler answers, depend on the model
    it returns: none for a PDF's bytes, a component model's placeholder answer as the last
    full run found it. Both are rebuilt as a full run builds them."""
    pdf = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    owner = {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}}
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Certificates", "version": "1"},
        "paths": {
            "/certificate": {
                "post": {
                    "operationId": "certificate",
                    "responses": {"200": {"description": "The PDF.", "content": pdf}},
                }
            },
            "/owner": {
                "get": {
                    "operationId": "owner",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"200": {"description": "Its owner.", "content": owner}},
                }
            },
        },
        "components": {
            "schemas": {
                "Owner": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                }
            }
        },
    }
    document["paths"]["/owner"]["get"]["parameters"][0]["schema"] = {"type": "string"}
    session = started_with(document, tmp_path, monkeypatch, indent=2)
    reasons = declines(monkeypatch)
    certificate = document["paths"]["/certificate"]["post"]
    add_parameter(certificate)
    result, patched = session.regenerated()
    assert patched, reasons
    owner_get = document["paths"]["/owner"]["get"]
    owner_get["parameters"][0]["required"] = False  # callable without arguments: the example
    result, patched = session.regenerated()
    assert patched, reasons
    assert result.files is not None
    readme = next(text for path, text in result.files.items() if path.endswith("README.md"))
    assert 'return Owner(name="example")' in readme
