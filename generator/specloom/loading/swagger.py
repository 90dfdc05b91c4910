"""Swagger 2.0 input: the place where it becomes OpenAPI 3 before bundling.

The root document is rewritten as OpenAPI 3.0 in place, so nothing after the
loader ever sees Swagger:

- `host`, `basePath` and `schemes` become `servers` (https first);
- `definitions`, `parameters`, `responses` and `securityDefinitions` become
  `components` (`schemas`, `parameters`, `responses`, `securitySchemes`), and
  references to them follow;
- `in: body` and `in: formData` parameters become request bodies, with the media
  types of `consumes`; responses get content for each media type of `produces`;
- `collectionFormat` becomes `style`/`explode`, `x-nullable` `nullable`, `type: file`
  a binary string (see `swagger_params` and `swagger_schemas`).

Every moved piece is recorded in `Conversion.renamed`, a map from a pointer into the
converted document to the pointer it was written at, so diagnostics name the
original file's lines and pointers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specloom.diagnostics import Diagnostic, Level, join_pointer
from specloom.loading.locator import Locator
from specloom.loading.sources import SourceDocument
from specloom.loading.swagger_params import (
    Located,
    body,
    collection_style,
    form_body,
    parameter,
)
from specloom.loading.swagger_schemas import fix_schema, local_ref, simple_schema

OPENAPI_VERSION = "3.0.3"
"""The OpenAPI version a Swagger 2.0 document is converted to."""

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_SECURITY_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}
"""Swagger oauth2 `flow` -> (OpenAPI 3 flow name, the URLs it keeps)."""


@dataclass
class Conversion:
    """What converting a root document found: where moved pieces were written, and problems."""

    renamed: dict[str, str] = field(default_factory=dict)
    """Pointer into the converted document -> pointer into the original (longest prefix wins)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    converter: _Converter | None = field(default=None, repr=False)

    @property
    def converted(self) -> bool:
        return self.converter is not None

    def finish(self, document: dict[str, Any]) -> None:
        """Convert the Swagger parts bundled in from other files, once bundling is done.

        The root is converted before bundling; what its references bring in from other
        files is still Swagger: schemas (`x-nullable`, `type: file`...), and parameters or
        path items that the bundler inlined. Their diagnostics point at the bundled
        document's places, as for any inlined part.
        """
        if self.converter is not None:
            self.converter.finish(document)


def to_openapi3(root: SourceDocument, locator: Locator) -> Conversion:
    """Turn a Swagger 2.0 root document into OpenAPI 3 in place.

    Documents without a `swagger` field are left alone; another Swagger version is an error.
    """
    if "swagger" not in root.content:
        return Conversion()
    version = root.content["swagger"]
    if str(version) != "2.0":
        line, column = locator.position(root, "/swagger")
        message = f"Swagger {version!r} is not a version specloom reads: Swagger 2.0 or OpenAPI 3"
        problem = Diagnostic(Level.ERROR, message, "/swagger", root.display, line, column)
        return Conversion(diagnostics=[problem])
    converter = _Converter(root.content)
    root.content = converter.convert()
    diagnostics = []
    for message, pointer in converter.warnings:
        line, column = locator.position(root, pointer)
        diagnostics.append(Diagnostic(Level.WARNING, message, pointer, root.display, line, column))
    return Conversion(converter.renamed, diagnostics, converter)


