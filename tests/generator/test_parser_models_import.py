"""The IR's type annotations are real Python: a models module written from them imports,
in `Api.types` order, and validates data.

The module is written by a deliberately small function here (not the project's
templates), so this checks only what the parser promises: names, annotations,
defaults, and an order in which aliases and enum defaults resolve at import time.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from specloom.escaping import python_literal
from specloom.ir.model import Api, EnumDef, Field, ModelDef, TypeDef
from specloom.parser import parse

ROOT = Path(__file__).parents[2]

LoadModels = Callable[[Api], Any]


def field_line(field: Field) -> str:
    arguments = [] if field.required else [f"default={field.default or 'None'}"]
    if field.python_name != field.wire_name:
        arguments.append(f"alias={python_literal(field.wire_name)}")
    if field.pattern is not None:
        pattern = python_literal(field.pattern)
        arguments.append(
            f"pattern=re.compile({pattern})" if field.python_regex else f"pattern={pattern}"
        )
    arguments += [f"{name}={value}" for name, value in field.constraints]
    value = f" = Field({', '.join(arguments)})" if arguments else ""
    return f"    {field.python_name}: {field.annotation}{value}"


def definition_lines(definition: TypeDef) -> list[str]:
    if isinstance(definition, EnumDef):
        members = [f"    {m.python_name} = {m.value}" for m in definition.members]
        return [f"class {definition.name}({definition.base}, enum.Enum):", *members]
    if isinstance(definition, ModelDef):
        lines = [
            f"class {definition.name}(BaseModel):",
            f"    model_config = ConfigDict(populate_by_name=True, extra={definition.extra!r})",
        ]
        if definition.extra_annotation is not None:
            lines.append(f"    __pydantic_extra__: dict[str, {definition.extra_annotation}]")
        return lines + [field_line(f) for f in definition.fields]
    return [f"{definition.name}: TypeAlias = {definition.annotation}"]


def models_source(api: Api) -> str:
    lines = [
        "from __future__ import annotations",
        "import datetime, enum, re, uuid",
        "from typing import Annotated, Any, Literal, TypeAlias",
        "from pydantic import BaseModel, ConfigDict, Field",
    ]
    for definition in api.types:
        lines += ["", *definition_lines(definition)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def import_models() -> Iterator[LoadModels]:
    created: list[str] = []

    def load(api: Api) -> Any:
        name = f"parsed_models_{len(created)}"
        module = types.ModuleType(name)
        sys.modules[name] = module
        created.append(name)
        exec(compile(models_source(api), name, "exec"), module.__dict__)
        return module

    yield load
    for name in created:
        del sys.modules[name]


def parsed(path: str) -> Api:
    api, _ = parse(yaml.safe_load((ROOT / path).read_text(encoding="utf-8")))
    return api


@pytest.mark.parametrize(
    "path",
    [
        "fixtures/petstore/petstore.yaml",
        "fixtures/parser/types.yaml",
        "fixtures/parser/names.yaml",
        "fixtures/parser/operations.yaml",
        "fixtures/parser/garbage.yaml",
    ],
)
def test_models_module_imports(import_models: LoadModels, path: str) -> None:
    module = import_models(parsed(path))
    api = parsed(path)
    for definition in api.types:
        assert hasattr(module, definition.name)


def test_models_validate_with_wire_names(import_models: LoadModels) -> None:
    module = import_models(parsed("fixtures/petstore/petstore.yaml"))
    order = module.Order.model_validate(
        {"pet_id": 1, "quantity": 2, "ship-date": "2024-01-02T03:04:05Z"}
    )
    assert order.ship_date.year == 2024
    assert order.complete is False
    pet = module.Pet.model_validate(
        {"name": "Rex", "id": 1, "created_at": "2024-01-01T00:00:00Z", "status": "pending"}
    )
    assert pet.status is module.PetStatus.PENDING
    with pytest.raises(ValueError, match="name"):
        module.NewPet.model_validate({"name": ""})


def test_recursive_models_and_enum_defaults_work(import_models: LoadModels) -> None:
    module = import_models(parsed("fixtures/parser/types.yaml"))
    node = module.Node.model_validate({"children": [{"children": []}], "parent": {}})
    assert isinstance(node.children[0], module.Node)
    paint = module.Paint()
    assert (paint.shade, paint.level) == (module.PaintShade.GLOSS, module.Level._2)
    tree = module.Tree.model_validate({"forest": [{"forest": []}]})
    assert isinstance(tree.forest[0], module.Tree)
    open_model = module.Open.model_validate({"a": "x", "b": 2})
    assert open_model.model_extra == {"b": 2}
    with pytest.raises(ValueError, match="Extra inputs"):
        module.Closed.model_validate({"b": 1})


def test_renamed_fields_accept_wire_names(import_models: LoadModels) -> None:
    module = import_models(parsed("fixtures/parser/names.yaml"))
    client = module.ClientModel.model_validate(
        {"class": "a", "json": "b", "9lives": 9, "": "blank"}
    )
    assert (client.class_, client.json_, client.field_9lives, client.field) == (
        "a",
        "b",
        9,
        "blank",
    )
