"""Generator bugs found by sweeping real-world specs, each reproduced by a small fixture
(fixtures/parser/corpus_regressions.yaml) and checked on the generated, imported package."""

from __future__ import annotations

import enum
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic
from specloom.pipeline import generate
from specloom.write import write_tree

SPEC = Path(__file__).parents[2] / "fixtures" / "parser" / "corpus_regressions.yaml"
PACKAGE = "corpus_regressions"
SCHEMA = "/components/schemas/PathfinderRequest/properties"


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, ModuleType], list[Diagnostic]]]:
    """The fixture's package, imported (`models`, `_operations`), and its diagnostics."""
    result = generate(SPEC, GenerateConfig(package_name=PACKAGE), skip_validation=True)
    assert result.files is not None, [str(d) for d in result.diagnostics]
    project = tmp_path_factory.mktemp("corpus") / PACKAGE
    assert write_tree(project, result.files) == []
    sys.path.insert(0, str(project))
    try:
        modules = {m: importlib.import_module(f"{PACKAGE}.{m}") for m in ("models", "_operations")}
        yield modules, result.diagnostics
    finally:
        sys.path.remove(str(project))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_a_list_default_of_enum_values_holds_enum_members(
    generated: tuple[dict[str, ModuleType], list[Diagnostic]],
) -> None:
    models = generated[0]["models"]
    tags = models.PathfinderRequest().entity_tags
    assert tags == [models.PathfinderRequestEntityTagsItem.EXCHANGE]
    assert all(isinstance(tag, enum.Enum) for tag in tags)


def test_a_list_default_of_nullable_enum_values_keeps_its_nulls(
    generated: tuple[dict[str, ModuleType], list[Diagnostic]],
) -> None:
    models = generated[0]["models"]
    assert models.PathfinderRequest().maybe_tags == [models.PathfinderRequestMaybeTagsItem.A, None]


def test_a_parameter_list_default_of_enum_values_holds_enum_members(
    generated: tuple[dict[str, ModuleType], list[Diagnostic]],
) -> None:
    modules = generated[0]
    (pos,) = modules["_operations"].SEARCH.params
    item = modules["models"].SearchPosItem
    assert pos.default == [item.NOUN, item.VERB]
    assert all(isinstance(value, item) for value in pos.default)


@pytest.mark.parametrize("field", ["stray_tags", "jobTypes"])
def test_a_default_that_does_not_fit_is_dropped_with_a_warning(
    generated: tuple[dict[str, ModuleType], list[Diagnostic]], field: str
) -> None:
    models, diagnostics = generated
    request = models["models"].PathfinderRequest()
    python_name = "job_types" if field == "jobTypes" else field
    assert getattr(request, python_name) is None
    assert f"{SCHEMA}/{field}/default" in {d.pointer for d in diagnostics}


def test_a_schemaless_json_response_beside_a_typed_media_range_is_any_value(
    generated: tuple[dict[str, ModuleType], list[Diagnostic]],
) -> None:
    modules = generated[0]
    (ok,) = modules["_operations"].LIST_ADDONS.responses
    # `*/*` with a schema is read as JSON, the Content-Type `application/json` declares
    # with no schema: any value, as the spec says; one entry, not two.
    assert ok.content_type == "application/json"
    assert ok.annotation == Any
    assert ok.media == ()


def test_a_model_only_one_of_several_request_media_types_holds_is_imported(
    generated: tuple[dict[str, ModuleType], list[Diagnostic]],
) -> None:
    modules = generated[0]
    body = modules["_operations"].ADD_ADDON.body
    form = modules["models"].AddAddonRequestXWwwFormUrlencoded
    assert dict(body.media)["application/x-www-form-urlencoded"] == form
