"""Rendering: the IR and the generation options become the files of the generated package.

Templates (package data `specloom.templates`) only loop and branch over IR fields;
everything computed -- imports, docstrings, signatures -- is computed here and in the
small modules this one uses, and reaches templates as context or through `FILTERS`, the
one place where template helpers are registered. Spec text enters code only through the
`literal` and `doc` filters (`specloom.escaping`).
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import msgspec

from specloom.config import GenerateConfig
from specloom.escaping import plain_text, python_literal
from specloom.ir import (
    Api,
    EnumDef,
    Field,
    ModelDef,
    Operation,
    References,
    Response,
    Service,
    TypeDef,
)
from specloom.naming import FILE_CONTENT
from specloom.render import docstrings, layout, security, signatures, xml
from specloom.render.distribution import (
    dependencies,
    distribution_version,
    optional_dependencies,
    summary,
    toml_string,
)
from specloom.render.format import format_source
from specloom.render.headers import header_text, with_headers
from specloom.render.imports import (
    LINE_LENGTH,
    import_block,
    merge_references,
    names_in,
    used_references,
)
from specloom.render.limits import constraint_imports
from specloom.render.template_cache import template_code_cache
from specloom.render.usage import UsageExample, usage_example
from specloom.render.vendor import use_vendored_runtime, vendored_packages
from specloom.render_cache import rendered

TEMPLATES_PACKAGE = "specloom.templates"
"""The package whose data files are the templates."""


def _type_kind(definition: TypeDef) -> str:
    if isinstance(definition, ModelDef):
        return "model"
    if isinstance(definition, EnumDef):
        return "enum"
    return "alias"


def _is_omittable(field: Field) -> bool:
    """An optional field whose schema is not nullable: absent or a value, never null."""
    return not field.required and not field.nullable and bool(field.value_annotation)


def _field_annotation(field: Field) -> str:
    if _is_omittable(field):
        return f"Omittable[{field.value_annotation}]"
    return field.annotation


def _field_line(field: Field) -> str:
    """A model field's declaration, indented for a class body and wrapped as black would."""
    head = f"    {field.python_name}: {_field_annotation(field)}"
    options = _field_options(field)
    default = None if field.required else (field.default or "None")
    if not options:
        return head if default is None else f"{head} = {default}"
    if default is not None:
        options.insert(0, f"default={default}")
    arguments = ", ".join(options)
    one_line = f"{head} = Field({arguments})"
    if len(one_line) <= LINE_LENGTH:
        return one_line
    if len(arguments) + 8 <= LINE_LENGTH:
        return f"{head} = Field(\n        {arguments}\n    )"
    listed = "".join(f"        {option},\n" for option in options)
    return f"{head} = Field(\n{listed}    )"


def _field_options(field: Field) -> list[str]:
    """The `Field(...)` arguments a field needs besides its default."""
    options: list[str] = []
    if field.python_name != field.wire_name:
        # Not `alias=`: type checkers would then accept only the wire name in `__init__`.
        wire = python_literal(field.wire_name)
        options += [f"validation_alias={wire}", f"serialization_alias={wire}"]
    if field.pattern is not None:
        pattern = python_literal(field.pattern)
        options.append(
            f"pattern=re.compile({pattern})" if field.python_regex else f"pattern={pattern}"
        )
    options += [f"{name}={value}" for name, value in field.constraints]
    return options


def _model_config(model: ModelDef) -> str:
    """The arguments of a model's `ConfigDict(...)`."""
    # defer_build: the validator is built on first use. Built at class creation, each
    # model's validator copies every model it reaches, models are built in import order,
    # and a spec of thousands of interlinked models (Microsoft Graph) takes minutes and
    # gigabytes to import.
    options = ["defer_build=True", "populate_by_name=True"]
    if model.extra != "ignore":
        options.append(f"extra={python_literal(model.extra)}")
    return ", ".join(options)


def _tuple_of(items: Iterable[str]) -> str:
    """Source of a tuple display of `items`: `()`, `(A,)`, `(A, B)`."""
    listed = list(items)
    return f"({listed[0]},)" if len(listed) == 1 else f"({', '.join(listed)})"


def _type_checking_imports(exports: Iterable[tuple[str, str]]) -> str:
    """The imports of (name, module) `exports`, indented for an `if TYPE_CHECKING:` block."""
    return _indented(import_block(names=[(module, name) for name, module in exports]))


def _indented(block: str) -> str:
    """`block` indented one level, for an `if TYPE_CHECKING:` block."""
    return "\n".join(f"    {line}" if line else line for line in block.split("\n"))


