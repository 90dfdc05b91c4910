"""A spec built to attack the generator: its strings must come out as the same values,
never as code, and no name may make the generator write outside the output folder."""

from __future__ import annotations

import asyncio
import enum
import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from pydantic import BaseModel

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures/hostile/hostile.yaml"
SPEC: dict[str, Any] = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
PACKAGE = "hostile_pkg"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    root = tmp_path_factory.mktemp("hostile")
    out = root / "out"
    result = generate(HOSTILE, GenerateConfig(package_name=PACKAGE))
    assert result.files is not None, [str(d) for d in result.diagnostics]
    assert write_tree(out, result.files) == []
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module(PACKAGE)
        for module in ("models", "client", "server", "_operations"):
            importlib.import_module(f"{PACKAGE}.{module}")
        yield root, package
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _doc(text: str) -> str:
    return inspect.cleandoc(text.strip())


def _model_for(models: ModuleType, wire_name: str) -> type[BaseModel]:
    description = SPEC["components"]["schemas"][wire_name].get("description")
    exported = [getattr(models, name) for name in models.__all__]  # loaded on first use
    candidates = [
        value for value in exported if isinstance(value, type) and issubclass(value, BaseModel)
    ]
    if description is not None:
        matches = [c for c in candidates if c.__doc__ and _doc(c.__doc__) == _doc(description)]
    else:
        props = set(SPEC["components"]["schemas"][wire_name]["properties"])
        matches = [
            c
            for c in candidates
            if {f.serialization_alias or n for n, f in c.model_fields.items()} == props
        ]
    assert len(matches) == 1, f"no single model for {wire_name!r}"
    return matches[0]


def test_nothing_is_written_outside_the_output_folder(
    generated: tuple[Path, ModuleType],
) -> None:
    root, _ = generated
    assert [p.name for p in root.iterdir()] == ["out"]
    written = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert all(p.is_relative_to(root / "out") for p in written)
    assert not any(
        part in {"..", "escape"} for p in written for part in p.relative_to(root).parts[:-1]
    )


def test_descriptions_come_back_verbatim(generated: tuple[Path, ModuleType]) -> None:
    _, package = generated
    assert package.__doc__ is not None
    assert SPEC["info"]["description"].strip() in package.__doc__ or _doc(
        SPEC["info"]["description"]
    ) in _doc(package.__doc__)
    evil = _model_for(package.models, "..evil.-")
    assert evil.__doc__ is not None
    assert _doc(evil.__doc__) == _doc(SPEC["components"]["schemas"]["..evil.-"]["description"])


def test_property_names_keep_their_wire_names(generated: tuple[Path, ModuleType]) -> None:
    _, package = generated
    evil = _model_for(package.models, "..evil.-")
    aliases = {field.serialization_alias or name for name, field in evil.model_fields.items()}
    assert aliases == set(SPEC["components"]["schemas"]["..evil.-"]["properties"])
    instance = evil.model_validate({"class": "c", '"quoted"': "q", "model_config": 3})
    dumped = instance.model_dump(by_alias=True, exclude_unset=True)
    assert dumped == {"class": "c", '"quoted"': "q", "model_config": 3}


def test_defaults_enums_and_patterns_keep_their_values(generated: tuple[Path, ModuleType]) -> None:
    _, package = generated
    props = SPEC["components"]["schemas"]["..evil.-"]["properties"]
    evil = _model_for(package.models, "..evil.-")
    by_alias = {
        field.serialization_alias or name: field for name, field in evil.model_fields.items()
    }

    assert by_alias["123abc"].default == props["123abc"]["default"]

    mood_values = set(props["mood"]["enum"])
    exported = [getattr(package.models, name) for name in package.models.__all__]
    enums = [
        value for value in exported if isinstance(value, type) and issubclass(value, enum.Enum)
    ]
    mood = [e for e in enums if {m.value for m in e} == mood_values]
    assert len(mood) == 1
    mood_default = by_alias["mood"].default
    assert getattr(mood_default, "value", mood_default) == props["mood"]["default"]

    patterns = [getattr(m, "pattern", None) for m in by_alias["with space"].metadata]
    assert props["with space"]["pattern"] in patterns
    evil.model_validate({"class": "c", '"quoted"': "q", "with space": "a\"b'c\\d"})
    with pytest.raises(ValueError, match="pattern"):
        evil.model_validate({"class": "c", '"quoted"': "q", "with space": "nope"})


def test_operation_paths_and_wire_names_are_exact(generated: tuple[Path, ModuleType]) -> None:
    _, package = generated
    specs = [v for v in _exported(package._operations) if type(v).__name__ == "OperationSpec"]
    paths = {spec.path for spec in specs}
    assert paths == set(SPEC["paths"])
    items = next(s for s in specs if s.path.startswith("/items"))
    wire = {p.wire_name for p in items.params}
    assert wire == {"item-id", "class", 'X-Weird"Header', "self"}
    default = next(p for p in items.params if p.wire_name == "class").default
    assert (
        default
        == SPEC["paths"]['/items/{item-id}/"quoted"']["get"]["parameters"][1]["schema"]["default"]
    )


def test_a_round_trip_through_hostile_names(generated: tuple[Path, ModuleType]) -> None:
    _, package = generated
    specs = [v for v in _exported(package._operations) if type(v).__name__ == "OperationSpec"]
    items = next(s for s in specs if s.path.startswith("/items"))
    api_class = next(
        v
        for v in _exported(package.server)
        if isinstance(v, type) and items in getattr(v, "operations", ())
    )
    evil = _model_for(package.models, "..evil.-")
    seen: dict[str, Any] = {}

    async def handler(self: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return evil.model_validate({"class": "k", '"quoted"': "v"})

    implementation = type("Impl", (api_class,), {items.name: handler})()
    app = package.server.create_app(implementation)
    names = {p.wire_name: p.name for p in items.params}

    async def call() -> Any:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with package.client.AsyncClient(
            base_url="http://test", http_client=http_client
        ) as client:
            service = next(
                getattr(client, attr)
                for attr in package.client._SERVICES
                if hasattr(getattr(client, attr), items.name)
            )
            method = getattr(service, items.name)
            result = await method(**{names["item-id"]: "a/b?c", names['X-Weird"Header']: "\"'\\"})
        await http_client.aclose()
        return result

    result = asyncio.run(call())
    assert result.model_dump(by_alias=True, exclude_unset=True) == {"class": "k", '"quoted"': "v"}
    assert seen[names["item-id"]] == "a/b?c"
    assert seen[names['X-Weird"Header']] == "\"'\\"
    assert (
        seen[names["class"]]
        == items.params[[p.wire_name for p in items.params].index("class")].default
    )


def _exported(module: ModuleType) -> list[Any]:
    """The values a generated module exports, loaded (they are imported on first use)."""
    return [getattr(module, name) for name in module.__all__]
