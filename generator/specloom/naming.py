"""Python names for everything the spec names: the one place identifiers are made.

Three case styles turn arbitrary spec strings into identifiers: `snake_case`
(fields, parameters, methods, service attributes), `pascal_case` (types and
classes) and `upper_snake` (enum members, operation constants). Each always
returns a valid identifier that is not a keyword or soft keyword: text is
transliterated to ASCII, split into words at case changes and punctuation,
prefixed with `_` when it would start with a digit, given a trailing `_` when
it is a keyword, and replaced by a fallback when nothing is left.

A `Scope` hands out names unique within one namespace (a model's fields, an
operation's parameters, the module-level type names), with deterministic
suffixes. The wire name is never changed: callers keep it beside the Python
name.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

SOFT_KEYWORDS = frozenset({"_", "case", "match", "type"})
"""Soft keywords of every supported Python version (fixed, so output never depends on
the interpreter that generated it)."""

BUILTIN_CLASS_NAMES = frozenset(
    {
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BaseException",
        "BaseExceptionGroup",
        "BlockingIOError",
        "BrokenPipeError",
        "BufferError",
        "BytesWarning",
        "ChildProcessError",
        "ConnectionAbortedError",
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "DeprecationWarning",
        "EOFError",
        "Ellipsis",
        "EncodingWarning",
        "EnvironmentError",
        "Exception",
        "ExceptionGroup",
        "FileExistsError",
        "FileNotFoundError",
        "FloatingPointError",
        "FutureWarning",
        "GeneratorExit",
        "IOError",
        "ImportError",
        "ImportWarning",
        "IndentationError",
        "IndexError",
        "InterruptedError",
        "IsADirectoryError",
        "KeyError",
        "KeyboardInterrupt",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "NotADirectoryError",
        "NotImplemented",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "PendingDeprecationWarning",
        "PermissionError",
        "ProcessLookupError",
        "PythonFinalizationError",
        "RecursionError",
        "ReferenceError",
        "ResourceWarning",
        "RuntimeError",
        "RuntimeWarning",
        "StopAsyncIteration",
        "StopIteration",
        "SyntaxError",
        "SyntaxWarning",
        "SystemError",
        "SystemExit",
        "TabError",
        "TimeoutError",
        "TypeError",
        "UnboundLocalError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "UnicodeError",
        "UnicodeTranslateError",
        "UnicodeWarning",
        "UserWarning",
        "ValueError",
        "Warning",
        "ZeroDivisionError",
    }
)
"""Capitalised builtins (Python 3.10-3.13). A generated type must not take one of these
names: a model annotation naming it before its definition would resolve to the builtin."""

MODULE_NAMES = frozenset(
    {
        "Accepted",
        "Annotated",
        "Any",
        "AsyncClient",
        "AsyncClientCore",
        "BadRequest",
        "BaseModel",
        "BodySpec",
        "ClassVar",
        "Client",
        "ClientCore",
        "ConfigDict",
        "Conflict",
        "Created",
        "Field",
        "Forbidden",
        "InternalServerError",
        "Literal",
        "Mapping",
        "NoContent",
        "NotFound",
        "NotImplementedOperation",
        "Ok",
        "OperationSpec",
        "ParamSpec",
        "Response",
        "ResponseSpec",
        "Starlette",
        "StatusResponse",
        "TooManyRequests",
        "TracebackType",
        "TypeAlias",
        "Unauthorized",
        "UnprocessableEntity",
        "WithStatus",
        # Server features: fields, uploads, page iterators.
        "AsyncIterator",
        "FileContent",
        "Iterator",
        "Omittable",
        "PageRule",
    }
)
"""Names the generated modules import or define besides the spec's types."""

FILE_CONTENT = "FileContent"
"""The type of `format: binary` values: the runtime's `specloom_runtime.uploads.FileContent`,
imported (and re-exported) by the models module."""

RESERVED_TYPE_NAMES = MODULE_NAMES | BUILTIN_CLASS_NAMES
"""Names generated types avoid (they get a `Model` suffix instead)."""

ANNOTATION_NAMES = frozenset(
    {
        "Any",
        "Literal",
        "bool",
        "bytes",
        "datetime",
        "dict",
        "enum",
        "float",
        "int",
        "list",
        "str",
        "uuid",
    }
)
"""Names a generated annotation may use; nothing generated in the same scope may shadow them."""

PYDANTIC_MODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "fields",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "mro",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "register",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)
"""Public attributes of `pydantic.BaseModel` and its metaclass (`register`, `mro`); a field
with one of these names would shadow it."""

PYDANTIC_PROTECTED_PREFIXES = ("model_dump", "model_validate")
"""Field-name prefixes pydantic warns about (its default `protected_namespaces`)."""

