"""Rendering: hand-built IR in, the generated package's files out -- checked as text, by
importing and using the generated modules, and with mypy and ruff."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import jinja2
import pydantic
import pytest
import tomllib
import yaml

import specloom_runtime
from specloom.config import GenerateConfig
from specloom.diagnostics import has_errors
from specloom.escaping import python_literal
from specloom.ir import Api, References
from specloom.parser import parse
from specloom.render import environment, render
from specloom.render.format import format_files
from specloom_runtime._adapters import adapter_for
from specloom_runtime.errors import InvalidRequest
from specloom_runtime.serialization import ParameterValueError
from specloom_runtime.server import NotImplementedOperation
from tests.generator import ir_factory as ir

HOSTILE = (
    "q\"uo'te \"\"\" ''' back\\slash \\n {{ x }} {% if y %}{% endif %} {# c #}\n"
    "line two\r\nline three\u2028sep\rcr"
)
"""Spec text that would break out of a literal, a docstring or a template if copied raw."""

HOSTILE_LINE = "a \"b\" 'c' \\d {{ e }} {% f %} \u2028 g"
"""Hostile text without line breaks (for one-line places: summaries, labels)."""

ENDS_WITH_QUOTE = 'ends with "a quote"'
"""A one-line docstring black would pad if its last character were a raw quote."""

HOSTILE_URL = f"https://example.com/{HOSTILE_LINE}"

HOSTILE_PATTERN = "^[\"'\\\\]*\\{\\{ x \\}\\}$"
"""A regular expression with quotes, a backslash class and braces."""

PETSTORE = Path(__file__).resolve().parents[2] / "fixtures/petstore/petstore.yaml"

Loader = Callable[[Api, str], SimpleNamespace]


def _joined(files: dict[str, str], package: str, name: str) -> str:
    """The text of everything a module is split into, joined: `models` (models/*.py),
    `_operations` (_operations/*.py), `client` (client.py and _client/*.py), `server`
    (server.py and _server/*.py)."""
    parts = {"models": ["models/"], "_operations": ["_operations/"]}
    parts["client"] = ["client.py", "_client/"]
    parts["server"] = ["server.py", "_server/"]
    prefixes = tuple(f"{package}/{part}" for part in parts.get(name, [f"{name}.py"]))
    return "".join(text for path, text in files.items() if path.startswith(prefixes))


def _write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.fixture
def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Loader]:
    """Render, format, write and import a package; its modules are unloaded afterwards."""
    loaded: list[str] = []

    def load_package(api: Api, package: str) -> SimpleNamespace:
        _write(tmp_path, format_files(render(api, GenerateConfig(package))))
        monkeypatch.syspath_prepend(str(tmp_path))
        loaded.append(package)
        names = ("models", "_operations", "client", "server")
        modules = {name: importlib.import_module(f"{package}.{name}") for name in names}
        return SimpleNamespace(package=importlib.import_module(package), **modules)

    yield load_package
    for name in list(sys.modules):
        if name.partition(".")[0] in loaded:
            del sys.modules[name]


def _hostile_api() -> Api:
    references = References(types=("Mood",))
    return ir.api(
        title=HOSTILE,
        version=HOSTILE,
        description=HOSTILE,
        server_url=HOSTILE_URL,
        types=(
            ir.enum("Mood", python_literal(HOSTILE), python_literal(""), description=HOSTILE),
            ir.model(
                "Note",
                ir.field("text", "str", pattern=HOSTILE_PATTERN, description=HOSTILE),
                ir.field("mood", "Mood | None", required=False, description=HOSTILE_LINE),
                ir.field(
                    "label",
                    "str | None",
                    wire_name=HOSTILE_LINE,
                    required=False,
                    default=python_literal(HOSTILE),
                    description='"""',
                ),
                description=HOSTILE,
                references=references,
            ),
            ir.model("Quoted", ir.field("text"), description=ENDS_WITH_QUOTE),
        ),
        services=(
            ir.service(
                "notes",
                ir.operation(
                    "find_notes",
                    path=HOSTILE,
                    summary=HOSTILE_LINE,
                    description=HOSTILE,
                    parameters=(
                        ir.parameter(
                            "mood",
                            "Mood",
                            wire_name=HOSTILE_LINE,
                            description=HOSTILE_LINE,
                            default=python_literal(HOSTILE),
                        ),
                    ),
                    responses=(
                        ir.response("200", "list[Note]", description=HOSTILE),
                        ir.response("404", None, description=HOSTILE_LINE),
                    ),
                    references=References(types=("Mood", "Note")),
                ),
                description=HOSTILE,
            ),
        ),
    )


def _petstore_fixture() -> Api:
    api, diagnostics = parse(yaml.safe_load(PETSTORE.read_text(encoding="utf-8")))
    assert not has_errors(diagnostics), [str(d) for d in diagnostics]
    return api


def _read_back(text: str) -> str:
    """What a docstring made from `text` reads back as through `inspect.getdoc`."""
    return inspect.cleandoc(text.replace("\r\n", "\n"))


# -- the files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "parts"),
    [("all", {"client", "server"}), ("client", {"client"}), ("server", {"server"})],
)
def test_renders_the_files_of_the_target(target: str, parts: set[str]) -> None:
    config = GenerateConfig("petstore", target=target)  # type: ignore[arg-type]
    api = ir.petstore()
    files = render(api, config)
    services = [service.attribute_name for service in api.services]
    models = ["_error", "_inventory", "_pet", "_pet_list"]
    expected = ["README.md", "petstore/__init__.py", "petstore/py.typed", "pyproject.toml"]
    expected += ["petstore/models/__init__.py"] + [f"petstore/models/{m}.py" for m in models]
    expected += ["petstore/_operations/__init__.py"]
    expected += [f"petstore/_operations/{service}.py" for service in services]
    if "client" in parts:  # one module of services per tag, loaded when first used
        expected += ["petstore/client.py", "petstore/_client/__init__.py"]
        expected += [f"petstore/_client/{service}.py" for service in services]
    if "server" in parts:  # the API classes too, one module per tag
        expected += ["petstore/server.py", "petstore/_server/__init__.py"]
        expected += [f"petstore/_server/{service}.py" for service in services]
    assert list(files) == sorted(expected)
    assert files["petstore/py.typed"] == ""


def test_rendering_is_deterministic_and_the_environment_is_built_once() -> None:
    first = render(ir.petstore(), GenerateConfig("petstore"))
    assert render(ir.petstore(), GenerateConfig("petstore")) == first
    assert environment() is environment()
    assert environment().undefined is jinja2.StrictUndefined


def test_models_are_split_into_modules_importing_what_they_need() -> None:
    files = render(ir.petstore(), GenerateConfig("petstore"))
    pet = files["petstore/models/_pet.py"]
    # The header line (`render.headers`) comes first, then the module docstring.
    header, _, rest = pet.partition("\n")
    assert header == "# Generated by specloom from an OpenAPI spec; do not edit."
    assert rest.startswith('"""Models of the Petstore API: PetStatus, Pet."""\n\nfrom __future__')
    assert (
        "import datetime\nimport enum\n\nfrom pydantic import BaseModel, ConfigDict, Field\n" in pet
    )
    # An enum used by one model only lives beside it, before it.
    assert pet.index("class PetStatus(str, enum.Enum):") < pet.index("class Pet(BaseModel):")
    pet_list = files["petstore/models/_pet_list.py"]
    assert "from typing import TypeAlias\n\nfrom ._pet import Pet\n" in pet_list
    assert "PetList: TypeAlias = list[Pet]\n" in pet_list
    assert "    model_config = ConfigDict(defer_build=True, populate_by_name=True)\n" in pet
    born = (
        "    born_at: datetime.datetime | None = Field(\n"
        '        default=None, validation_alias="born-at", serialization_alias="born-at"\n'
        "    )\n"
    )
    assert born + '    """When the pet was born."""\n' in pet
    assert "    status: PetStatus | None = None\n    born_at" in pet  # no empty docstring
    inventory = files["petstore/models/_inventory.py"]
    assert (
        '    model_config = ConfigDict(defer_build=True, populate_by_name=True, extra="allow")\n'
        in inventory
    )
    assert "    __pydantic_extra__: dict[str, int] = Field(init=False)\n" in inventory
    index = files["petstore/models/__init__.py"]
    assert "if TYPE_CHECKING:\n    from ._error import Error\n" in index
    assert '    "PetList": "._pet_list",\n' in index
    assert "import datetime" not in index
    assert "pydantic" not in index


def test_models_referring_to_each_other_share_a_module() -> None:
    cycle = References(types=("Node", "Tree"))
    api = ir.api(
        types=(
            ir.model("Node", ir.field("tree", "Tree | None", required=False), references=cycle),
            ir.model("Tree", ir.field("root", "Node"), references=cycle),
            ir.model("Leaf", ir.field("value")),
        )
    )
    files = render(api, GenerateConfig("things"))
    models = sorted(path for path in files if path.startswith("things/models/"))
    assert models == [
        "things/models/__init__.py",
        "things/models/_leaf.py",
        "things/models/_node.py",
    ]
    node = files["things/models/_node.py"]
    assert node.index("class Node(BaseModel):") < node.index("class Tree(BaseModel):")
    assert "from ." not in node


def test_field_options_defaults_and_constraints() -> None:
    api = ir.api(
        types=(
            ir.model(
                "Thing",
                ir.field("code", "str", pattern="^[a-z]+$", constraints=(("min_length", "1"),)),
                ir.field("size", "int | None", required=False, default="3"),
                ir.field("old", "str | None", required=False, deprecated=True),
                ir.field("nullable", "str | None", nullable=True),
            ),
            ir.enum("Level", "1", "2", base="int"),
        )
    )
    models = _joined(render(api, GenerateConfig("things")), "things", "models")
    assert '    code: str = Field(pattern="^[a-z]+$", min_length=1)\n' in models
    assert "    size: int | None = 3\n" in models
    assert '    old: str | None = None\n    """Deprecated."""\n' in models
    assert "    nullable: str | None\n" in models
    assert "class Level(int, enum.Enum):\n    MEMBER_0 = 1\n    MEMBER_1 = 2\n" in models


def test_operation_descriptors_match_the_documented_shape() -> None:
    files = render(ir.petstore(), GenerateConfig("petstore"))
    operations = files["petstore/_operations/pets.py"].partition("\n")[2]  # after the header
    assert operations.startswith(
        '"""Descriptors of the operations of the `pets` service."""\n\nimport uuid\n'
    )
    assert "from ..models import Error, Pet, PetStatus\n" in operations
    assert "from ..models import Inventory\n" in files["petstore/_operations/store.py"]
    index = files["petstore/_operations/__init__.py"]
    assert '    "LIST_PETS": ".pets",\n' in index
    assert "    from .pets import CREATE_PET, DELETE_PET, GET_PET, LIST_PETS\n" in index
    assert (
        '        ParamSpec(name="limit", wire_name="limit", location="query", annotation=int),\n'
    ) in operations
    assert 'location="header", annotation=uuid.UUID),\n' in operations
    assert "annotation=int, required=True),\n" in operations
    assert (
        'body=BodySpec(annotation=Pet, content_type="application/json", required=True),\n'
    ) in operations
    assert (
        'ResponseSpec(status="204", annotation=None, content_type=None, is_success=True),\n'
    ) in operations
    assert '        ResponseSpec(status="404", annotation=Error),\n' in operations
    assert '    tags=("pets",),\n' in operations
    assert "tags=" not in files["petstore/_operations/default.py"]  # untagged


def test_param_specs_carry_value_types_styles_and_defaults() -> None:
    optional = ir.parameter("ids", "list[int]", style="pipeDelimited", explode=False, default="[1]")
    header = ir.parameter("trace", "str", location="header", explode=True)
    api = ir.api(
        services=(
            ir.service(
                "things",
                ir.operation(
                    "list_things",
                    parameters=(optional, header),
                    request_body=ir.body("list[str]", required=False),
                    responses=(ir.response("204"),),
                ),
            ),
        )
    )
    operations = render(api, GenerateConfig("things"))["things/_operations/things.py"]
    assert (
        'ParamSpec(name="ids", wire_name="ids", location="query", annotation=list[int],'
        ' style="pipeDelimited", default=[1]),'
    ) in operations
    assert 'location="header", annotation=str, explode=True),' in operations
    assert "body=BodySpec(annotation=list[str], " in operations
    assert "required=False)" in operations
    client = render(api, GenerateConfig("things"))["things/_client/things.py"]
    assert "ids: list[int] | None = None, trace: str | None = None, body: list[str] | None" in (
        client
    )


def _limited_api() -> Api:
    limit = ir.parameter("limit", "int", constraints=(("ge", "1"), ("le", "100")))
    code = ir.parameter(
        "code",
        "str",
        location="path",
        required=True,
        constraints=(("pattern", python_literal(HOSTILE_PATTERN)), ("max_length", "40")),
    )
    operation = ir.operation(
        "list_things",
        path="/things/{code}",
        parameters=(code, limit),
        responses=(ir.response("204"),),
    )
    return ir.api(services=(ir.service("things", operation),))


def test_constrained_params_are_annotated_in_specs_and_signatures() -> None:
    files = render(_limited_api(), GenerateConfig("things"))
    operations = files["things/_operations/things.py"]
    assert "from typing import Annotated\n\nfrom pydantic import Field\n" in operations
    assert 'location="query", annotation=Annotated[int, Field(ge=1, le=100)]),' in operations
    pattern = python_literal(HOSTILE_PATTERN)
    assert f"annotation=Annotated[str, Field(pattern={pattern}, max_length=40)]" in operations
    # Signatures show the limits too (a caller sees them; the client checks them).
    code = f"code: Annotated[str, Field(pattern={pattern}, max_length=40)]"
    signature = f"(self, *, {code}, limit: Annotated[int, Field(ge=1, le=100)] | None = None)"
    assert f"    def list_things{signature} -> None:\n" in files["things/_client/things.py"]
    assert f"    async def list_things{signature} -> None:\n" in files["things/_server/things.py"]
    for module in ("_client/things", "_server/things"):
        assert re.search(r"^from typing import .*\bAnnotated\b", files[f"things/{module}.py"], re.M)
        assert "\nfrom pydantic import Field\n" in files[f"things/{module}.py"]
    assert "Annotated" not in _joined(files, "things", "models")
    petstore = render(ir.petstore(), GenerateConfig("petstore"))
    unconstrained = _joined(petstore, "petstore", "_operations")
    assert "Annotated" not in unconstrained
    assert "pydantic" not in unconstrained


def test_client_and_server_import_exactly_what_they_use() -> None:
    files = render(ir.petstore(), GenerateConfig("petstore"))
    client, server = files["petstore/client.py"], files["petstore/server.py"]
    pets, pets_api = files["petstore/_client/pets.py"], files["petstore/_server/pets.py"]
    # Error types error responses: `<op>_with_response` returns them without raise_for_status.
    assert "from ..models import Error, Pet, PetStatus\n" in pets
    assert "from .._operations import pets as _operations\n" in pets
    assert "from specloom_runtime.response import Response\n" in pets
    assert "from ..models import Error, Pet, PetStatus\n" in pets_api
    assert "from .._operations import pets as _operations\n" in pets_api
    # server.py imports its API classes on first use: no models, no descriptors.
    assert "import Error" not in server
    assert "_operations" not in server
    assert "    from ._server.pets import PetsApi\n" in server
    assert "from types import TracebackType\n" in client
    assert "models" not in client.partition("class Client(")[0]  # services load models
    assert "from collections.abc import Mapping\n" not in client
    assert "from specloom_runtime.client_base import AsyncClientBase, ClientBase\n" in client
    # httpx, pydantic and the client core are for type checkers until a client is made.
    assert "\nimport httpx\n" not in client
    assert "    import httpx\n" in client.partition("class Client(")[0]
    assert "    from ._client.pets import AsyncPetsService, PetsService\n" in client
    server_names = "NotFound, NotImplementedOperation, WithStatus"
    assert f"from specloom_runtime.server import {server_names}\n" in pets_api
    # The status responses the handlers answer with are exported too.
    server_runtime = "NotFound, WithStatus, build_app, packaged_spec"
    assert f"from specloom_runtime.server import {server_runtime}\n" in server
    assert '    "NotFound",\n' in server.partition("if TYPE_CHECKING")[0]
    assert "from starlette.applications import Starlette\n" in server
    # Literal: create_app's `validate_responses: bool | Literal["always"]`.
    assert "from typing import TYPE_CHECKING, Literal\n" in server


def test_client_and_handler_methods_share_parameters_and_docstrings() -> None:
    files = render(ir.petstore(), GenerateConfig("petstore"))
    client, server = _joined(files, "petstore", "client"), _joined(files, "petstore", "server")
    signature = "(self, *, pet_id: int)"
    assert f"    def get_pet{signature} -> Pet:\n" in client
    assert f"    async def get_pet{signature} -> Pet:\n" in client
    assert f"    def get_pet_with_response{signature} -> Response[Pet | Error]:\n" in client
    assert (
        f"    async def get_pet{signature} -> Pet | NotFound[Error] | resources.Resource:\n"
        in server
    )
    assert '        raise NotImplementedOperation("get_pet")\n' in server
    assert '        return self._core.send(_operations.GET_PET, {"pet_id": pet_id})\n' in client
    assert "        return self._core.send(_operations.CREATE_PET, {}, body)\n" in client
    doc = '        """List pets\n\n        Returns the pets in the store.\n\n        Args:\n'
    assert doc in client
    assert doc in server
    assert "DeclaredStatusError: ``default``: Something went wrong. (body: Error)" in client
    assert "DeclaredStatusError" not in server
    assert '    def health(self) -> None:\n        """`GET /health`"""\n' in client


def test_client_base_url_defaults_to_the_first_absolute_server_url() -> None:
    with_server = render(ir.api(), GenerateConfig("things"))["things/client.py"]
    # The spec's URL is only the last resort: an http_client's own base_url wins over it.
    assert "        base_url: str | None = None,\n" in with_server
    assert 'choose_base_url(base_url, http_client, "https://things.example.com/v1"),' in with_server
    for server_url in (None, "/v1"):
        without = render(ir.api(server_url=server_url), GenerateConfig("things"))
        assert "choose_base_url(base_url, http_client, None)," in without["things/client.py"]
        assert 'with Client("http://localhost:8000") as client:' in without["README.md"]


def test_pyproject_metadata() -> None:
    config = GenerateConfig("my_things", target="client")
    project = tomllib.loads(render(ir.api(title="My\n Things"), config)["pyproject.toml"])
    # `-client`: the distribution never takes the name of the API's own project (`stripe`).
    assert project["project"]["name"] == "my-things-client"
    assert project["project"]["version"] == "1.0.0"
    assert project["project"]["description"] == "My Things"
    assert project["project"]["dependencies"][:5] == [
        "specloom-runtime",
        "anyio>=4",
        "defusedxml>=0.7",  # XML bodies are parsed with it
        "httpx>=0.27",
        "pydantic>=2.11",  # Omittable fields use Field(exclude_if=...)
    ]
    assert "optional-dependencies" not in project["project"]
    # The package and its folders of split modules (`--target client`: no server side).
    assert project["tool"]["setuptools"]["packages"] == [
        "my_things",
        "my_things._client",
        "my_things._operations",
        "my_things.models",
    ]
    assert project["tool"]["setuptools"]["package-data"] == {"*": ["py.typed"]}
    both = tomllib.loads(render(ir.api(version="v1 beta"), GenerateConfig("t"))["pyproject.toml"])
    assert both["project"]["version"] == "0.1.0"
    assert both["project"]["name"] == "t-client"
    # A client user does not install starlette: the server's needs are an extra.
    assert both["project"]["dependencies"][0] == "specloom-runtime"
    assert both["project"]["optional-dependencies"] == {"server": ["specloom-runtime[server]"]}
    server_only = GenerateConfig("t", target="server", distribution="t-service")
    server = tomllib.loads(render(ir.api(), server_only)["pyproject.toml"])
    assert server["project"]["name"] == "t-service"
    assert server["project"]["dependencies"][0] == "specloom-runtime[server]"


def test_readme_examples_use_a_real_operation(load: Loader) -> None:
    api = ir.petstore()
    readme = render(api, GenerateConfig("readme_pets"))["README.md"]
    header, _, readme = readme.partition("\n\n")
    assert header == "<!-- Generated by specloom from an OpenAPI spec; do not edit. -->"
    assert readme.startswith("# Petstore\n\nA pet store.\n")
    client_code, server_code = readme.split("```python\n")[1:3]
    client_code, server_code = client_code.split("```")[0], server_code.split("```")[0]
    assert "    result = client.pets.list_pets()\n" in client_code
    compile(client_code, "README client example", "exec")
    load(api, "readme_pets")
    namespace: dict[str, object] = {}
    exec(compile(server_code, "README server example", "exec"), namespace)
    assert type(namespace["app"]).__name__ == "Starlette"
    assert "async def list_pets(\n" in server_code


def test_readme_example_prefers_a_call_without_a_body() -> None:
    create = ir.operation(
        "create_thing",
        method="POST",
        request_body=ir.body("str"),
        responses=(ir.response("201", "str"),),
    )
    get = ir.operation(
        "get_thing",
        parameters=(ir.parameter("thing_id", "int", location="path", required=True),),
        responses=(ir.response("200", "str"),),
    )
    api = ir.api(services=(ir.service("things", create, get),))
    readme = render(api, GenerateConfig("things", target="client"))["README.md"]
    assert "    result = client.things.get_thing(thing_id=1)\n" in readme
    assert "## Server" not in readme


# -- the generated package, imported ------------------------------------------------------


def test_generated_models_validate_and_round_trip_aliases(load: Loader) -> None:
    generated = load(ir.petstore(), "roundtrip_pets")
    pet_class = generated.models.Pet
    pet = pet_class.model_validate(
        {"id": 1, "name": "Rex", "status": "adopted", "born-at": "2020-01-02T03:04:05Z"}
    )
    assert pet.born_at is not None
    assert pet.born_at.year == 2020
    assert pet.status is generated.models.PetStatus.MEMBER_1
    assert pet_class(id=1, name="Rex", born_at=pet.born_at) == pet.model_copy(
        update={"status": None}
    )
    assert pet.model_dump(mode="json", by_alias=True)["born-at"] == "2020-01-02T03:04:05Z"
    assert inspect.getdoc(pet_class) == "A pet in the store."
    inventory = generated.models.Inventory.model_validate({"cats": 3})
    assert inventory.__pydantic_extra__ == {"cats": 3}
    assert generated.models.PetList == list[pet_class]
    assert generated.package.__version__ == "1.0.0"


def test_generated_descriptors(load: Loader) -> None:
    generated = load(ir.petstore(), "descriptor_pets")
    list_pets = generated._operations.LIST_PETS
    assert (list_pets.name, list_pets.method, list_pets.path) == ("list_pets", "GET", "/pets")
    annotations = [param.annotation for param in list_pets.params]
    assert annotations == [int, generated.models.PetStatus, uuid.UUID]
    assert list_pets.success is not None
    assert list_pets.success.annotation == list[generated.models.Pet]
    assert generated.server.PetsApi.operations[0] is list_pets


def test_generated_descriptors_enforce_parameter_limits(load: Loader) -> None:
    generated = load(_limited_api(), "limited_things")
    code, limit = generated._operations.LIST_THINGS.params
    assert adapter_for(limit.annotation).validate_python("100") == 100
    for out_of_range in ("0", "101"):
        with pytest.raises(pydantic.ValidationError):
            adapter_for(limit.annotation).validate_python(out_of_range)
    assert adapter_for(code.annotation).validate_python("\"'{{ x }}") == "\"'{{ x }}"
    with pytest.raises(pydantic.ValidationError):
        adapter_for(code.annotation).validate_python("{{ y }}")
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    with generated.client.Client(http_client=http_client) as client:
        client.things.list_things(code="\"'{{ x }}", limit=100)
        # Values outside the limits are refused before anything is sent.
        with pytest.raises(InvalidRequest, match=r"parameter 'limit' \(query 'limit'\)") as refused:
            client.things.list_things(code="\"'{{ x }}", limit=101)
        assert isinstance(refused.value.__cause__, ParameterValueError)
        with pytest.raises(InvalidRequest, match="parameter 'code'") as refused:
            client.things.list_things(code="''", limit=1)
        assert isinstance(refused.value.__cause__, ParameterValueError)
    assert len(sent) == 1
    assert sent[0].url.params["limit"] == "100"


def test_generated_client_sends_operations(load: Loader) -> None:
    generated = load(ir.petstore(), "client_pets")
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"id": 7, "name": "Rex"})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    with generated.client.Client(http_client=http_client) as client:
        pet = client.pets.get_pet(pet_id=7)
    assert pet == generated.models.Pet(id=7, name="Rex")
    assert str(requests[0].url) == "https://things.example.com/v1/pets/7"


def test_generated_handlers_default_to_not_implemented(load: Loader) -> None:
    generated = load(ir.petstore(), "handler_pets")

    class Pets(generated.server.PetsApi):  # type: ignore[misc, name-defined]
        pass

    with pytest.raises(NotImplementedOperation, match="get_pet"):
        asyncio.run(Pets().get_pet(pet_id=1))
    app = generated.server.create_app(Pets(), debug=True)
    assert type(app).__name__ == "Starlette"


def test_hostile_spec_text_reads_back_unchanged(load: Loader) -> None:
    generated = load(_hostile_api(), "hostile_notes")
    models, operations = generated.models, generated._operations
    assert inspect.getdoc(generated.package) == _read_back(f"{HOSTILE}\n\n{HOSTILE}")
    # `__version__` is the distribution's version (PEP 440); the spec's text is API_VERSION.
    assert generated.package.API_VERSION == HOSTILE
    assert generated.package.__version__ == "0.1.0"
    assert [member.value for member in models.Mood] == [HOSTILE, ""]
    assert inspect.getdoc(models.Mood) == _read_back(HOSTILE)
    assert inspect.getdoc(models.Note) == _read_back(HOSTILE)
    assert models.Quoted.__doc__ == ENDS_WITH_QUOTE
    note = models.Note(text="\"'\\{{ x }}")
    assert note.label == HOSTILE
    assert models.Note.model_validate({HOSTILE_LINE: "x", "text": "{{ x }}"}).label == "x"
    with pytest.raises(ValueError, match="pattern"):
        models.Note(text="{{ y }}")
    find = operations.FIND_NOTES
    assert find.path == HOSTILE
    assert find.params[0].wire_name == HOSTILE_LINE
    assert find.params[0].default == HOSTILE
    client_doc = inspect.getdoc(generated.client.NotesService.find_notes) or ""
    assert client_doc.startswith(HOSTILE_LINE + "\n\n" + _read_back(HOSTILE) + "\n\nArgs:\n")
    assert f"    mood: {HOSTILE_LINE}\n" in client_doc
    assert f"DeclaredStatusError: ``404``: {HOSTILE_LINE}" in client_doc
    assert inspect.getdoc(generated.client.NotesService) == _read_back(HOSTILE)
    with generated.client.Client() as client:  # the spec's URL is the default base URL
        assert client._core._base_url == HOSTILE_URL


def test_hostile_text_stays_out_of_code_and_comments() -> None:
    files = render(_hostile_api(), GenerateConfig("hostile"))
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
            assert "#" not in "".join(
                line.split('"')[0] for line in text.splitlines() if "{{" in line
            )
    project = tomllib.loads(files["pyproject.toml"])
    assert project["project"]["version"] == "0.1.0"
    assert project["project"]["description"] == " ".join(HOSTILE.split())


def test_docstrings_and_models_need_no_reformatting() -> None:
    hostile_docs = ir.api(
        title=HOSTILE,
        description=HOSTILE,
        types=(
            ir.enum("Mood", '"calm"', description=HOSTILE),
            ir.model("Note", ir.field("text", description=HOSTILE), description=HOSTILE),
            ir.model("Quoted", ir.field("text"), description=ENDS_WITH_QUOTE),
        ),
    )
    for api in (ir.petstore(), hostile_docs):
        files = render(api, GenerateConfig("stable"))
        formatted = format_files(files)
        for path in files:
            if path.startswith("stable/models/"):
                assert formatted[path] == files[path]
        assert formatted["stable/__init__.py"] == files["stable/__init__.py"]


def test_the_parsed_petstore_fixture(load: Loader) -> None:
    generated = load(_petstore_fixture(), "fixture_pets")
    order = generated.models.Order.model_validate(
        {"pet_id": 1, "quantity": 2, "ship-date": "2024-05-06T07:08:09Z"}
    )
    assert order.model_dump(mode="json", by_alias=True)["ship-date"] == "2024-05-06T07:08:09Z"
    with pytest.raises(ValueError, match="at least 1 character"):
        generated.models.NewPet(name="")
    assert generated._operations.GET_PET.path == "/pets/{petId}"
    assert generated.server.PetsApi.operations[0] is generated._operations.LIST_PETS
    signature = inspect.signature(generated.client.PetsService.list_pets)
    assert list(signature.parameters) == ["self", "limit", "status", "tags", "x_request_id"]


def test_an_api_without_operations_or_types(load: Loader) -> None:
    generated = load(ir.api(), "empty_api")
    assert generated._operations.__doc__
    assert generated.client.Client().__class__.__name__ == "Client"
    assert type(generated.server.create_app()).__name__ == "Starlette"


# -- the generated package, type-checked and linted ---------------------------------------


def test_generated_packages_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    packages = {
        "typed_pets": ir.petstore(),
        "typed_hostile": _hostile_api(),
        "typed_empty": ir.api(),
        "typed_fixture": _petstore_fixture(),
    }
    for package, api in packages.items():
        _write(tmp_path, format_files(render(api, GenerateConfig(package))))
    runtime_root = Path(specloom_runtime.__file__).resolve().parents[1]
    env = {**os.environ, "MYPYPATH": str(runtime_root)}
    mypy = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10"),
            *("--cache-dir", str(tmp_path / ".mypy_cache"), *packages),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        ["ruff", "check", "--isolated", "--target-version", "py310", "--no-cache", *packages],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_readme_example_avoids_streaming_operations_and_answers_itself() -> None:
    events = ir.operation(
        "watch_things", responses=(ir.response("200", "str", content_type="text/event-stream"),)
    )
    one = ir.operation("get_thing", responses=(ir.response("200", "str"),))
    listed = ir.operation("list_things", responses=(ir.response("200", "list[str]"),))
    api = ir.api(services=(ir.service("things", events, one, listed),))
    readme = render(api, GenerateConfig("things"))["README.md"]
    assert "client.things.list_things()" in readme
    assert "watch_things" not in readme
    assert "        return []\n" in readme  # the server example answers the client example