FILTERS: dict[str, Callable[..., Any]] = {
    # Escaping: the only way spec text reaches generated code.
    "literal": python_literal,
    "doc": docstrings.docstring_source,
    "toml": toml_string,
    "prose": plain_text,
    # Docstring text.
    "type_doc": docstrings.model_doc,
    "field_doc": docstrings.field_doc,
    "operation_doc": lambda operation: docstrings.operation_doc(operation, server=False),
    "handler_doc": lambda operation: docstrings.operation_doc(operation, server=True),
    "with_response_doc": docstrings.with_response_doc,
    "service_doc": lambda service: docstrings.service_doc(service, server=False),
    "api_class_doc": lambda service: docstrings.service_doc(service, server=True),
    "webhooks_class_doc": docstrings.webhooks_doc,
    # Source fragments.
    "type_kind": _type_kind,
    "model_config": _model_config,
    "field_line": _field_line,
    "handler_return": signatures.handler_return,
    "handler_def": signatures.handler_def,
    "forwarded_arguments": signatures.forwarded_arguments,
    "pagination_doc": docstrings.pagination_doc,
    "header_class_doc": docstrings.header_class_doc,
    "header_class_parameters": signatures.header_class_parameters,
    "header_class_base": signatures.header_class_base,
    "header_class_super_arguments": signatures.header_class_super_arguments,
    "keyword_parameters": signatures.keyword_parameters,
    "client_keyword_parameters": signatures.client_keyword_parameters,
    "keyword_arguments": signatures.keyword_arguments,
    "argument_mapping": signatures.argument_mapping,
    "value_annotation": signatures.value_annotation,
    "descriptor_annotation": signatures.descriptor_annotation,
    "has_custom_style": signatures.has_custom_style,
    "has_custom_explode": signatures.has_custom_explode,
    "encoding_arguments": signatures.encoding_arguments,
    "xml_shape": xml.shape_source,
    "tuple_of": _tuple_of,
    "type_checking_imports": _type_checking_imports,
    "scheme_descriptor": security.scheme_descriptor,
    "requirements_source": security.requirements_source,
    "credential_annotation": security.credential_annotation,
}
"""Every filter the templates use."""


def _template_source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """A template's text from the `specloom.templates` package data (None when missing)."""
    resource = importlib.resources.files(TEMPLATES_PACKAGE).joinpath(*name.split("/"))
    if not resource.is_file():
        return None
    # Package data does not change while the process runs: a loaded template stays current.
    return resource.read_text(encoding="utf-8"), str(resource), lambda: True


BUNDLED_PREFIX = "bundled"
"""Custom templates reach the bundled ones as `bundled/<path>` (to include or extend them)."""


@cache
def environment(templates: Path | None = None) -> jinja2.Environment:
    """The template environment, built once per process (and per custom templates folder).

    With `templates`, a template there replaces the bundled one of the same relative path.
    """
    bundled = jinja2.FunctionLoader(_template_source)
    loader: jinja2.BaseLoader = bundled
    if templates is not None:
        loader = jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({BUNDLED_PREFIX: bundled}),
                jinja2.FileSystemLoader(templates),
                bundled,
            ]
        )
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.bytecode_cache = template_code_cache(env)
    env.filters.update(FILTERS)
    return env


class ModelsModule(msgspec.Struct, frozen=True):
    """One module of `models`: the definitions it holds and what it imports of the others."""

    module: str
    definitions: tuple[TypeDef, ...]
    local: tuple[tuple[str, str], ...]
    """(module, name) of each generated type it uses from the other models modules."""
    file_content: bool
    """Whether it uses the runtime's `FileContent`."""