CLIENT_ATTRIBUTES = frozenset({"aclose", "close"})
"""Attributes of the generated `Client`/`AsyncClient` that a service attribute must not replace."""

SERVICE_METHOD_RESERVED = ANNOTATION_NAMES | {"operations"}
"""Names an operation method must avoid: a method named `list` would shadow the builtin in
the annotations of later methods, and `<Tag>Api.operations` is the class's descriptor tuple."""

PARAMETER_RESERVED = ANNOTATION_NAMES | {"body", "self"}
"""Names a keyword parameter must avoid."""

CLIENT_OPTION_NAMES = frozenset(
    {"auth", "base_url", "headers", "http_client", "max_retries", "retry", "self", "timeout"}
    | {"deadline", "max_in_flight", "max_response_size", "options", "raise_for_status"}
    | {"rate_limits", "request_hooks", "response_hooks", "retry_budget"}
    | {"choose_base_url", "httpx"}
)
"""Keyword arguments of the generated `Client` other than credentials, and the module names
its constructor reads: a security scheme's keyword must avoid them (a scheme named `auth`
becomes `auth_`)."""

WITH_RESPONSE_SUFFIX = "_with_response"

_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+[a-z]*")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_PASCAL = re.compile(r"[A-Z][A-Za-z0-9]*\Z")


@lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[str, ...]:
    """`text` split into ASCII words: at punctuation, spaces and case changes.

    `"petId"` -> `("pet", "Id")`, `"HTTPServer2Go"` -> `("HTTP", "Server2", "Go")`,
    `"ship-date"` -> `("ship", "date")`, `"café"` -> `("cafe",)`. Results are cached: the
    same strings recur throughout a spec (so are those of the cases made of them below).
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return tuple(
        word for chunk in _NON_ALNUM.split(ascii_text) for word in _CAMEL_WORD.findall(chunk)
    )


@lru_cache(maxsize=1 << 16)
def snake_case(text: str, fallback: str = "value") -> str:
    """`text` as a lower_snake_case identifier: `"X-Request-Id"` -> `"x_request_id"`."""
    return _identifier("_".join(w.lower() for w in words(text)), fallback)


@lru_cache(maxsize=1 << 16)
def pascal_case(text: str, fallback: str = "Model") -> str:
    """`text` as a PascalCase identifier; a word's own capitals are kept (`"HTTPError"`), and
    a name that already is one (`"Sha256sum"`) is kept as it is."""
    if _PASCAL.match(text):
        return escape_keyword(text)
    return _identifier("".join(_capitalize(w) for w in words(text)), fallback)


def _capitalize(word: str) -> str:
    # The first letter, even after leading digits ("2fa" -> "2Fa"), so that the result
    # splits into the same words again.
    digits = len(word) - len(word.lstrip("0123456789"))
    return word[:digits] + word[digits : digits + 1].upper() + word[digits + 1 :]


@lru_cache(maxsize=1 << 16)
def upper_snake(text: str, fallback: str = "VALUE") -> str:
    """`text` as an UPPER_SNAKE_CASE identifier: `"in-progress"` -> `"IN_PROGRESS"`."""
    return _identifier("_".join(w.upper() for w in words(text)), fallback)


def _identifier(name: str, fallback: str) -> str:
    if not name:
        name = fallback
    if name[0].isdigit():
        name = "_" + name
    return escape_keyword(name)


def escape_keyword(name: str) -> str:
    """`name` with a trailing `_` when it is a keyword or soft keyword."""
    if keyword.iskeyword(name) or name in SOFT_KEYWORDS:
        return name + "_"
    return name


class Scope:
    """One namespace: hands out unique names, deterministically, in claim order.

    A taken name gets a numeric suffix (`name_2`, `name_3`, ... with the default
    separator; `Name2` with `separator=""`). A name in `reserved` first tries
    `name + reserved_suffix` when one is given (`json` -> `json_`, `Any` -> `AnyModel`).
    `companions` lists extra names a claim occupies, e.g. a method `foo` also occupying
    `foo_with_response`.
    """

    def __init__(
        self,
        reserved: Iterable[str] = (),
        *,
        separator: str = "_",
        reserved_suffix: str = "",
        companions: Callable[[str], Iterable[str]] | None = None,
    ) -> None:
        self._reserved = frozenset(reserved)
        self._taken: set[str] = set()
        self._separator = separator
        self._reserved_suffix = reserved_suffix
        self._companions = companions

    def __contains__(self, name: object) -> bool:
        return name in self._taken or name in self._reserved

    def taken(self) -> frozenset[str]:
        """Every name claimed so far."""
        return frozenset(self._taken)

    def claim(self, candidate: str) -> str:
        """A free name based on `candidate` (itself when free); it is taken from now on."""
        name = candidate
        if name in self._reserved and self._reserved_suffix:
            name += self._reserved_suffix
        base = name.rstrip("_") or name
        counter = 2
        while not self._is_free(name):
            name = f"{base}{self._separator}{counter}"
            counter += 1
        if self._companions is None:
            self._taken.add(name)
        else:
            self._taken.update(self._occupied(name))
        return name

    def _occupied(self, name: str) -> list[str]:
        extra = list(self._companions(name)) if self._companions else []
        return [name, *extra]

    def _is_free(self, name: str) -> bool:
        if self._companions is None:  # most scopes: tens of thousands of claims a large spec
            return name not in self._taken and name not in self._reserved
        return not any(n in self for n in self._occupied(name))


def type_scope(reserved: Iterable[str] = ()) -> Scope:
    """The module-level namespace of generated types (`Any` -> `AnyModel`, then `Pet2`)."""
    return Scope(RESERVED_TYPE_NAMES | frozenset(reserved), separator="", reserved_suffix="Model")


def field_scope(type_names: Iterable[str] = ()) -> Scope:
    """The field namespace of one model; `type_names` are the types its annotations use."""
    reserved = PYDANTIC_MODEL_ATTRIBUTES | ANNOTATION_NAMES | frozenset(type_names)
    return Scope(reserved, reserved_suffix="_")


def field_name(wire_name: str, scope: Scope) -> str:
    """A model field name for `wire_name`: snake_case, public and not a pydantic attribute."""
    name = snake_case(wire_name, fallback="field")
    if name.startswith("_") or name.startswith(PYDANTIC_PROTECTED_PREFIXES):
        name = "field" + name if name.startswith("_") else "field_" + name
    return scope.claim(name)


def parameter_scope() -> Scope:
    """The keyword-argument namespace of one operation."""
    return Scope(PARAMETER_RESERVED, reserved_suffix="_")


def credential_scope() -> Scope:
    """The namespace of the client's credential keywords (one per security scheme)."""
    return Scope(ANNOTATION_NAMES | CLIENT_OPTION_NAMES, reserved_suffix="_")


