"""The docstrings of generated code: their text, composed from the IR, and their source form.

Text is composed here as plain strings (Google style: summary, description, `Args:`,
`Raises:`); `docstring_source` then turns it into what stands between triple quotes,
escaped by `specloom.escaping.docstring_body` and laid out the way black lays out
docstrings, so formatting leaves it alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from specloom.escaping import docstring_body
from specloom.ir import (
    EnumDef,
    Field,
    ModelDef,
    Operation,
    Response,
    Service,
    TypeAliasDef,
)
from specloom.render.imports import LINE_LENGTH
from specloom.render.prose import readable, wrap

_HANGING_INDENT = "    "


@functools.lru_cache(maxsize=16_384)  # a spec repeats its descriptions: GitHub's 13,788 are 5,301
def docstring_source(text: str, indent: int) -> str:
    """`text` as the inside of a triple-quoted docstring whose statement is indented by
    `indent` spaces: escaped, continuation lines indented, closing quotes on their own line
    when there is more than one line.

    Lines longer than the line length are wrapped, as escaped (`\\"` takes two columns),
    the first leaving room for the quotes on both sides; escapes hold no space, so no
    break falls inside one."""
    room = LINE_LENGTH - indent
    body = wrap(docstring_body(text), room, room - 6)
    lines = body.split("\n")
    if len(lines) == 1:
        # black pads a docstring whose last character is a quote; the same character as an
        # escape that does not end in one reads back the same and needs no padding.
        return body[:-2] + "\\x22" if body.endswith('"') else body
    prefix = " " * indent
    # The same normalisation black applies to docstrings (PEP 257 indentation handling).
    rest = [_expand_leading_tabs(line) for line in lines[1:]]
    common = min((len(line) - len(line.lstrip()) for line in rest if line.strip()), default=0)
    out = [lines[0].strip()]
    for line in rest:
        stripped = line[common:].rstrip()
        out.append(prefix + stripped if stripped else "")
    return "\n".join(out) + "\n" + prefix


def _expand_leading_tabs(line: str) -> str:
    stripped = line.lstrip()
    if not stripped or stripped == line:
        return line
    return line[: len(line) - len(stripped)].expandtabs(4) + stripped


def api_label(title: str) -> str:
    """How generated docstrings name the API: `the Petstore API`."""
    name = " ".join(title.split())
    if not name:
        return "the API"
    if name.lower().endswith("api"):
        return f"the {name}"
    return f"the {name} API"


def paragraphs(*parts: str) -> str:
    """The non-empty `parts`, stripped, separated by blank lines."""
    return "\n\n".join(part.strip() for part in parts if part.strip())


def package_doc(title: str, description: str) -> str:
    """The docstring of the generated package's `__init__.py`."""
    return paragraphs(title, readable(description)) or "A client and server for the API."


def service_doc(service: Service, *, server: bool) -> str:
    """The docstring of a client service or a server `<Tag>Api` class."""
    summary = readable(service.description) or f"The `{service.tag}` operations."
    if server:
        return paragraphs(
            summary,
            "Subclass it and override the operations you implement; the others answer 501.",
        )
    return summary


def webhooks_doc(service: Service) -> str:
    """The docstring of a `<Tag>Webhooks` receiver class."""
    return paragraphs(
        f"The `{service.tag}` webhooks and callbacks: requests the API sends to you.",
        "Subclass it, override the ones you receive and serve it with\n"
        "`create_webhooks_app`: each at `/<name>` (its webhook's or callback's name)\n"
        "below wherever the app is mounted. The others answer 501.",
    )


def operation_doc(operation: Operation, *, server: bool) -> str:
    """The docstring of a client method or a handler method.

    Client methods list the declared error responses under `Raises:`; handlers do not
    raise them (they return status responses), so theirs leave that section out.
    """
    summary = operation.summary
    if not summary.strip() and not operation.description.strip():
        summary = f"`{operation.method} {_request_target(operation)}`"
    sections = [
        readable(summary),
        readable(operation.description),
        "Deprecated." if operation.deprecated else "",
        _shadowed_note(operation) if server else "",
        _section("Args", _argument_entries(operation)),
    ]
    if not server:
        sections.append(_section("Raises", _raises_entries(operation)))
    return paragraphs(*sections)