def render(
    api: Api, config: GenerateConfig, models_modules: list[ModelsModule] | None = None
) -> dict[str, str]:
    """The generated package's files: relative POSIX path -> text, sorted by path. The
    models modules made are appended to `models_modules`, when given."""
    package = config.package_name
    env = environment(config.templates)
    files = {
        "pyproject.toml": _render(
            env, "package/pyproject.toml.jinja", _pyproject_context(api, config)
        ),
        "README.md": _render(
            env,
            "package/README.md.jinja",
            _readme_context(api, config, env, usage_example(api, config.package_name)),
        ),
        f"{package}/__init__.py": _render(env, "package/__init__.py.jinja", _init_context(api)),
        f"{package}/py.typed": "",
    }
    files.update(_models_files(api, env, f"{package}/models", models_modules))
    files.update(_operations_files(api, env, f"{package}/_operations"))
    if api.security_schemes:
        files[f"{package}/_security_schemes.py"] = _render(
            env, "package/_security_schemes.py.jinja", _security_schemes_context(api)
        )
    for service in api.services:
        files.update(_service_modules(api, service, config, env))
    if config.with_client:
        files[f"{package}/client.py"] = _render(env, "client/client.py.jinja", _client_context(api))
        files[f"{package}/_client/__init__.py"] = _CLIENT_PACKAGE_DOC
    if config.with_server:
        files[f"{package}/server.py"] = _render(env, "server/server.py.jinja", _server_context(api))
        files[f"{package}/_server/__init__.py"] = _SERVER_PACKAGE_DOC
        if api.webhooks:
            context = _api_module_context(api, list(api.webhooks), _WEBHOOKS_MODULE, webhooks=True)
            files[f"{package}/_server/{_WEBHOOKS_MODULE}.py"] = _render(
                env, "server/api.py.jinja", context
            )
        if api.spec_json:
            files[f"{package}/openapi.json"] = api.spec_json
    files = with_headers(use_vendored_runtime(files, config), header_text(config.source_label))
    return dict(sorted(files.items()))


def render_service(api: Api, service: Service, config: GenerateConfig) -> dict[str, str]:
    """The modules of one service as `render` writes them: its operation descriptors,
    client service and server API class (what `api` is read for: its title and security
    schemes)."""
    env = environment(config.templates)
    files = _service_modules(api, service, config, env)
    return with_headers(use_vendored_runtime(files, config), header_text(config.source_label))


def render_server_module(api: Api, config: GenerateConfig) -> dict[str, str]:
    """`server.py` as `render` writes it."""
    env = environment(config.templates)
    files = {
        f"{config.package_name}/server.py": _render(
            env, "server/server.py.jinja", _server_context(api)
        )
    }
    return with_headers(use_vendored_runtime(files, config), header_text(config.source_label))


def _service_modules(
    api: Api, service: Service, config: GenerateConfig, env: jinja2.Environment
) -> dict[str, str]:
    package = config.package_name
    module = service.module_name
    context = _operations_context(api, list(service.operations), module)
    files = {f"{package}/_operations/{module}.py": _operations_module(env, context)}
    if config.with_client:
        files[f"{package}/_client/{module}.py"] = _render(
            env, "client/service.py.jinja", _service_context(api, service)
        )
    if config.with_server:
        context = _api_module_context(api, [service], module, webhooks=False)
        files[f"{package}/_server/{module}.py"] = _render(env, "server/api.py.jinja", context)
    return files


def _operations_module(env: jinja2.Environment, context: dict[str, object]) -> str:
    return _render(env, "package/_operations.py.jinja", context)


def _render(env: jinja2.Environment, template: str, context: dict[str, object]) -> str:
    return rendered(template, context, lambda: env.get_template(template).render(context))


def _pyproject_context(api: Api, config: GenerateConfig) -> dict[str, object]:
    return {
        "distribution": config.distribution_name,
        "package": config.package_name,
        "version": distribution_version(api.version),
        "summary": summary(api.title),
        "dependencies": dependencies(config),
        "data_files": ["openapi.json"] if config.with_server and api.spec_json else [],
        "optional_dependencies": optional_dependencies(config),
        "packages": _packages(config),
    }


def _packages(config: GenerateConfig) -> list[str]:
    """Every package of the generated distribution: the split modules' folders too."""
    package = config.package_name
    own = [package, f"{package}._operations", f"{package}.models"]
    own += [f"{package}._client"] if config.with_client else []
    own += [f"{package}._server"] if config.with_server else []
    return sorted(own) + vendored_packages(config)


def render_readme(api: Api, example: UsageExample | None, config: GenerateConfig) -> dict[str, str]:
    """The README as `render` writes it, showing `example` (`usage_example(api)` unless
    `api` is one without its types: what else `api` is read for is the rest of it)."""
    env = environment(config.templates)
    context = _readme_context(api, config, env, example)
    files = {"README.md": _render(env, "package/README.md.jinja", context)}
    return with_headers(use_vendored_runtime(files, config), header_text(config.source_label))


def _readme_context(
    api: Api,
    config: GenerateConfig,
    env: jinja2.Environment,
    example: UsageExample | None,
) -> dict[str, object]:
    context: dict[str, object] = {
        "package": config.package_name,
        "base_url": _default_base_url(api),
        "example": example,
        "credentials": security.example_credentials(api, example.operation if example else None),
        "verifiers": security.example_verifiers(api, example.operation if example else None),
    }
    return {
        "api": api,
        "config": config,
        "version": distribution_version(api.version),
        "base_url": _default_base_url(api),
        "title": " ".join(api.title.split()) or config.distribution_name,
        "example": example,
        "client_example": format_source(_render(env, "package/client_example.py.jinja", context)),
        "server_example": format_source(_render(env, "package/server_example.py.jinja", context)),
    }


