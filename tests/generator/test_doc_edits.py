"""Regenerating after an edit of one operation's summary or description, by patching the
last run's result: the same files and diagnostics as a run made afresh, byte for byte."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from load_count import Loads
from regenerations import METHODS, afresh, operations, run

from specloom import operation_edits
from specloom.config import GenerateConfig
from specloom.pipeline import GenerateResult, generate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def described_parameters(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The parameter objects with a description: inline in operations and path items, and
    those of `components` (or Swagger's `parameters`) that references name."""
    found: list[dict[str, Any]] = []
    for item in document["paths"].values():
        if not isinstance(item, dict):
            continue
        owners = [item, *(item[m] for m in METHODS if isinstance(item.get(m), dict))]
        for owner in owners:
            found += [
                parameter
                for parameter in owner.get("parameters", [])
                if isinstance(parameter, dict) and isinstance(parameter.get("description"), str)
            ]
    shared = document.get("components", {}).get("parameters") or document.get("parameters")
    found += [
        parameter
        for parameter in (shared or {}).values()
        if isinstance(parameter, dict) and isinstance(parameter.get("description"), str)
    ]
    return [parameter for parameter in found if parameter["description"].strip()]


def described_responses(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The response objects with a description and no headers: in operations, and those
    of `components` (not Swagger 2.0's `responses`: converted, they stand at another
    pointer than in the text, and an edit of one runs in full)."""
    found = [
        response
        for operation in operations(document)
        for response in operation.get("responses", {}).values()
    ]
    found += list(document.get("components", {}).get("responses", {}).values())
    return [response for response in described(found) if not response.get("headers")]


def described_bodies(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The request body objects with a description, in operations and `components`."""
    found = [operation.get("requestBody") for operation in operations(document)]
    found += list(document.get("components", {}).get("requestBodies", {}).values())
    return described(found)


def described(objects: list[Any]) -> list[dict[str, Any]]:
    """The objects of `objects` with a description that is not blank."""
    return [
        each
        for each in objects
        if isinstance(each, dict)
        and isinstance(each.get("description"), str)
        and each["description"].strip()
    ]


def assert_patched_like_afresh(
    spec: Path,
    text: str,
    config: GenerateConfig,
    loads: Loads,
    monkeypatch: pytest.MonkeyPatch,
) -> GenerateResult:
    """Writes `text` as the spec (its line breaks as they are), generates with the cache
    (expecting no load) and without it, and checks both give the same files and
    diagnostics."""
    spec.write_bytes(text.encode("utf-8"))
    before = loads.count
    patched = run(spec, config)
    assert loads.count == before, "the run was made in full, not patched"
    expected = afresh(spec, config, monkeypatch)
    assert patched.files == expected.files
    assert patched.diagnostics == expected.diagnostics
    return patched


CASES = [
    # A single-line spec with a warning after every operation: its column moves.
    ("realworld/apideck-lead.json", None),
    ("realworld/discourse.json", 2),
    ("realworld/googleapis-cloudbuild.json", None),
    ("petstore/petstore.yaml", 2),
    ("server/service.yaml", None),  # paginated, streamed and multipart operations
    ("swagger2/constructs.yaml", None),  # converted from Swagger 2.0, written as JSON
]


def dumped(document: dict[str, Any], written_as: str, indent: int | None) -> str:
    """`document` as JSON (indented or not), or as YAML: block style, long strings folded
    over lines (the width is small), multi-line ones quoted or as literal blocks."""
    if written_as == "json":
        return json.dumps(document, indent=indent)
    return yaml.dump(document, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=60)


class _LiteralDumper(yaml.SafeDumper):
    """Strings with a line break written as literal blocks (`|`), where YAML allows."""


def _literal(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and value == value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)


@pytest.mark.parametrize("written_as", ["json", "yaml"])
@pytest.mark.parametrize(("name", "indent"), CASES)
def test_edits_of_summaries_and_descriptions_are_patched_as_a_full_run_writes_them(
    name: str,
    indent: int | None,
    written_as: str,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = FIXTURES / name
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    for index, operation in enumerate(operations(document)):
        if index % 2 == 0:  # prose for every other operation that has none
            operation.setdefault("summary", f"Operation {index}.")
            operation.setdefault("description", f"What operation {index} does.")
    # A warning placed after every operation (on the same line, when written on one).
    warned = {"type": "integer", "default": "many"}
    if "swagger" in document:
        document.setdefault("definitions", {})["Warned"] = warned
    else:
        document.setdefault("components", {}).setdefault("schemas", {})["Warned"] = warned
    spec = tmp_path / f"spec.{written_as}"
    spec.write_text(dumped(document, written_as, indent), encoding="utf-8")
    config = GenerateConfig(package_name="api")
    loads = Loads(monkeypatch)
    assert any(d.column and "many" in d.message for d in run(spec, config).diagnostics)
    edits = [
        (0, "description", 'Longer now, with "quotes", a \\ and é ✓.\n\nTwo paragraphs.'),
        (-1, "description", ""),
        (-1, "description", "Written again, where it was empty."),
        (-1, "summary", "A summary, edited."),
        (1, "description", "x" * 300),
        (0, "description", "Short again."),  # the first one, edited a second time
        (0, "summary", ""),
        (0, "parameter", "A parameter's description, edited."),
        (-1, "parameter", "The last parameter's, longer: " + "y" * 100),
        (0, "parameter", "Again."),
        (0, "response", "A response's description, edited."),
        (-1, "response", "The last response's, longer: " + "z" * 100),
        (0, "body", "A request body's description, edited."),
        (-1, "body", "The last one's, with `code` and *emphasis*."),
    ]
    made = 0
    parts = {
        "parameter": described_parameters,
        "response": described_responses,
        "body": described_bodies,
    }
    for which, field, value in edits:
        if field in parts:
            having = parts[field](document)
            field = "description"
        else:
            having = [op for op in operations(document) if isinstance(op.get(field), str)]
        if len(having) < 2:
            continue
        having[which][field] = value
        made += 1
        assert_patched_like_afresh(
            spec, dumped(document, written_as, indent), config, loads, monkeypatch
        )
    assert made >= 4
    before = loads.count
    same = run(spec, config)  # the spec as the last patched run left it: stored whole
    assert loads.count == before
    assert same.files == afresh(spec, config, monkeypatch).files


@pytest.mark.parametrize(
    "config",
    [
        GenerateConfig(package_name="api", target="client"),
        GenerateConfig(package_name="api", target="server", formatter="black"),
        GenerateConfig(package_name="api", runtime="vendored", formatter="none"),
    ],
)
def test_every_target_formatter_and_runtime_is_patched_alike(
    config: GenerateConfig, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads((FIXTURES / "benchmarks/github-rate-limit.json").read_text())
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    loads = Loads(monkeypatch)
    run(spec, config)
    operations(document)[0]["description"] = "Edited."
    assert_patched_like_afresh(spec, json.dumps(document), config, loads, monkeypatch)


def edited_elsewhere(document: dict[str, Any]) -> list[str]:
    """Texts of `document` changed where a patch does not reach: each runs in full."""

    def first_response(operation: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = next(iter(operation["responses"].values()))
        return response

    changes: list[Callable[[dict[str, Any], dict[str, Any]], None]] = [
        lambda d, op: op.update(operationId="renamedOperation"),
        lambda d, op: d["info"].update(description="Another API description."),
        lambda d, op: op.update(summary="Two", description="strings at once"),
        lambda d, op: first_response(op).update(headers={"X-Count": {"schema": {}}}),
        lambda d, op: op.update(description={"not": "a string"}),
    ]
    texts = []
    for change in changes:
        edited = json.loads(json.dumps(document))
        change(edited, operations(edited)[0])
        texts.append(json.dumps(edited))
    return texts


def test_any_other_change_runs_in_full(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rebuilding one operation (specloom.operation_edits, tested on its own) turned off:
    # those of these changes that lie inside one operation may be rebuilt.
    monkeypatch.setattr(operation_edits, "patched", lambda *args, **kwargs: None)
    document = json.loads((FIXTURES / "realworld/apideck-lead.json").read_text())
    operations(document)[0].setdefault("summary", "A summary.")
    spec = tmp_path / "spec.json"
    original = json.dumps(document)
    config = GenerateConfig(package_name="api")
    loads = Loads(monkeypatch)
    for text in edited_elsewhere(document):
        spec.write_text(original, encoding="utf-8")
        run(spec, config)
        before = loads.count
        spec.write_text(text, encoding="utf-8")
        result = generate(spec, config)
        assert loads.count == before + 1
        expected = generate(spec, config)  # stored by the full run: the same
        assert result == expected


def test_a_parameter_description_made_blank_runs_in_full(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parameter's blank description gives way to its title (where validation allows
    one): the run is made in full."""
    document = json.loads((FIXTURES / "realworld/apideck-lead.json").read_text())
    parameter = described_parameters(document)[0]
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    config = GenerateConfig(package_name="api")
    loads = Loads(monkeypatch)
    run(spec, config)
    parameter["description"] = " "
    spec.write_text(json.dumps(document), encoding="utf-8")
    result = run(spec, config)
    assert loads.count == 2
    assert result == afresh(spec, config, monkeypatch)


def test_an_edit_that_breaks_the_string_runs_in_full(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads((FIXTURES / "benchmarks/github-rate-limit.json").read_text())
    spec = tmp_path / "spec.json"
    text = json.dumps(document)
    spec.write_text(text, encoding="utf-8")
    config = GenerateConfig(package_name="api")
    loads = Loads(monkeypatch)
    run(spec, config)
    description = json.dumps(operations(document)[0]["description"])
    assert text.count(description) == 1
    # An unescaped quote ends the string early: not JSON any more.
    spec.write_text(text.replace(description, description[:-1] + ' "quoted""'), encoding="utf-8")
    broken = generate(spec, config)
    assert loads.count == 2
    assert broken.files is None
    assert any(d.level.value == "error" for d in broken.diagnostics)


PETSTORE_DESCRIPTION = "Returns the pets in the store, optionally filtered by status."


@pytest.mark.parametrize(
    "edited",
    [
        "Returns the pets: in the store.",  # `: ` in a plain scalar: not YAML any more
        "true",  # read as a boolean, not a string
        "Returns the pets.\n      x-note: added",  # a new member beside the description
        "&anchor Returns the pets.",  # an anchor now on the string
        "Returns the pets. # and a comment",  # a comment after it: the text is not its
    ],
)
def test_a_yaml_edit_that_is_not_one_strings_runs_in_full(
    edited: str, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "petstore.yaml"
    text = (FIXTURES / "petstore/petstore.yaml").read_text(encoding="utf-8")
    assert text.count(PETSTORE_DESCRIPTION) == 1
    spec.write_text(text, encoding="utf-8")
    config = GenerateConfig(package_name="api")
    loads = Loads(monkeypatch)
    run(spec, config)
    spec.write_text(text.replace(PETSTORE_DESCRIPTION, edited), encoding="utf-8")
    result = generate(spec, config)  # some of them are errors
    assert loads.count == 2
    with monkeypatch.context() as without_cache:
        without_cache.setenv("SPECLOOM_NO_CACHE", "1")
        assert result == generate(spec, config)


@pytest.mark.parametrize("line_break", ["\n", "\r\n"])
def test_a_yaml_spec_as_written_by_hand_is_patched(
    line_break: str, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The petstore fixture as it is written (comments, quoting and blocks of its own),
    with Unix or Windows line breaks: a plain one-line description edited into a longer
    one, a literal block, and back."""
    spec = tmp_path / "petstore.yaml"
    text = (FIXTURES / "petstore/petstore.yaml").read_text(encoding="utf-8")
    text = text.replace("\n", line_break)
    spec.write_bytes(text.encode("utf-8"))
    config = GenerateConfig(package_name="api")
    loads = Loads(monkeypatch)
    run(spec, config)
    for edited in (
        "Returns the pets — every one of them, or those of one status.",
        "|\n        Returns the pets.\n\n        Two paragraphs, é ✓.\n".replace("\n", line_break),
        "'Quoted, with ''quotes'' inside.'",
        PETSTORE_DESCRIPTION,
    ):
        edited_text = text.replace(PETSTORE_DESCRIPTION, edited)
        patched = assert_patched_like_afresh(spec, edited_text, config, loads, monkeypatch)
        assert patched.files is not None


def test_the_command_writes_the_patched_files(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specloom.cli import main

    document = yaml.safe_load((FIXTURES / "server/service.yaml").read_text(encoding="utf-8"))
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    assert main(["generate", str(spec), "--out", str(tmp_path / "patched" / "api")]) == 0
    operations(document)[0]["summary"] = "Edited, and patched."
    spec.write_text(json.dumps(document), encoding="utf-8")
    assert main(["generate", str(spec), "--out", str(tmp_path / "patched" / "api")]) == 0
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    assert main(["generate", str(spec), "--out", str(tmp_path / "afresh" / "api")]) == 0
    written, expected = (
        {
            path.relative_to(tmp_path / folder): path.read_bytes()
            for path in sorted((tmp_path / folder).rglob("*"))
            if path.is_file()
        }
        for folder in ("patched", "afresh")
    )
    assert written == expected
    assert any(b"Edited, and patched." in text for text in written.values())


@pytest.mark.parametrize("name", ["server/service.yaml", "realworld/discourse.json"])
def test_an_operations_prose_reaches_only_its_own_client_and_server_modules(name: str) -> None:
    """What the patch relies on: rendered from an IR whose one operation has another
    summary and description, only that operation's tag modules differ."""
    from msgspec.structs import replace

    from specloom.loader import load
    from specloom.parser import parse
    from specloom.render import render

    spec, _ = load(FIXTURES / name)
    assert spec is not None
    api, _ = parse(spec.document)
    config = GenerateConfig(package_name="api")
    before = render(api, config)
    service = api.services[len(api.services) // 2]
    operation = service.operations[-1]
    edited = replace(operation, summary="Another summary.", description="Another text.")
    operations = tuple(edited if op is operation else op for op in service.operations)
    services = tuple(replace(s, operations=operations) if s is service else s for s in api.services)
    after = render(replace(api, services=services), config)
    assert before.keys() == after.keys()
    changed = sorted(path for path in before if before[path] != after[path])
    assert changed == [
        f"api/_client/{service.module_name}.py",
        f"api/_server/{service.module_name}.py",
    ]


@pytest.mark.parametrize("name", ["realworld/apideck-lead.json", "realworld/discourse.json"])
def test_a_parameters_description_reaches_only_its_operations_modules(name: str) -> None:
    from msgspec.structs import replace

    from specloom.loader import load
    from specloom.parser import parse
    from specloom.render import render

    spec, _ = load(FIXTURES / name)
    assert spec is not None
    api, _ = parse(spec.document)
    config = GenerateConfig(package_name="api")
    before = render(api, config)
    service, operation = next(
        (service, operation)
        for service in api.services
        for operation in service.operations
        if operation.parameters
    )
    parameters = list(operation.parameters)
    parameters[-1] = replace(parameters[-1], description="Another description.")
    edited = replace(operation, parameters=tuple(parameters))
    operations = tuple(edited if op is operation else op for op in service.operations)
    services = tuple(replace(s, operations=operations) if s is service else s for s in api.services)
    after = render(replace(api, services=services), config)
    changed = sorted(path for path in before if before[path] != after[path])
    assert changed == [
        f"api/_client/{service.module_name}.py",
        f"api/_server/{service.module_name}.py",
    ]


@pytest.mark.parametrize("name", ["realworld/apideck-lead.json", "petstore/petstore.yaml"])
def test_a_request_bodys_and_a_responses_descriptions_reach_only_their_operations_modules(
    name: str,
) -> None:
    """An error response's description is in the client's `Raises:` only, a success
    response's in no docstring; a request body's in both the client's and the handler's."""
    from msgspec.structs import replace

    from specloom.ir import Operation
    from specloom.loader import load
    from specloom.parser import parse
    from specloom.render import render

    spec, _ = load(FIXTURES / name)
    assert spec is not None
    api, _ = parse(spec.document)
    config = GenerateConfig(package_name="api")
    before = render(api, config)

    def changed_by(edit: Callable[[Operation], Operation | None]) -> list[str]:
        service, operation, edited = next(
            (service, operation, edited)
            for service in api.services
            for operation in service.operations
            if (edited := edit(operation)) is not None
        )
        operations = tuple(edited if op is operation else op for op in service.operations)
        services = tuple(
            replace(s, operations=operations) if s is service else s for s in api.services
        )
        after = render(replace(api, services=services), config)
        return sorted(path for path in before if before[path] != after[path])

    def response(operation: Operation, success: bool) -> Operation | None:
        for index, each in enumerate(operation.responses):
            if each.is_success == success and not each.headers:
                responses = list(operation.responses)
                responses[index] = replace(each, description="Another description.")
                return replace(operation, responses=tuple(responses))
        return None

    def body(operation: Operation) -> Operation | None:
        if operation.body is None:
            return None
        return replace(operation, body=replace(operation.body, description="Another one."))

    client, server = (
        sorted(p for p in before if p.startswith(f"api/_{side}/") and p.endswith(".py"))
        for side in ("client", "server")
    )
    error = changed_by(lambda operation: response(operation, False))
    assert len(error) == 1
    assert error[0] in client
    assert changed_by(lambda operation: response(operation, True)) == []
    edited_body = changed_by(body)
    assert len(edited_body) == 2
    assert edited_body[0] in client
    assert edited_body[1] in server
