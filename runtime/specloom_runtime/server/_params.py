"""Reading one parameter from a request: find it, decode it by style, validate it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Union
from urllib.parse import unquote

from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import Headers
from starlette.requests import Request

from .._adapters import adapter_for
from .._shapes import (
    ANY_OBJECT,
    ObjectLayout,
    Shape,
    indexed_layout,
    is_list_or_scalar,
    object_layout,
    object_members,
    shape_of,
)
from ..fields import STRICT_CONTEXT
from ..operation import ParamSpec
from ._json_items import has_json_items, json_fields, parsed_fields, parsed_items
from ._problems import Problem
from ._scalars import Reading, convert, one_texts_as_scalars, raw_kind, strict_raw
from ._styles import (
    Raw,
    StyleError,
    cookie_pairs,
    decode_header,
    decode_pairs,
    decode_path,
    percent_decoded,
)
from ._validation import describe_path, located_errors


class RequestValues:
    """Where the parameters of one request come from, each source parsed at most once."""

    def __init__(self, request: Request) -> None:
        self._request = request

    @property
    def path(self) -> Mapping[str, str]:
        """Path parameters, by Python name, still percent-encoded (see `_routing`)."""
        return self._request.path_params

    @property
    def headers(self) -> Headers:
        return self._request.headers

    @property
    def last_query_values(self) -> Mapping[str, str]:
        """The last value of each query parameter, by name."""
        return self._request.query_params

    @cached_property
    def query(self) -> list[tuple[str, str]]:
        return self._request.query_params.multi_items()

    @cached_property
    def cookies(self) -> list[tuple[str, str]]:
        return cookie_pairs("; ".join(self._request.headers.getlist("cookie")))


@dataclass(frozen=True)
class ParamReader:
    """Everything needed to read one parameter, worked out once when the app is built."""

    spec: ParamSpec
    adapter: TypeAdapter[Any]
    shape: Shape
    layout: ObjectLayout
    reserved: frozenset[str]
    """The wire names of the other parameters in the same place, and of the operation's
    constant query parameters for one in the query: never part of this one."""
    kind: Reading
    """What the texts of a scalar or array parameter must spell (see `_scalars`)."""
    style: str
    explode: bool
    json_items: bool
    """The items of an array, or the values of a map, are objects or arrays: JSON text."""
    json_fields: frozenset[str]
    """The keys of an object (not `deepObject`) whose values are JSON text."""
    listed: bool = False
    """A `deepObject` union of an array and scalars (stripe's `discounts`: objects by
    index, or `""`): decoded as the array, one text read as the scalar when it fits."""
    direct: Callable[[RequestValues], Raw | None] | None = field(
        default=None, compare=False, repr=False
    )
    """Reads the value where its style adds nothing to decode (see `_direct_reader`);
    None: decoded by style."""

    @classmethod
    def for_param(
        cls, spec: ParamSpec, siblings: Sequence[ParamSpec], constants: Sequence[str] = ()
    ) -> ParamReader:
        """The reader of `spec`, one of `siblings`; `constants` are the names of the
        operation's constant query parameters (`OperationSpec.query`)."""
        shape = shape_of(spec.annotation)
        style = spec.effective_style
        listed = style == "deepObject" and is_list_or_scalar(spec.annotation)
        if shape is Shape.OBJECT:
            layout = object_layout(spec.annotation)
        elif style == "deepObject" and (shape is Shape.ARRAY or listed):
            layout = indexed_layout(spec.annotation)  # `name[0][type]=...`: items by index
        elif style == "deepObject" and (objects := object_members(spec.annotation)):
            layout = object_layout(Union[tuple(objects)])  # noqa: UP007
        else:
            layout = ANY_OBJECT
        return cls(
            spec=spec,
            adapter=adapter_for(spec.annotation),
            shape=shape,
            layout=layout,
            reserved=frozenset(
                other.wire_name
                for other in siblings
                if other.location == spec.location and other is not spec
            )
            | frozenset(constants if spec.location == "query" else ())
            | (_others_fields(spec, siblings) if layout.keys is None else frozenset()),
            kind=raw_kind(shape, spec.annotation),
            style=style,
            explode=spec.effective_explode,
            json_items=style != "deepObject" and has_json_items(spec.annotation, shape, layout),
            json_fields=json_fields(layout) if style != "deepObject" else frozenset(),
            listed=listed,
            direct=_direct_reader(spec, shape),
        )

    def read(self, values: RequestValues, problems: list[Problem]) -> Any:
        """The validated value; None (with problems added) when it is invalid or missing."""
        if self.spec.content_type:
            return self._read_json(values, problems)
        try:
            direct = self.direct
            raw = self._decode(values) if direct is None else direct(values)
            if self.style == "deepObject" and raw is not None:
                # Nested fields that are a list or a scalar, sent once: the scalar if it fits.
                raw = one_texts_as_scalars(raw, self.spec.annotation)
            if raw is None:
                if self.spec.required:
                    problems.append(
                        self._problem(f"required {self.spec.location} parameter is missing")
                    )
                return self._default()
            if self.json_items:
                raw = parsed_items(raw, self.spec.wire_name)
            elif self.json_fields:
                raw = parsed_fields(raw, self.json_fields, self.spec.wire_name)
            if type(raw) is str and self.shape is Shape.SCALAR:
                value = convert(raw, self.kind)
            else:
                value = strict_raw(raw, self.shape, self.kind, self.layout)
        except StyleError as error:
            problems.append(self._problem(str(error)))
            return None
        try:
            # The validator itself: the TypeAdapter's wrapper costs more than a scalar's check.
            return self.adapter.validator.validate_python(value, context=STRICT_CONTEXT)
        except ValidationError as error:
            for path, message in located_errors(error, value):
                where = describe_path(path)
                problems.append(self._problem(f"{where}: {message}" if where else message))
            return None

    def _read_json(self, values: RequestValues, problems: list[Problem]) -> Any:
        """A parameter declared with `content`: its value is JSON text."""
        text = self._text(values)
        if text is None:
            if self.spec.required:
                problems.append(
                    self._problem(f"required {self.spec.location} parameter is missing")
                )
            return self._default()
        try:
            document = json.loads(text)
        except ValueError:
            problems.append(self._problem(f"is not valid JSON ({self.spec.content_type})"))
            return None
        try:
            return self.adapter.validate_python(document)
        except ValidationError as error:
            for path, message in located_errors(error, document):
                where = describe_path(path)
                problems.append(self._problem(f"{where}: {message}" if where else message))
            return None

    def _text(self, values: RequestValues) -> str | None:
        spec = self.spec
        if spec.location == "path":
            value = values.path.get(spec.name)
            return None if value is None else unquote(value)
        if spec.location == "header":
            lines = values.headers.getlist(spec.wire_name)
            return ",".join(lines) if lines else None
        pairs = values.query if spec.location == "query" else values.cookies
        return next((value for key, value in pairs if key == spec.wire_name), None)

    def _decode(self, values: RequestValues) -> Raw | None:
        spec = self.spec
        if spec.location == "path":
            value = values.path.get(spec.name)
            if value is None:
                return None
            return decode_path(
                value, name=spec.wire_name, style=self.style, explode=self.explode, shape=self.shape
            )
        if spec.location == "header":
            lines = values.headers.getlist(spec.wire_name)
            if not lines:
                return None
            return decode_header(
                ",".join(lines), explode=self.explode, shape=self.shape, json_items=self.json_items
            )
        return decode_pairs(
            values.query if spec.location == "query" else values.cookies,
            name=spec.wire_name,
            style=self.style,
            explode=self.explode,
            shape=Shape.ARRAY if self.listed else self.shape,
            layout=self.layout,
            reserved=self.reserved,
            json_items=self.json_items,
        )

    def _default(self) -> Any:
        """The spec's default, validated (so `"available"` becomes an enum member), or None."""
        if self.spec.default is None:
            return None
        try:
            return self.adapter.validate_python(self.spec.default)
        except ValidationError:
            return self.spec.default

    def _problem(self, message: str) -> Problem:
        return Problem(self.spec.location, message, name=self.spec.wire_name)