def _init_context(api: Api) -> dict[str, object]:
    return {
        "api": api,
        "version": distribution_version(api.version),
        "docstring": docstrings.package_doc(api.title, api.description),
    }


_CLIENT_PACKAGE_DOC = '"""The services of the client, one module per tag."""\n'
_SERVER_PACKAGE_DOC = '"""The API classes of the server, one module per tag."""\n'
_WEBHOOKS_MODULE = "_webhooks"
"""The module of every webhook and callback, in `_operations` and `_server` (no service
module name starts with `_`)."""


def render_models_module(api: Api, made: ModelsModule, config: GenerateConfig) -> dict[str, str]:
    """One models module as `render` writes it (what `api` is read for: its title)."""
    env = environment(config.templates)
    path = f"{config.package_name}/models/{made.module}.py"
    files = {path: _models_module(env, docstrings.api_label(api.title), made)}
    return with_headers(use_vendored_runtime(files, config), header_text(config.source_label))


def _models_module(env: jinja2.Environment, label: str, made: ModelsModule) -> str:
    definitions = list(made.definitions)
    names = ", ".join(definition.name for definition in definitions)
    context: dict[str, object] = {
        "definitions": definitions,
        "docstring": f"Models of {label}: {names}.",
        "imports": _models_imports(definitions, list(made.local), made.file_content),
    }
    return _render(env, "models/models.py.jinja", context)


def _models_files(
    api: Api, env: jinja2.Environment, folder: str, made: list[ModelsModule] | None
) -> dict[str, str]:
    """`models/__init__.py`, importing each model on first use, and the modules defining
    them (`specloom.render.layout`), each appended to `made` when given."""
    label = docstrings.api_label(api.title)
    by_name = {definition.name: definition for definition in api.types}
    known = frozenset([*by_name, FILE_CONTENT])
    uses = {name: types_used(definition, known) for name, definition in by_name.items()}
    models = {name for name, definition in by_name.items() if isinstance(definition, ModelDef)}
    named = layout.modules_of(by_name, uses, models)
    groups = [group for _, group in named]
    modules = layout.module_names(name for name, _ in named)
    placed = zip(modules, groups, strict=True)
    module_of = {name: module for module, group in placed for name in group}
    files: dict[str, str] = {}
    for module, group in zip(modules, groups, strict=True):
        outside = sorted({used for name in group for used in uses[name]} - set(group))
        models_module = ModelsModule(
            module,
            tuple(by_name[name] for name in group),
            tuple((f".{module_of[used]}", used) for used in outside if used != FILE_CONTENT),
            any(FILE_CONTENT in uses[name] for name in group),
        )
        files[f"{folder}/{module}.py"] = _models_module(env, label, models_module)
        if made is not None:
            made.append(models_module)
    exports = _exports((name, f".{module_of[name]}") for name in by_name)
    names = [("__future__", "annotations")]
    names += [("typing", "TYPE_CHECKING")] if exports else []
    if any(FILE_CONTENT in uses[name] for name in by_name) or any(
        FILE_CONTENT in operation.references.types for operation in _served_operations(api)
    ):
        # Also when only an operation uses it (a multipart body that is a bare file).
        # Re-exported (`as`), for the other modules import it from `.models`.
        names.append(("specloom_runtime.uploads", f"{FILE_CONTENT} as {FILE_CONTENT}"))
    init_context: dict[str, object] = {
        "docstring": docstrings.paragraphs(
            f"Models of {label}.",
            "Each is imported from the module defining it when first used.",
        ),
        "imports": import_block(["importlib"], names),
        "exports": exports,
        "public": _public(by_name),
    }
    files[f"{folder}/__init__.py"] = _render(env, "models/__init__.py.jinja", init_context)
    return files


def _public(names: Iterable[str]) -> list[str]:
    """`__all__`, sorted as ruff's RUF022 wants it: constants, classes, then the other
    names, each in natural order (`Item2` before `Item10`, `GitService` before
    `GitignoreService`)."""
    return sorted(names, key=lambda name: (_name_kind(name), _natural_key(name)))


def _name_kind(name: str) -> int:
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def _natural_key(name: str) -> str:
    """`name` with each run of digits rewritten so that, compared as text, runs compare as
    natural sorting (ruff's) compares them: by number, or digit by digit when a run
    starts with `0` (those first); and, as in the name, before any letter or `_`."""
    return _DIGIT_RUN.sub(_run_key, name)


