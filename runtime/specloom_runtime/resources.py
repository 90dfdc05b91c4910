"""Resources: the server-side layer that turns domain objects into response bodies.

A `JsonResource` wraps one domain object (`self.resource`) and maps it to the response
shape in `to_dict(request)`; a collection of them serializes under `data`, and, given a
paginator, adds `meta` and `links` (full URLs built from the request, keeping its other
query parameters):

```python
class UserResource(JsonResource[User]):
    def to_dict(self, request: Request | None) -> dict[str, Any]:
        return {
            "id": self.resource.id,
            "name": self.resource.name,
            "email": self.when(self.resource.email_public, self.resource.email),
            "team": self.when_loaded("team"),
            **self.merge_when(is_admin(request), {"role": self.resource.role}),
        }

async def list_users(self, *, page: int | None = None, per_page: int | None = None):
    users, total = await repository.page(page or 1, per_page or 10)
    return UserResource.collection(Page(users, total, page or 1, per_page or 10))
```

A generated handler may return a resource or collection (or raise/return it in a status
response): the server resolves it with the request, then encodes and checks it by the
declared response type. Outside a handler, `response(request)` gives a Starlette response.

`when`, `when_loaded` and `merge_when` leave keys out (never `null`); `additional(...)`
adds top-level keys, the caller's winning over the resource's own.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from typing_extensions import Self

__all__ = [
    "MISSING",
    "CursorPage",
    "JsonResource",
    "Page",
    "Resource",
    "ResourceCollection",
]

T = TypeVar("T")


class _Missing:
    """The value of a key to leave out of a resource's dict."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""A key whose value is MISSING is left out of the resolved dict."""