def method_scope() -> Scope:
    """The method namespace of one service; `foo` also occupies `foo_with_response`."""
    return Scope(
        SERVICE_METHOD_RESERVED,
        reserved_suffix="_",
        companions=lambda name: (name + WITH_RESPONSE_SUFFIX,),
    )


def operation_name(operation_id: str, method: str, path: str) -> str:
    """The method name candidate: the operationId, else method and path
    (`get /pets/{petId}` -> `get_pets_pet_id`)."""
    if words(operation_id):
        return snake_case(operation_id)
    return snake_case(f"{method} {path}", fallback=method.lower() or "operation")


MAX_MODULE_NAME_BYTES = 100
"""The longest module name taken from a spec's name (a definition's, a tag's). Names made
of a path's parts run to 300 characters (Microsoft Graph beta), and most file systems
refuse a file name over 255 bytes; this leaves room for `.py`, a number for uniqueness and
the `.cpython-3XX.pyc` of a compiled module."""


def module_names(stems: Iterable[str]) -> list[str]:
    """A module name for each stem: at most `MAX_MODULE_NAME_BYTES` long (cut between
    characters) before the number that keeps it unique even where names differ only in
    case (file systems that ignore case)."""
    taken: set[str] = set()
    names: list[str] = []
    for stem in stems:
        base = _shortened(stem)
        name, number = base, 2
        while name.casefold() in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _shortened(name: str) -> str:
    encoded = name.encode("utf-8")
    if len(encoded) <= MAX_MODULE_NAME_BYTES:
        return name
    return encoded[:MAX_MODULE_NAME_BYTES].decode("utf-8", "ignore").rstrip("_")


def service_attribute(tag: str) -> str:
    """The client attribute for a tag's service: snake_case, never one of Client's own."""
    name = snake_case(tag, fallback="default")
    return name + "_" if name in CLIENT_ATTRIBUTES else name


def component_name(pointer: str) -> str | None:
    """The PascalCase name of the reusable component a JSON pointer is (or is in), for the
    types defined inline in it: `/components/parameters/TweetFieldsParameter` ->
    `TweetFieldsParameter`; None outside `components` (and for schemas, named already)."""
    tokens = pointer.split("/")
    if len(tokens) < 4 or tokens[1] != "components" or tokens[2] == "schemas":
        return None
    return pascal_case(tokens[3].replace("~1", "/").replace("~0", "~"))


def enum_member_name(value: str | int) -> str:
    """The UPPER_SNAKE member candidate for an enum value (`""` -> `EMPTY`, `-1` -> `MINUS_1`)."""
    if isinstance(value, int) and value < 0:
        return "MINUS_" + str(-value)
    text = str(value)
    return upper_snake(text, fallback="EMPTY" if text == "" else "VALUE")