def _run_key(run: re.Match[str]) -> str:
    digits = run[0]
    if digits.startswith("0"):
        return f"0{digits}\x00"  # the run's end before any further digit
    return f"1{digits.zfill(_DIGITS_WIDTH)}"


_DIGIT_RUN = re.compile(r"\d+")
_DIGITS_WIDTH = 40


def _exports(exports: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, module) pairs in the order of their imports: by module, then by name."""
    return sorted(exports, key=lambda export: (export[1], export[0]))


def _definition_sources(definition: TypeDef) -> list[str]:
    if isinstance(definition, ModelDef):
        sources = [_field_annotation(field) for field in definition.fields]
        sources += [field.default for field in definition.fields if field.default]
        sources += ["Any"] if definition.sent_defaults else []  # `model_post_init`'s context
        return sources + ([definition.extra_annotation] if definition.extra_annotation else [])
    if isinstance(definition, EnumDef):
        return []
    return [definition.annotation]


def types_used(definition: TypeDef, names: frozenset[str]) -> tuple[str, ...]:
    """The generated types (and `FileContent`) among `names` that a definition's
    annotations and defaults read (found in the source text: the definition's
    `references` may name fewer, as for the request shapes of models)."""
    read: set[str] = set()
    for source in _definition_sources(definition):
        read |= names_in(source)
    return tuple(sorted(read & names))


def _models_imports(
    definitions: list[TypeDef], local: list[tuple[str, str]], file_content: bool
) -> str:
    """The imports of a models module: `local` are (module, name) of the generated types
    it uses from the other models modules."""
    models = [definition for definition in definitions if isinstance(definition, ModelDef)]
    sources = [source for definition in definitions for source in _definition_sources(definition)]
    references = [d.references for d in definitions if not isinstance(d, EnumDef)]
    used = used_references(sources, merge_references(references))
    kinds = {_type_kind(definition) for definition in definitions}
    modules = [*used.modules, "enum"] if "enum" in kinds else list(used.modules)
    if any(field.python_regex for model in models for field in model.fields):
        modules.append("re")
    names = [("__future__", "annotations")] + [("typing", name) for name in used.typing]
    if "alias" in kinds:
        names.append(("typing", "TypeAlias"))
    if models:
        names += [("pydantic", "BaseModel"), ("pydantic", "ConfigDict")]
    # An alias or a union member may carry limits: `Annotated[str, Field(pattern=...)]`.
    if any(_needs_field_function(model) for model in models) or any(
        "Field" in names_in(source) for source in sources
    ):
        names.append(("pydantic", "Field"))
    if any(_is_omittable(field) for model in models for field in model.fields):
        names.append(("specloom_runtime.fields", "Omittable"))
    if file_content:
        names.append(("specloom_runtime.uploads", FILE_CONTENT))
    names += local
    return import_block(modules, names)


def _needs_field_function(model: ModelDef) -> bool:
    return model.extra_annotation is not None or any(
        _field_options(field) for field in model.fields
    )


def _operations_files(api: Api, env: jinja2.Environment, folder: str) -> dict[str, str]:
    """`_operations/__init__.py` (the security schemes again; each descriptor imported on
    first use) and one module of operation descriptors per service."""
    files: dict[str, str] = {}
    exports: list[tuple[str, str]] = []
    groups = [(service.module_name, list(service.operations)) for service in api.services]
    webhooks = [operation for service in api.webhooks for operation in service.operations]
    if webhooks:  # every webhook and callback in one module (no service name is private)
        groups.append((_WEBHOOKS_MODULE, webhooks))
    for module, operations in groups:
        if module == _WEBHOOKS_MODULE:  # a service's module is made with its others
            context = _operations_context(api, operations, module)
            files[f"{folder}/{module}.py"] = _operations_module(env, context)
        exports += [(operation.constant_name, f".{module}") for operation in operations]
    names = [("typing", "TYPE_CHECKING")] if exports else []
    constants = [scheme.constant_name for scheme in api.security_schemes]
    names += [(_SCHEMES_MODULE, constant) for constant in constants]
    context = {
        "public": _public([*constants, *(name for name, _ in exports)]),
        "docstring": docstrings.paragraphs(
            "Operation descriptors shared by the client and the server.",
            "The descriptors of each tag are in a module of their own, imported on first use.",
        ),
        "schemes": api.security_schemes,
        "exports": _exports(exports),
        "imports": import_block(["importlib"], names),
    }
    files[f"{folder}/__init__.py"] = _render(env, "package/_operations_index.py.jinja", context)
    return files


def _operations_context(api: Api, operations: list[Operation], service: str) -> dict[str, object]:
    sources: list[str] = []
    for operation in operations:
        sources += [signatures.value_annotation(p) for p in operation.parameters]
        sources += [p.default for p in operation.parameters if p.default is not None]
        if operation.body is not None:
            sources.append(signatures.value_annotation(operation.body))
            sources += [annotation for _, annotation in operation.body.media]
        sources += [r.annotation for r in operation.responses if r.annotation is not None]
        sources += [annotation for r in operation.responses for _, annotation in r.media]
    used = _used(sources, operations)
    names = [("typing", name) for name in used.typing]
    constraint_modules, constraint_names = constraint_imports(operations, sources)
    names += constraint_names
    modules = [*used.modules, *constraint_modules]
    names += [("specloom_runtime.operation", "OperationSpec")] if operations else []
    if any(operation.parameters for operation in operations):
        names.append(("specloom_runtime.operation", "ParamSpec"))
    if any(operation.body is not None for operation in operations):
        names.append(("specloom_runtime.operation", "BodySpec"))
    if any(operation.body is not None and operation.body.encoding for operation in operations):
        names.append(("specloom_runtime.operation", "PropertyEncoding"))
    if any(operation.responses for operation in operations):
        names.append(("specloom_runtime.operation", "ResponseSpec"))
    xml_shapes = xml.shapes_of(operations)
    if xml_shapes:
        names += [("specloom_runtime.operation", name) for name in xml.RUNTIME_NAMES]
    names += [("..models", name) for name in used.types]
    names += [
        (module, name)
        for module, name in _security_names(api, operations)
        if name != "SecurityScheme" and name != "OAuthFlow"
    ]
    constants = {scheme.python_name: scheme.constant_name for scheme in api.security_schemes}
    used_schemes = {
        use.scheme for operation in operations for r in operation.security for use in r.uses
    }
    names += [(_SCHEMES_MODULE, constants[scheme]) for scheme in used_schemes]
    return {
        "docstring": (
            "Descriptors of the webhooks and callbacks."
            if service == _WEBHOOKS_MODULE
            else f"Descriptors of the operations of the `{service}` service."
        ),
        "operations": operations,
        "schemes": api.security_schemes,
        "imports": import_block(modules, names),
        "xml_models": xml.models_table(xml_shapes) if xml_shapes else "",
    }


_SCHEMES_MODULE = ".._security_schemes"
"""Where the operation descriptors find the security schemes (`PKG._security_schemes`): a
module of their own, so that the client reaches them without the operations' index."""


