"""The usage examples in a generated README: which operation they show, and how to call it.

The example operation is a real one of the API, preferably one a reader can call without
building a request body (every required parameter gets a placeholder value of its type),
that does not stream, and whose handler the example can implement in one line
(`return []`, `return Who(name="example")`), so that the server example, served locally,
answers the client example; its verifiers accept the credentials the client example sends.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from specloom.ir import Api, ModelDef, Operation, Service
from specloom.render.imports import import_block, used_references
from specloom.render.limits import constraint_imports
from specloom.render.signatures import keyword_parameters

_PLACEHOLDERS = {"int": "1", "float": "1.0", "str": '"example"', "bool": "True"}
_STREAMING_MEDIA = ("text/event-stream", "application/x-ndjson", "application/octet-stream")


class UsageExample(msgspec.Struct, frozen=True):
    """One operation to show in the README, with what its example code needs."""

    service: Service
    operation: Operation
    call_arguments: str | None
    """`pet_id=1` for the client call; None when the call needs values that have no simple
    placeholder (a request body, a parameter of a model type)."""
    handler_parameters: str
    """The parameters of the handler method after `self`."""
    implementation_class: str
    """The name of the example's `<Tag>Api` subclass."""
    handler_body: str | None
    """A return statement that answers the operation (`return []`), when there is a simple
    one (or a model built from placeholders); the example shows `...` otherwise."""
    handler_imports: str
    """The imports of the server example."""


def usage_example(api: Api, package_name: str) -> UsageExample | None:
    """The example operation (None when the API has no operations)."""
    candidates = [
        (service, operation) for service in api.services for operation in service.operations
    ]
    if not candidates:
        return None
    answers = answers_of(api)
    service, operation = min(candidates, key=lambda pair: rank(pair[1], answers))
    return example_of(service, operation, answers, package_name)


def example_of(
    service: Service, operation: Operation, answers: Mapping[str, str | None], package_name: str
) -> UsageExample:
    """`operation` of `service` as the example (`answers`: `model_answer` of each model by
    its name, at least of the one it returns)."""
    return UsageExample(
        service=service,
        operation=operation,
        call_arguments=_call_arguments(operation),
        handler_parameters=keyword_parameters(operation),
        handler_imports=_handler_imports(service, operation, package_name),
        implementation_class=_implementation_class(service, operation),
        handler_body=_handler_body(operation, answers),
    )


Rank = tuple[bool, bool, bool, bool]
"""How fit an operation is to be the example: lower is better; `min` keeps the first of
equals, so IR order breaks ties."""


def answers_of(api: Api) -> dict[str, str | None]:
    """`model_answer` of each of `api`'s models, by its name."""
    return {t.name: model_answer(t) for t in api.types if isinstance(t, ModelDef)}


def model_answer(model: ModelDef) -> str | None:
    """What an example handler returning `model` answers: `return Who(name="example")`,
    each required field given a placeholder; None when one takes none (or has a
    constraint a placeholder might break)."""
    arguments: list[str] = []
    for field in model.fields:
        if not field.required:
            continue
        placeholder = _PLACEHOLDERS.get(field.annotation.strip())
        if placeholder is None or field.pattern is not None or field.constraints:
            return None
        arguments.append(f"{field.python_name}={placeholder}")
    return f"return {model.name}({', '.join(arguments)})"


def best_rank(operation: Operation) -> Rank:
    """The best `rank` `operation` may have, whatever the models (a handler returning a
    model may or may not be written from placeholders)."""
    fit = rank(operation, {})
    if fit[2] and not operation.client_return.strip().startswith(("list[", "None")):
        return (fit[0], fit[1], False, fit[3])
    return fit


def rank(operation: Operation, answers: Mapping[str, str | None]) -> Rank:
    """How fit `operation` is to be the example (`answers`: as `example_of` takes them)."""
    return (
        streams(operation),
        _call_arguments(operation) is None,
        _handler_body(operation, answers) is None,
        operation.client_return == "None",
    )


def is_callable(operation: Operation) -> bool:
    """Whether the example can call `operation` with placeholder values."""
    return _call_arguments(operation) is not None


def streams(operation: Operation) -> bool:
    """Whether `operation` answers with a stream (an example does not show one)."""
    for response in operation.responses:
        media = (response.content_type or "").split(";")[0].strip().lower()
        if response.is_success and (
            response.stream or media in _STREAMING_MEDIA or media.startswith("multipart/")
        ):
            return True
    return "bytes" in operation.client_return or "Iterator" in operation.client_return


def _handler_body(operation: Operation, answers: Mapping[str, str | None]) -> str | None:
    returned = operation.client_return.strip()
    if returned.startswith("list["):
        return "return []"
    if returned == "None":
        return "return None"
    if returned not in operation.server_return.replace("|", " ").split():
        return None
    # A model whose required fields all take a placeholder (and no constraint it might
    # break) is answered with one (`model_answer`).
    return answers.get(returned)


def _call_arguments(operation: Operation) -> str | None:
    if operation.body is not None and operation.body.required:
        return None
    arguments: list[str] = []
    for parameter in operation.parameters:
        if not parameter.required:
            continue
        placeholder = _PLACEHOLDERS.get(parameter.annotation.strip())
        if placeholder is None:
            return None
        arguments.append(f"{parameter.python_name}={placeholder}")
    return ", ".join(arguments)


def _handler_imports(service: Service, operation: Operation, package_name: str) -> str:
    sources = [parameter.annotation for parameter in operation.parameters]
    if operation.body is not None:
        sources.append(operation.body.annotation)
    sources.append(operation.server_return)
    used = used_references(sources, operation.references)
    server_module = f"{package_name}.server"
    names = [(server_module, service.api_class), (server_module, "create_app")]
    names += [(f"{package_name}.models", name) for name in used.types]
    names += [("typing", name) for name in used.typing]
    header_classes = {r.headers_class for r in operation.responses if r.headers_class}
    names += [(server_module, name) for name in sorted(header_classes)]
    names += [
        ("specloom_runtime.server", name)
        for name in operation.status_classes
        if name in operation.server_return.replace("|", " ").replace("[", " ").split()
    ]
    # Parameter limits show in the handler's signature (`Annotated[int, Field(ge=1)]`).
    constraint_modules, constraint_names = constraint_imports([operation], sources)
    names += constraint_names
    return import_block([*used.modules, *constraint_modules], names)


def _implementation_class(service: Service, operation: Operation) -> str:
    # `PetsApi` -> `Pets`, unless the example imports a model of that name.
    name = service.api_class.removesuffix("Api") or "Implementation"
    if name in operation.references.types or name == service.api_class:
        return name + "Implementation"
    return name
