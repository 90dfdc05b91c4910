"""`specloom scaffold`: the skeleton of a server implementation, written once for the user.

One class per tag, subclassing the generated `<Tag>Api`, with every operation's method
in its full typed signature and a body that answers 501 (`NotImplementedOperation`), and
an `app` built by `create_app` (with a verifier stub per security scheme in use, which
turns every request away until it is written). Each method is marked `@override`, so
that after the spec changes and the package is regenerated, `mypy` on the user's file
points at every method that no longer fits: a changed parameter or return type, and an
operation that is gone.

The file is the user's from then on: specloom writes it only when it does not exist.
"""

from __future__ import annotations

import msgspec

from specloom.config import GenerateConfig
from specloom.escaping import python_literal
from specloom.ir import Api, Operation, SecurityScheme, Service
from specloom.render import docstrings, security, signatures
from specloom.render.engine import environment
from specloom.render.format import format_source
from specloom.render.imports import import_block, merge_references, names_in, used_references
from specloom.render.limits import constraint_imports

_RUNTIME = "specloom_runtime"


class ScaffoldClass(msgspec.Struct, frozen=True):
    """One implementation class: its name and the generated class it subclasses."""

    name: str
    service: Service


class Verifier(msgspec.Struct, frozen=True):
    """A verifier stub for one security scheme."""

    scheme: str
    """The scheme's key in `create_app(security=...)`."""
    function: str
    parameters: str


_VERIFIER_PARAMETERS = {
    "apiKey": "key: str",
    "oauth2": "token: str, scopes: Sequence[str]",
    "openIdConnect": "token: str, scopes: Sequence[str]",
    "mutualTLS": "request: Request",
}


def render_scaffold(api: Api, config: GenerateConfig) -> str:
    """The text of the implementation skeleton for the package `config.package_name`
    (its runtime imports as `config.runtime` says), formatted."""
    env = environment(config.templates)
    package = config.package_name
    operations = [operation for service in api.services for operation in service.operations]
    verifiers = [_verifier(scheme) for scheme in security.used_schemes(api)]
    annotations = _annotations(operations)
    used = used_references(annotations, merge_references(op.references for op in operations))
    read = set().union(*(names_in(annotation) for annotation in annotations))
    server_names = {service.api_class for service in api.services} | {"create_app"}
    server_names |= {
        response.headers_class
        for operation in operations
        for response in operation.responses
        if response.headers_class and response.headers_class in read
    }
    status_classes = {name for op in operations for name in op.status_classes if name in read}
    taken = read | server_names | {"app", "override", "NotImplementedOperation"}
    taken |= {verifier.function for verifier in verifiers}
    classes = [ScaffoldClass(_class_name(service, taken), service) for service in api.services]
    runtime = config.runtime_module
    names = [("__future__", "annotations")]
    names += [(f"{package}.server", name) for name in server_names]
    names += [(f"{package}.models", name) for name in used.types]
    names += [("typing", name) for name in used.typing]
    if operations:
        names += [("typing_extensions", "override")]
        names += [(f"{runtime}.server", "NotImplementedOperation")]
    names += [(f"{runtime}.server", name) for name in status_classes]
    if "AsyncIterator" in read:
        names.append(("collections.abc", "AsyncIterator"))
    if signatures.SERVER_SENT_EVENT in read:
        names.append((f"{runtime}.streaming", signatures.SERVER_SENT_EVENT))
    constraint_modules, constraint_names = constraint_imports(operations, annotations)
    names += constraint_names
    modules = [*used.modules, *constraint_modules]
    if "resources" in read:
        names.append((runtime, "resources"))
    if any("Sequence" in verifier.parameters for verifier in verifiers):
        names.append(("collections.abc", "Sequence"))
    if any("Request" in verifier.parameters for verifier in verifiers):
        names.append(("starlette.requests", "Request"))
    label = docstrings.api_label(api.title)
    context = {
        "docstring": docstrings.paragraphs(
            f"The implementation of {label}, served by the `{package}` package.",
            "Written once by `specloom scaffold`; specloom never changes this file.\n"
            "Each method answers 501 until it is implemented. After the spec changes\n"
            "and the package is regenerated, `mypy` on this file shows every method\n"
            "that no longer fits.",
        ),
        "imports": import_block(modules, names),
        "classes": classes,
        "verifiers": verifiers,
    }
    text = env.get_template("scaffold/implementation.py.jinja").render(context)
    return format_source(text, "scaffold")


def _annotations(operations: list[Operation]) -> list[str]:
    sources: list[str] = []
    for operation in operations:
        sources += [parameter.annotation for parameter in operation.parameters]
        if operation.body is not None:
            sources.append(operation.body.annotation)
        sources.append(signatures.handler_return(operation))
    return sources


def _class_name(service: Service, taken: set[str]) -> str:
    """`PetsApi` -> `Pets`, unless the module already uses that name."""
    name = service.api_class.removesuffix("Api") or "Implementation"
    while name in taken or name == service.api_class:
        name += "Implementation"
    taken.add(name)
    return name


def _verifier(scheme: SecurityScheme) -> Verifier:
    if scheme.kind == "http":
        parameters = (
            "username: str, password: str" if scheme.http_scheme == "basic" else ("token: str")
        )
    else:
        parameters = _VERIFIER_PARAMETERS[scheme.kind]
    return Verifier(
        scheme=python_literal(scheme.python_name),
        function=f"verify_{scheme.python_name}",
        parameters=parameters,
    )