def _security_schemes_context(api: Api) -> dict[str, object]:
    constants = [scheme.constant_name for scheme in api.security_schemes]
    return {
        "docstring": docstrings.paragraphs(
            "The security schemes of the spec, as the client and the server take them."
        ),
        "schemes": api.security_schemes,
        "public": _public(constants),
        "imports": import_block([], _security_names(api, [])),
    }


def _security_names(api: Api, operations: list[Operation]) -> list[tuple[str, str]]:
    module = "specloom_runtime.security"
    names = [(module, "SecurityScheme")] if api.security_schemes else []
    if any(scheme.flows for scheme in api.security_schemes):
        names.append((module, "OAuthFlow"))
    requirements = [r for operation in operations for r in operation.security]
    if requirements:
        names.append((module, "SecurityRequirement"))
    if any(requirement.uses for requirement in requirements):
        names.append((module, "SchemeUse"))
    return names


_PAGINATION_NAMES = ("PageRule", "aiterate_pages", "iterate_pages")
_STREAMING_NAMES = ("astream_items", "stream_items")


def _service_context(api: Api, service: Service) -> dict[str, object]:
    operations = list(service.operations)
    paginated = [op.pagination for op in operations if op.pagination is not None]
    sources = _signature_sources(operations, lambda op: op.client_response)
    sources += [pagination.item_annotation for pagination in paginated]
    used = _used(sources, operations)
    names = [("__future__", "annotations")]
    streamed = [op for op in operations if op.success is not None and op.success.stream]
    if paginated or streamed:
        names += [("collections.abc", "AsyncIterator"), ("collections.abc", "Iterator")]
    if paginated:
        names += [("specloom_runtime.pagination", name) for name in _PAGINATION_NAMES]
    if streamed:
        names += [("specloom_runtime.streaming", name) for name in _STREAMING_NAMES]
    names += [("typing", name) for name in used.typing]
    names += [("specloom_runtime.client", name) for name in ("AsyncClientCore", "ClientCore")]
    constraint_modules, constraint_names = constraint_imports(operations, sources)
    names += constraint_names
    if len(streamed) < len(operations):  # a streamed operation returns no `Response`
        names.append(("specloom_runtime.response", "Response"))
    if operations:
        names.append((".._operations", f"{service.module_name} as _operations"))
    names += [("..models", name) for name in used.types]
    label = docstrings.api_label(api.title)
    return {
        "api": api,
        "service": service,
        "docstring": f"The `{service.attribute_name}` service of the client for {label}.",
        "imports": import_block([*used.modules, *constraint_modules], names),
    }