class Resource:
    """What a handler may return in place of a body: resolved with the request to JSON data."""

    _additional: dict[str, Any]

    def resolve(self, request: Request | None = None) -> Any:
        """The JSON-ready data for this resource, MISSING keys left out."""
        raise NotImplementedError

    def additional(self, mapping: Mapping[str, Any]) -> Self:
        """Add top-level keys to the resolved dict; they win over the resource's own."""
        self._additional = {**getattr(self, "_additional", {}), **mapping}
        return self

    def response(
        self,
        request: Request | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """A Starlette JSON response of the resolved resource."""
        return JSONResponse(self.resolve(request), status_code, dict(headers or {}))

    def _with_additional(self, data: dict[str, Any], request: Request | None) -> dict[str, Any]:
        extra = resolve_value(getattr(self, "_additional", {}), request)
        return {**data, **extra}


class JsonResource(Resource, Generic[T]):
    """One domain object as a response body. Override `to_dict`; by default it is the
    object's own data (a pydantic model's JSON dump, a dataclass's fields, a mapping)."""

    def __init__(self, resource: T) -> None:
        self.resource = resource
        self._additional = {}

    def to_dict(self, request: Request | None) -> dict[str, Any]:
        """The response shape of `self.resource`; keys valued MISSING are left out."""
        return _own_data(self.resource)

    def resolve(self, request: Request | None = None) -> dict[str, Any]:
        data = resolve_value(self.to_dict(request), request)
        return self._with_additional(data, request)

    @classmethod
    def collection(cls, items: Iterable[T] | Page[T] | CursorPage[T]) -> ResourceCollection[T]:
        """The items (or a page of them) as a collection of this resource, under `data`."""
        return ResourceCollection(cls, items)

    def when(self, condition: object, value: Any) -> Any:
        """`value` when `condition` is true, else the key is left out."""
        return value if condition else MISSING

    def when_loaded(self, name: str, value: Any = MISSING) -> Any:
        """The attribute `name` (or `value`, if given) when it is already loaded on the
        resource, else the key is left out. It never loads it: an attribute counts as
        loaded when it is in the object's `__dict__` (as ORMs such as SQLAlchemy keep
        loaded relations), in a mapping, or a set field of a pydantic model."""
        if not _is_loaded(self.resource, name):
            return MISSING
        if value is not MISSING:
            return value
        if isinstance(self.resource, Mapping):
            return self.resource[name]
        return vars(self.resource)[name] if hasattr(self.resource, "__dict__") else MISSING

    def merge_when(self, condition: object, mapping: Mapping[str, Any]) -> dict[str, Any]:
        """`mapping` when `condition` is true, else nothing: `**self.merge_when(c, {...})`."""
        return dict(mapping) if condition else {}


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paginated listing: the page's items, the total count, the page number
    (from 1) and the page size. Links change the query parameter `page_parameter`."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int
    page_parameter: str = "page"

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page > 0 else 1

    def meta(self) -> dict[str, Any]:
        first = (self.page - 1) * self.per_page + 1 if self.items else None
        return {
            "total": self.total,
            "per_page": self.per_page,
            "current_page": self.page,
            "last_page": self.last_page,
            "from": first,
            "to": first + len(self.items) - 1 if first is not None else None,
        }

    def links(self, request: Request | None) -> dict[str, Any]:
        def link(page: int | None) -> Any:
            if page is None or request is None:
                return page
            return str(request.url.include_query_params(**{self.page_parameter: page}))

        last = self.last_page
        return {
            "first": link(1),
            "last": link(last),
            "prev": link(self.page - 1 if 1 < self.page <= last + 1 else None),
            "next": link(self.page + 1 if self.page < last else None),
        }


@dataclass(frozen=True)
class CursorPage(Generic[T]):
    """One page of a cursor-paginated listing: the items, the page size and the cursors of
    the next and previous pages (None at either end). Links change `cursor_parameter`."""

    items: Sequence[T]
    per_page: int
    next_cursor: str | None = None
    prev_cursor: str | None = None
    cursor_parameter: str = "cursor"

    def meta(self) -> dict[str, Any]:
        return {
            "per_page": self.per_page,
            "next_cursor": self.next_cursor,
            "prev_cursor": self.prev_cursor,
        }

    def links(self, request: Request | None) -> dict[str, Any]:
        def link(cursor: str | None) -> Any:
            if cursor is None or request is None:
                return cursor
            return str(request.url.include_query_params(**{self.cursor_parameter: cursor}))

        first = str(request.url.remove_query_params(self.cursor_parameter)) if request else None
        return {
            "first": first,
            "last": None,
            "prev": link(self.prev_cursor),
            "next": link(self.next_cursor),
        }


class ResourceCollection(Resource, Generic[T]):
    """Items as a list of resources under `data`; with a page, also `meta` and `links`."""

    def __init__(
        self,
        resource_class: type[JsonResource[T]],
        items: Iterable[T] | Page[T] | CursorPage[T],
    ) -> None:
        self.resource_class = resource_class
        self.page: Page[T] | CursorPage[T] | None = None
        if isinstance(items, (Page, CursorPage)):
            self.page, self.items = items, list(items.items)
        else:
            self.items = list(items)
        self._additional = {}

    def resolve(self, request: Request | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "data": [self.resource_class(item).resolve(request) for item in self.items]
        }
        if self.page is not None:
            data["meta"] = self.page.meta()
            data["links"] = self.page.links(request)
        return self._with_additional(data, request)


def resolve_value(value: Any, request: Request | None) -> Any:
    """`value` with resources resolved and MISSING entries left out, all the way down."""
    if isinstance(value, Resource):
        return value.resolve(request)
    if isinstance(value, Mapping):
        return {
            key: resolve_value(item, request) for key, item in value.items() if item is not MISSING
        }
    if isinstance(value, (list, tuple)):
        return [resolve_value(item, request) for item in value if item is not MISSING]
    return value


def _own_data(resource: object) -> dict[str, Any]:
    if isinstance(resource, BaseModel):
        return resource.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if dataclasses.is_dataclass(resource) and not isinstance(resource, type):
        return dataclasses.asdict(resource)
    if isinstance(resource, Mapping):
        return dict(resource)
    return {key: value for key, value in vars(resource).items() if not key.startswith("_")}


def _is_loaded(resource: object, name: str) -> bool:
    if isinstance(resource, Mapping):
        return name in resource
    if isinstance(resource, BaseModel):
        return name in resource.model_fields_set
    return name in getattr(resource, "__dict__", {})