class _Converter:
    def __init__(self, swagger: dict[str, Any]) -> None:
        self._old = swagger
        self.renamed: dict[str, str] = {}
        self.warnings: list[tuple[str, str]] = []
        parameters = swagger.get("parameters")
        self._parameters: dict[str, Any] = parameters if isinstance(parameters, dict) else {}
        self._consumes = _media_types(swagger.get("consumes"))
        self._produces = _media_types(swagger.get("produces"))

    def _warn(self, message: str, pointer: str) -> None:
        self.warnings.append((message, pointer))

    def convert(self) -> dict[str, Any]:
        old = self._old
        document: dict[str, Any] = {"openapi": OPENAPI_VERSION}
        self.renamed["/openapi"] = "/swagger"
        if "info" in old:
            document["info"] = old["info"]
        servers = self._servers()
        if servers:
            document["servers"] = servers
        components: dict[str, Any] = {}
        for key, value in old.items():
            if key in ("swagger", "info", "host", "basePath", "schemes", "consumes", "produces"):
                continue
            if key == "paths" and isinstance(value, dict):
                document["paths"] = self._paths(value)
            elif key == "definitions" and isinstance(value, dict):
                for schema in value.values():
                    fix_schema(schema)
                components["schemas"] = value
                self.renamed["/components/schemas"] = "/definitions"
            elif key == "parameters" and isinstance(value, dict):
                components["parameters"] = self._global_parameters(value)
            elif key == "responses" and isinstance(value, dict):
                components["responses"] = {
                    name: self._response(
                        response,
                        join_pointer("/components/responses", name),
                        join_pointer("/responses", name),
                        self._produces,
                    )
                    for name, response in value.items()
                }
            elif key == "securityDefinitions" and isinstance(value, dict):
                components["securitySchemes"] = self._security_schemes(value)
            else:
                document[key] = value
        if "paths" not in document:
            document["paths"] = {}
        if components:
            document["components"] = components
        return document

    # Servers.

    def _servers(self) -> list[dict[str, Any]]:
        old = self._old
        host = old.get("host")
        base = old.get("basePath")
        base = base if isinstance(base, str) else ""
        if isinstance(host, str) and host:
            schemes = [s for s in old.get("schemes") or [] if isinstance(s, str)] or ["https"]
            schemes.sort(key=lambda scheme: scheme != "https")
            urls = [f"{scheme}://{host}{base}" for scheme in schemes]
            origin = "/host"
        elif base:
            urls, origin = [base], "/basePath"
        else:
            return []
        self.renamed["/servers"] = origin
        return [{"url": url} for url in urls]

    # Paths and operations.

    def _paths(self, paths: dict[str, Any]) -> dict[str, Any]:
        converted: dict[str, Any] = {}
        for path, item in paths.items():
            if not isinstance(item, dict) or path.startswith("x-"):
                converted[path] = item
            else:
                converted[path] = self._path_item(item, join_pointer("/paths", path))
        return converted

    def _path_item(self, item: dict[str, Any], pointer: str) -> dict[str, Any]:
        shared = self._located(item.get("parameters"), join_pointer(pointer, "parameters"))
        new_item: dict[str, Any] = {}
        for key, value in item.items():
            here = join_pointer(pointer, key)
            if key in _METHODS and isinstance(value, dict):
                new_item[key] = self._operation(value, here, shared)
            elif key == "parameters" and isinstance(value, list):
                plain = [p for p in shared if p.value.get("in") not in ("body", "formData")]
                new_item[key] = self._parameters_of(plain, here)
            else:
                new_item[key] = value
        return new_item

    def finish(self, document: dict[str, Any]) -> None:
        """See `Conversion.finish`."""
        components = document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if isinstance(schemas, dict):
            for schema in schemas.values():
                fix_schema(schema)  # harmless on the schemas converted already
        paths = document.get("paths")
        if not isinstance(paths, dict):
            return
        # The places recorded here would be places in other files: not recorded.
        self.renamed, self.warnings = {}, []
        for path, item in paths.items():
            if isinstance(item, dict) and not path.startswith("x-") and _still_swagger(item):
                paths[path] = self._path_item(item, join_pointer("/paths", path))

    def _located(self, parameters: Any, pointer: str) -> list[Located]:
        """The parameters of a list, each with a `$ref` to a global one resolved."""
        if not isinstance(parameters, list):
            return []
        found = []
        for index, value in enumerate(parameters):
            if not isinstance(value, dict):
                continue
            here = join_pointer(pointer, index)
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/parameters/"):
                name = ref[len("#/parameters/") :].replace("~1", "/").replace("~0", "~")
                target = self._parameters.get(name)
                if isinstance(target, dict) and target.get("in") in ("body", "formData"):
                    found.append(Located(target, join_pointer("/parameters", name)))
                    continue
            found.append(Located(value, here))
        return found

    def _parameters_of(self, parameters: list[Located], pointer: str) -> list[dict[str, Any]]:
        converted: list[dict[str, Any]] = []
        for param in parameters:
            here = join_pointer(pointer, len(converted))
            converted.append(parameter(param.value, param.pointer, self._warn))
            self.renamed[here] = param.pointer
            self.renamed[here + "/schema"] = param.pointer
        return converted

    def _operation(
        self, operation: dict[str, Any], pointer: str, shared: list[Located]
    ) -> dict[str, Any]:
        own = self._located(operation.get("parameters"), join_pointer(pointer, "parameters"))
        own_keys = {_key(self._resolved(p)) for p in own}
        inherited = [
            p
            for p in shared
            if p.value.get("in") in ("body", "formData") and _key(p.value) not in own_keys
        ]
        plain, bodies, fields = [], [], []
        for param in own + inherited:
            place = self._resolved(param).get("in")
            if place == "body":
                bodies.append(param)
            elif place == "formData":
                fields.append(param)
            else:
                plain.append(param)
        consumes = _media_types(operation.get("consumes")) if "consumes" in operation else None
        produces = _media_types(operation.get("produces")) if "produces" in operation else None
        consumes = self._consumes if consumes is None else consumes
        produces = self._produces if produces is None else produces
        request_pointer = join_pointer(pointer, "requestBody")
        request: dict[str, Any] | None = None
        if bodies:
            if len(bodies) > 1 or fields:
                self._warn(
                    "an operation has one body: only the first body parameter is used",
                    bodies[0].pointer,
                )
            request = body(bodies[0], consumes, request_pointer, self.renamed)
        elif fields:
            request = form_body(fields, consumes, request_pointer, self.renamed, self._warn)
        converted: dict[str, Any] = {}
        for key, value in operation.items():
            if key in ("consumes", "produces", "schemes"):
                continue
            if key == "parameters":
                if plain:
                    converted[key] = self._parameters_of(plain, join_pointer(pointer, key))
            elif key == "responses" and isinstance(value, dict):
                converted[key] = self._responses(value, join_pointer(pointer, key), produces)
            else:
                converted[key] = value
            if key == "parameters" and request is not None:
                converted["requestBody"] = request
        if request is not None and "requestBody" not in converted:
            converted["requestBody"] = request  # from the path's parameters
        return converted

    def _resolved(self, param: Located) -> dict[str, Any]:
        ref = param.value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            name = ref[len("#/parameters/") :].replace("~1", "/").replace("~0", "~")
            target = self._parameters.get(name)
            if isinstance(target, dict):
                return target
        return param.value

    def _global_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        converted = {}
        for name, value in parameters.items():
            if not isinstance(value, dict) or value.get("in") in ("body", "formData"):
                continue  # used where referenced: bodies are per operation
            here = join_pointer("/components/parameters", name)
            original = join_pointer("/parameters", name)
            converted[name] = parameter(value, original, self._warn)
            self.renamed[here] = original
            self.renamed[here + "/schema"] = original
        return converted

    # Responses.

    def _responses(
        self, responses: dict[str, Any], pointer: str, produces: list[str]
    ) -> dict[str, Any]:
        return {
            str(status): (
                response
                if str(status).startswith("x-")
                else self._response(
                    response,
                    join_pointer(pointer, str(status)),
                    join_pointer(pointer, str(status)),
                    produces,
                )
            )
            for status, response in responses.items()
        }

    def _response(self, response: Any, pointer: str, original: str, produces: list[str]) -> Any:
        if not isinstance(response, dict):
            return response
        if isinstance(response.get("$ref"), str):
            return {**response, "$ref": local_ref(response["$ref"])}
        if "content" in response:
            return response  # converted already
        if pointer != original:
            self.renamed[pointer] = original
        converted: dict[str, Any] = {"description": response.get("description", "")}
        if "schema" in response:
            schema = response["schema"]
            fix_schema(schema)
            examples = response.get("examples")
            examples = examples if isinstance(examples, dict) else {}
            content: dict[str, Any] = {}
            for media in produces or ["application/json"]:
                entry: dict[str, Any] = {"schema": schema}
                if media in examples:
                    entry["example"] = examples[media]
                content[media] = entry
                media_pointer = join_pointer(pointer, "content", media)
                self.renamed[media_pointer] = original
                self.renamed[media_pointer + "/schema"] = original + "/schema"
            converted["content"] = content
        headers = response.get("headers")
        if isinstance(headers, dict):
            converted["headers"] = {
                name: self._header(header, name, pointer, original)
                for name, header in headers.items()
            }
        converted.update({k: v for k, v in response.items() if k.startswith("x-")})
        return converted

    def _header(self, header: Any, name: str, response: str, original_response: str) -> Any:
        if not isinstance(header, dict) or "schema" in header:
            return header
        pointer = join_pointer(response, "headers", name)
        original = join_pointer(original_response, "headers", name)
        converted: dict[str, Any] = {}
        if "description" in header:
            converted["description"] = header["description"]
        converted["schema"] = simple_schema(header)
        if header.get("type") == "array":
            style = collection_style(header.get("collectionFormat"), "header", original, self._warn)
            if style is not None:
                converted["style"], converted["explode"] = style
        self.renamed[pointer] = original
        self.renamed[pointer + "/schema"] = original
        return converted

    # Security.

    def _security_schemes(self, definitions: dict[str, Any]) -> dict[str, Any]:
        schemes: dict[str, Any] = {}
        for name, definition in definitions.items():
            here = join_pointer("/components/securitySchemes", name)
            original = join_pointer("/securityDefinitions", name)
            self.renamed[here] = original
            if not isinstance(definition, dict):
                schemes[name] = definition
                continue
            kind = definition.get("type")
            scheme: dict[str, Any]
            if kind == "basic":
                scheme = {"type": "http", "scheme": "basic"}
            elif kind == "oauth2":
                scheme = {"type": "oauth2", "flows": self._flows(definition, here, original)}
            else:
                scheme = {k: v for k, v in definition.items() if k in ("type", "name", "in")}
            if "description" in definition:
                scheme["description"] = definition["description"]
            scheme.update({k: v for k, v in definition.items() if k.startswith("x-")})
            schemes[name] = scheme
        return schemes

    def _flows(self, definition: dict[str, Any], pointer: str, original: str) -> dict[str, Any]:
        flow = definition.get("flow")
        known = _SECURITY_FLOWS.get(flow) if isinstance(flow, str) else None
        if known is None:
            self._warn(f"unknown oauth2 flow {flow!r}: the scheme has no flows", original)
            return {}
        name, urls = known
        converted = {url: definition[url] for url in urls if url in definition}
        scopes = definition.get("scopes")
        converted["scopes"] = scopes if isinstance(scopes, dict) else {}
        self.renamed[join_pointer(pointer, "flows")] = original
        self.renamed[join_pointer(pointer, "flows", name)] = original
        return {name: converted}


def _still_swagger(item: dict[str, Any]) -> bool:
    """Whether a path item of the bundled document has Swagger parts (from another file)."""
    parameters = [item.get("parameters")]
    responses = []
    for method in _METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            parameters.append(operation.get("parameters"))
            responses.append(operation.get("responses"))
    for group in parameters:
        for param in group if isinstance(group, list) else ():
            if isinstance(param, dict) and "$ref" not in param:
                if param.get("in") in ("body", "formData"):
                    return True
                if "schema" not in param and "content" not in param:
                    return True
    for group in responses:
        for response in group.values() if isinstance(group, dict) else ():
            if isinstance(response, dict) and "schema" in response:
                return True
    return False


def _key(param: dict[str, Any]) -> tuple[Any, Any]:
    return param.get("name"), param.get("in")


def _media_types(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [media for media in value if isinstance(media, str)]