def _client_context(api: Api) -> dict[str, object]:
    names = [("__future__", "annotations")]
    names += [("functools", "cached_property")] if api.services else []
    names += [("types", "TracebackType"), ("typing", "TYPE_CHECKING")]
    names += [("specloom_runtime.client_base", name) for name in ("AsyncClientBase", "ClientBase")]
    names += [("specloom_runtime.base_url", "choose_base_url")]
    schemes = [scheme for scheme in api.security_schemes if security.has_keyword(scheme)]
    annotations = {security.credential_annotation(scheme) for scheme in schemes}
    # What only annotations use is imported for type checkers alone: httpx, pydantic and
    # the client core are imported when the first client is made (see `client.py.jinja`).
    checked = [("specloom_runtime.client", name) for name in ("AsyncClientCore", "ClientCore")]
    checked += [("specloom_runtime.options", name) for name in _CLIENT_OPTIONS]
    checked += [("typing_extensions", name) for name in ("Self", "Unpack")]
    checked += [("specloom_runtime.auth", name) for name in _RUNTIME_CREDENTIAL_TYPES & annotations]
    label = docstrings.api_label(api.title)
    credentials = security.credentials_doc(schemes)
    exports = [
        (f"{prefix}{service.client_class}", f"._client.{service.module_name}")
        for service in api.services
        for prefix in ("", "Async")
    ]
    return {
        "api": api,
        "base_url": _default_base_url(api),
        "credential_schemes": schemes,
        "docstring": f"Client for {label}.",
        "exports": _exports(exports),
        "public": _public(["AsyncClient", "Client", *(name for name, _ in exports)]),
        "client_doc": docstrings.paragraphs(
            f"Client for {label}.",
            "Use it as a context manager, or call `close()`, to release connections.",
            _BASE_URL_DOC,
            credentials,
            "Keyword options: see `specloom_runtime.ClientOptions`.",
        ),
        "async_client_doc": docstrings.paragraphs(
            f"Asynchronous client for {label}.",
            "Use it as an async context manager, or call `aclose()`, to release connections.",
            _BASE_URL_DOC,
            credentials,
            "Keyword options: see `specloom_runtime.AsyncClientOptions` (hooks may be async).",
        ),
        "imports": import_block(["importlib"], names),
        "type_checking_imports": _indented(import_block(["httpx"], checked)),
    }


_RUNTIME_CREDENTIAL_TYPES = {"SecretValue", "TokenCredential"}
_CLIENT_OPTIONS = ("AsyncClientOptions", "ClientOptions")

_BASE_URL_DOC = (
    "Requests go to `base_url` when given, else to the `base_url` of the `http_client`\n"
    "passed in, else to the spec's server URL."
)


def _server_modules(api: Api) -> list[tuple[str, list[Service], bool]]:
    """(module name, its classes' services, whether they are webhooks) of `_server`: a
    module per tag, as `_operations`, and every webhook and callback in one."""
    modules = [(service.module_name, [service], False) for service in api.services]
    return modules + ([(_WEBHOOKS_MODULE, list(api.webhooks), True)] if api.webhooks else [])


def _header_responses(operations: Iterable[Operation]) -> list[tuple[Operation, Response]]:
    """The responses that get a headers class, with their operations."""
    return [
        (operation, response)
        for operation in operations
        for response in operation.responses
        if response.headers_class
    ]


def _status_classes(operations: Iterable[Operation]) -> list[str]:
    """The runtime's status responses (`NotFound`, ...) the handlers of `operations` use."""
    return sorted({name for operation in operations for name in operation.status_classes})