def _request_target(operation: Operation) -> str:
    """The operation's path with the query constants that select it: `/?Action=CreateTags`."""
    constants = "&".join(f"{name}={value}" for name, value in operation.constant_query)
    return f"{operation.path}?{constants}" if constants else operation.path


def _shadowed_note(operation: Operation) -> str:
    """For a handler the server never calls (`Operation.server_shadowed_by`)."""
    if not operation.server_shadowed_by:
        return ""
    return (
        f"Never called: no request tells this operation apart from "
        f"`{operation.server_shadowed_by}`, which the server routes its requests to."
    )


def with_response_doc(operation: Operation) -> str:
    """The docstring of a client's `<name>_with_response` method."""
    return paragraphs(
        f"Like `{operation.python_name}`, but returns the whole `Response`.",
        "Besides the data, it has the status code, the headers and the time taken.\n"
        "With `raise_for_status=False`, a declared error status comes back too, its\n"
        "body parsed.",
    )


def header_class_doc(operation: Operation, response: Response) -> str:
    """The docstring of a response class taking the headers a response declares."""
    entries = [
        (h.python_name, f"`{h.wire_name}` header. {readable(h.description)}".strip())
        for h in response.headers
    ]
    return paragraphs(
        f"The {response.status} response of `{operation.python_name}`, with its headers.",
        readable(response.description),
        _section("Args", entries),
    )


def pagination_doc(operation: Operation) -> str:
    """The docstring of an `iter_<operation>` method, saying the rule it follows."""
    pagination = operation.pagination
    assert pagination is not None
    if pagination.kind == "page":
        rule = (
            "Takes the same arguments; pages follow while `links.next` is set,\n"
            f"asking for `{pagination.parameter}` = `meta.current_page` + 1."
        )
    else:
        rule = (
            "Takes the same arguments; pages follow while `meta.next_cursor` is set,\n"
            f"passing it as `{pagination.parameter}`."
        )
    return paragraphs(f"Every item of `{operation.python_name}`, fetching page after page.", rule)


def model_doc(definition: ModelDef | EnumDef | TypeAliasDef) -> str:
    """The docstring of a generated model or enum class (empty when the spec has none)."""
    return readable(definition.description).strip()


def field_doc(field: Field) -> str:
    """The attribute docstring under a model field (empty when there is nothing to say)."""
    notes = [
        "Deprecated." if field.deprecated else "",
        "Read-only: sent by the server, not in requests." if field.read_only else "",
        "Write-only: sent in requests, not by the server." if field.write_only else "",
    ]
    return paragraphs(readable(field.description), " ".join(note for note in notes if note))


def _argument_entries(operation: Operation) -> list[tuple[str, str]]:
    entries = [
        (parameter.python_name, _deprecated(readable(parameter.description), parameter.deprecated))
        for parameter in operation.parameters
    ]
    if operation.body is not None:
        entries.append(("body", readable(operation.body.description)))
    return [(name, text) for name, text in entries if text.strip()]


def _deprecated(description: str, deprecated: bool) -> str:
    return f"Deprecated. {description.strip()}".strip() if deprecated else description


def _raises_entries(operation: Operation) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    for response in operation.responses:
        if response.is_success:
            continue
        text = f"``{response.status}``"
        if response.description.strip():
            text += f": {readable(response.description).strip()}"
        if response.annotation is not None:
            text += f" (body: {response.annotation})"
        entries.append(("DeclaredStatusError", text))
    return entries


def _section(heading: str, entries: Iterable[tuple[str, str]]) -> str:
    lines = [f"{name}: {_hang(text)}" for name, text in entries]
    if not lines:
        return ""
    return f"{heading}:\n" + "\n".join(_HANGING_INDENT + line for line in lines)


def _hang(text: str) -> str:
    # Continuation lines of an entry sit one level deeper than the entry itself.
    lines = text.strip().replace("\r\n", "\n").split("\n")
    deeper = "\n" + _HANGING_INDENT * 2
    return lines[0] + "".join(deeper + line if line.strip() else "\n" for line in lines[1:])