def _others_fields(spec: ParamSpec, siblings: Sequence[ParamSpec]) -> frozenset[str]:
    """For a map exploded in the query (it takes any key), the fields the other exploded
    objects declare: those pairs are theirs, not entries of the map."""
    if spec.location != "query" or not _exploded_form(spec):
        return frozenset()
    return frozenset(
        key
        for other in siblings
        if other is not spec and other.location == "query" and _exploded_form(other)
        if shape_of(other.annotation) is Shape.OBJECT
        for key in object_layout(other.annotation).keys or ()
    )


def _exploded_form(spec: ParamSpec) -> bool:
    return spec.effective_style == "form" and spec.effective_explode


def _direct_reader(spec: ParamSpec, shape: Shape) -> Callable[[RequestValues], Raw | None] | None:
    """What `ParamReader._decode` makes of a value, without the style machinery, for the
    common cases: of a scalar, the percent-decoded `simple` path value, the last value of
    a query parameter, a header's lines joined and trimmed; of an array, the values of an
    exploded `form` query parameter. None for the other places, shapes and styles."""
    if spec.content_type:
        return None
    name, wire_name = spec.name, spec.wire_name
    if shape is Shape.ARRAY and spec.location == "query":
        if spec.effective_style != "form" or not spec.effective_explode:
            return None

        def query_values(values: RequestValues) -> list[str] | None:
            return [value for key, value in values.query if key == wire_name] or None

        return query_values
    if shape is not Shape.SCALAR or spec.effective_style == "deepObject":
        return None  # a deepObject scalar may be a union's object member: `_decode` knows
    if spec.location == "path" and spec.effective_style == "simple":

        def path_text(values: RequestValues) -> str | None:
            value = values.path.get(name)
            if value is None or "%" not in value:
                return value
            return percent_decoded(value)

        return path_text
    if spec.location == "query":

        def query_text(values: RequestValues) -> str | None:
            return values.last_query_values.get(wire_name)

        return query_text
    if spec.location == "header":

        def header_text(values: RequestValues) -> str | None:
            lines = values.headers.getlist(wire_name)
            return ",".join(lines).strip() if lines else None

        return header_text
    return None
