"""Real-world specs (fixtures/realworld/) generate, import, hold their own examples and pass
`mypy --strict`.

The three specs are published APIs copied from the APIs.guru directory; see
fixtures/realworld/README.md for their origin and license.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT / "fixtures" / "realworld"
MODULES = ("models", "client", "server")


@dataclass(frozen=True)
class RealWorldCase:
    file: str
    package: str
    model: str
    """A generated model the spec gives an example of."""
    example_schema: str
    """JSON pointer to the schema whose example (or properties' examples) `model` gets."""

    @property
    def spec(self) -> Path:
        return REALWORLD / self.file


CASES = (
    RealWorldCase(
        "apideck-lead.json", "rw_apideck_lead", "LeadsFilter", "/components/schemas/LeadsFilter"
    ),
    RealWorldCase(
        "discourse.json",
        "rw_discourse",
        "CompleteMultipartRequest",
        "/paths/~1uploads~1complete-multipart.json/post/requestBody/content/application~1json/schema",
    ),
    RealWorldCase(
        "ato-business-registries.json",
        "rw_ato",
        "FailedPrecondition",
        "/components/schemas/failed-precondition",
    ),
)


@dataclass(frozen=True)
class Generated:
    """One case's generated project folder and imported modules."""

    case: RealWorldCase
    project: Path
    modules: dict[str, ModuleType]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Generated]]:
    """Every case generated (validation on), written and imported, by package name."""
    root = tmp_path_factory.mktemp("realworld")
    projects: dict[str, Generated] = {}
    try:
        for case in CASES:
            result = generate(case.spec, GenerateConfig(package_name=case.package))
            assert result.files is not None, [str(d) for d in result.diagnostics]
            assert [str(d) for d in result.diagnostics] == []
            project = root / case.package
            assert write_tree(project, result.files) == []
            sys.path.insert(0, str(project))
            modules = {m: importlib.import_module(f"{case.package}.{m}") for m in MODULES}
            projects[case.package] = Generated(case, project, modules)
        yield projects
    finally:
        for entry in projects.values():
            sys.path.remove(str(entry.project))
        prefixes = tuple(case.package for case in CASES)
        for name in [m for m in sys.modules if m.split(".")[0] in prefixes]:
            del sys.modules[name]


def resolve(document: Any, pointer: str) -> Any:
    for token in pointer.lstrip("/").split("/"):
        document = document[token.replace("~1", "/").replace("~0", "~")]
    return document


def spec_example(case: RealWorldCase) -> dict[str, Any]:
    """The schema's own `example`, else one built from its properties' examples (`example`
    in 3.0, the first of `examples` in 3.1)."""
    schema = resolve(json.loads(case.spec.read_text()), case.example_schema)
    if "example" in schema:
        return dict(schema["example"])
    example = {}
    for name, prop in schema["properties"].items():
        if "example" in prop:
            example[name] = prop["example"]
        elif prop.get("examples"):
            example[name] = prop["examples"][0]
    return example


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.package)
def test_a_model_holds_the_specs_own_example(
    generated: dict[str, Generated], case: RealWorldCase
) -> None:
    example = spec_example(case)
    assert example
    model = getattr(generated[case.package].modules["models"], case.model)
    instance = model.model_validate(example)
    dumped = instance.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == example


def test_every_tag_becomes_a_service_named_after_it(generated: dict[str, Generated]) -> None:
    ato = generated["rw_ato"]
    document = json.loads(ato.case.spec.read_text())
    first_tags = {
        operation["tags"][0]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and operation.get("tags")
    }
    assert "License Types" in first_tags
    client = ato.modules["client"].Client(base_url="https://example.invalid")
    try:
        # Services are made on first use: cached properties of the client class.
        attributes = {
            name
            for name, value in vars(type(client)).items()
            if isinstance(value, functools.cached_property)
        }
        assert all(getattr(client, name) is getattr(client, name) for name in attributes)
        assert len(attributes) == len(first_tags)
        assert {"license_types", "business_name_lifecycle_states"} <= attributes
    finally:
        client.close()


def test_a_call_sends_deep_object_query_and_header_parameters(
    generated: dict[str, Generated],
) -> None:
    modules = generated["rw_apideck_lead"].modules
    models = modules["models"]
    sent: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        lead = {"name": "Elon Musk", "company_name": None}
        body = {"status_code": 200, "status": "OK", "service": "s", "resource": "leads"}
        return httpx.Response(200, json={**body, "operation": "all", "data": [lead]})

    transport = httpx.MockTransport(reply)
    http_client = httpx.Client(transport=transport)
    with modules["client"].Client(http_client=http_client, api_key="Bearer secret") as client:
        leads = client.leads.leads_all(
            x_apideck_consumer_id="consumer-1",
            x_apideck_app_id="app-1",
            limit=5,
            filter=models.LeadsFilter(first_name="Elon"),
            sort=models.LeadsSort(by=models.LeadsSortBy.NAME),
        )
    assert [lead.name for lead in leads.data] == ["Elon Musk"]
    (request,) = sent
    assert request.url.path == "/lead/leads"
    assert request.url.params["filter[first_name]"] == "Elon"
    assert request.url.params["sort[by]"] == "name"
    assert request.url.params["limit"] == "5"
    assert request.headers["x-apideck-consumer-id"] == "consumer-1"
    assert request.headers["authorization"] == "Bearer secret"  # the operation's API key


def test_generated_packages_pass_mypy_strict(
    generated: dict[str, Generated], tmp_path: Path
) -> None:
    # The runtime is installed in editable mode, which mypy cannot follow: point at its source.
    paths = [str(ROOT / "runtime"), *(str(g.project) for g in generated.values())]
    packages = [arg for name in generated for arg in ("-p", name)]
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), *packages],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": os.pathsep.join(paths)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_fixtures_keep_their_license_and_origin() -> None:
    readme = (REALWORLD / "README.md").read_text()
    for case in CASES:
        info = json.loads(case.spec.read_text())["info"]
        assert info["license"]["name"]
        assert info["x-origin"][0]["url"] in readme
        assert f"`{case.file}`" in readme