def _api_module_context(
    api: Api, services: list[Service], module: str, *, webhooks: bool
) -> dict[str, object]:
    """A `_server` module: the API (or webhooks) classes of `services` with the headers
    classes of their responses."""
    operations = [operation for service in services for operation in service.operations]
    header_responses = _header_responses(operations)
    sources = _signature_sources(operations, lambda op: op.server_return)
    sources += [h.annotation for _, response in header_responses for h in response.headers]
    sources += [r.annotation for _, r in header_responses if r.annotation is not None]
    used = _used(sources, operations)
    status_classes = _status_classes(operations)
    names = [("__future__", "annotations")] + [("typing", name) for name in used.typing]
    names += [("typing", "ClassVar"), ("specloom_runtime.operation", "OperationSpec")]
    if operations:
        names += [("specloom_runtime.server", "NotImplementedOperation")]
        names += [(".._operations", f"{module} as _operations")]
    names += [("specloom_runtime.server", name) for name in status_classes]
    constraint_modules, constraint_names = constraint_imports(operations, sources)
    names += constraint_names
    names += [("specloom_runtime.server", "header_values")] if header_responses else []
    if any(signatures.streams(operation) for operation in operations):
        names.append(("collections.abc", "AsyncIterator"))
    if any(signatures.streams_events(operation) for operation in operations):
        names.append(("specloom_runtime.streaming", signatures.SERVER_SENT_EVENT))
    if any(signatures.returns_resources(operation) for operation in operations):
        names.append(("specloom_runtime", "resources"))
    names += [("..models", name) for name in used.types]
    label = docstrings.api_label(api.title)
    what = "webhooks classes" if webhooks else f"`{services[0].attribute_name}` class"
    return {
        "services": services,
        "webhooks": webhooks,
        "docstring": f"The {what} of the server for {label}.",
        "imports": import_block([*used.modules, *constraint_modules], names),
        "header_responses": header_responses,
    }


def _server_context(api: Api) -> dict[str, object]:
    """`server.py`: `create_app`, and the classes of `_server` imported on first use."""
    exports = [
        (name, f"._server.{module}")
        for module, services, _ in _server_modules(api)
        for name in [
            *(service.api_class for service in services),
            *(
                response.headers_class
                for service in services
                for _, response in _header_responses(service.operations)
            ),
        ]
    ]
    # The status responses the handlers answer with, for `from PKG.server import NotFound`.
    operations = _served_operations(api)
    status_classes = _status_classes(operations)
    names = [("__future__", "annotations"), ("typing", "Literal")]
    names += [("typing", "TYPE_CHECKING")] if exports else []
    names += [("specloom_runtime.server", name) for name in status_classes]
    names += [("specloom_runtime.server", name) for name in ("build_app", "packaged_spec")]
    names += [("starlette.applications", "Starlette")]
    used_schemes = security.used_schemes(api)
    if used_schemes:
        names += [("collections.abc", "Callable"), ("collections.abc", "Mapping")]
        names += [("typing", "Any"), ("specloom_runtime.server", "AllowAnonymous")]
    label = docstrings.api_label(api.title)
    functions = ["create_app"] + (["create_webhooks_app"] if api.webhooks else [])
    return {
        "api": api,
        "security_doc": security.create_app_doc(used_schemes),
        "serves_spec": not any(
            op.path == SPEC_PATH and op.method in ("GET", "HEAD") for op in operations
        ),
        "docstring": docstrings.paragraphs(
            f"Server for {label}.",
            "Subclass the `<Tag>Api` classes and pass instances of them to `create_app`.",
            "Webhooks and callbacks the API sends: subclass the `<Tag>Webhooks` classes and\n"
            "pass instances of them to `create_webhooks_app`."
            if api.webhooks
            else "",
            "Each class is imported from the module defining it when first used.",
        ),
        "imports": import_block(["importlib"], names),
        "exports": _exports(exports),
        "public": _public([*functions, *status_classes, *(name for name, _ in exports)]),
    }


SPEC_PATH = "/openapi.json"
"""Where `create_app` serves the spec, unless the spec has an operation there itself."""


def _default_base_url(api: Api) -> str | None:
    """The first absolute http(s) server URL: a relative one (`/v1`) cannot be a default."""
    for server in api.servers:
        if server.url.lower().startswith(("http://", "https://")):
            return server.url
    return None


def _operations(api: Api) -> list[Operation]:
    return [operation for service in api.services for operation in service.operations]


def _served_operations(api: Api) -> list[Operation]:
    """The operations a generated server handles: the API's, then its webhooks'."""
    webhooks = [operation for service in api.webhooks for operation in service.operations]
    return _operations(api) + webhooks


def _signature_sources(
    operations: Iterable[Operation], return_annotation: Callable[[Operation], str]
) -> list[str]:
    sources: list[str] = []
    for operation in operations:
        sources += [parameter.annotation for parameter in operation.parameters]
        if operation.body is not None:
            sources.append(operation.body.annotation)
        sources.append(return_annotation(operation))
    return sources


def _used(sources: Iterable[str], operations: Iterable[Operation]) -> References:
    return used_references(sources, merge_references(op.references for op in operations))
