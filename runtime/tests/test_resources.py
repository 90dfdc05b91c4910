"""Resources: mapping domain objects to response bodies, collections, pagination envelopes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from specloom_runtime.resources import CursorPage, JsonResource, Page


@dataclass
class Team:
    name: str


@dataclass
class User:
    id: int
    name: str
    email: str
    public: bool = True
    admin: bool = False


class LazyUser:
    """Like an ORM row: `team` is loaded only when first read."""

    def __init__(self, user_id: int, team: Team | None = None) -> None:
        self.id = user_id
        if team is not None:
            self.__dict__["team"] = team

    @property
    def team_lazy(self) -> Team:
        raise AssertionError("when_loaded must not load anything")


class UserResource(JsonResource[User]):
    def to_dict(self, request: Request | None) -> dict[str, Any]:
        user = self.resource
        return {
            "id": user.id,
            "name": user.name,
            "email": self.when(user.public, user.email),
            **self.merge_when(user.admin, {"role": "admin", "sudo": True}),
        }


def request(url: str) -> Request:
    path, _, query = url.partition("?")
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "https",
            "server": ("api.example.com", 443),
            "path": path,
            "query_string": query.encode(),
            "headers": [(b"host", b"api.example.com")],
        }
    )


def test_to_dict_leaves_out_what_its_conditions_exclude() -> None:
    shown = UserResource(User(1, "Ann", "ann@example.com", admin=True)).resolve()
    hidden = UserResource(User(2, "Bob", "bob@example.com", public=False)).resolve()

    assert shown == {
        "id": 1,
        "name": "Ann",
        "email": "ann@example.com",
        "role": "admin",
        "sudo": True,
    }
    assert hidden == {"id": 2, "name": "Bob"}


def test_the_default_to_dict_is_the_objects_own_data() -> None:
    assert JsonResource(Team("core")).resolve() == {"name": "core"}


def test_additional_keys_are_added_and_win() -> None:
    resource = UserResource(User(1, "Ann", "a@x")).additional({"name": "Annie", "v": 2})

    assert resource.resolve() == {"id": 1, "name": "Annie", "email": "a@x", "v": 2}


class TeamUserResource(JsonResource[LazyUser]):
    def to_dict(self, request: Request | None) -> dict[str, Any]:
        return {
            "id": self.resource.id,
            "team": self.when_loaded("team"),
            "lazy": self.when_loaded("team_lazy"),
        }


def test_when_loaded_includes_only_what_is_loaded_and_never_loads() -> None:
    loaded = TeamUserResource(LazyUser(1, Team("core"))).resolve()
    not_loaded = TeamUserResource(LazyUser(2)).resolve()

    assert loaded == {"id": 1, "team": Team("core")}
    assert not_loaded == {"id": 2}


def test_a_collection_is_under_data() -> None:
    users = [User(1, "Ann", "a@x"), User(2, "Bob", "b@x", public=False)]

    collection = UserResource.collection(users).additional({"count": 2})

    assert collection.resolve() == {
        "data": [{"id": 1, "name": "Ann", "email": "a@x"}, {"id": 2, "name": "Bob"}],
        "count": 2,
    }


def test_a_page_adds_meta_and_links_keeping_the_other_query_parameters() -> None:
    page = Page([User(3, "Cy", "c@x")], total=7, page=2, per_page=3)

    body = UserResource.collection(page).resolve(request("/users?role=admin&page=2&per_page=3"))

    assert body["meta"] == {
        "total": 7,
        "per_page": 3,
        "current_page": 2,
        "last_page": 3,
        "from": 4,
        "to": 4,
    }
    base = "https://api.example.com/users?role=admin&per_page=3&page="
    assert body["links"] == {
        "first": base + "1",
        "last": base + "3",
        "prev": base + "1",
        "next": base + "3",
    }


def test_without_a_request_links_are_page_numbers() -> None:
    body = UserResource.collection(Page([], total=0, page=1, per_page=10)).resolve()

    assert body["meta"]["from"] is None
    assert body["links"] == {"first": 1, "last": 1, "prev": None, "next": None}


def test_a_cursor_page_links_by_cursor() -> None:
    page = CursorPage([User(1, "Ann", "a@x")], per_page=1, next_cursor="b2", prev_cursor=None)

    body = UserResource.collection(page).resolve(request("/users?cursor=a1&q=x"))

    assert body["meta"] == {"per_page": 1, "next_cursor": "b2", "prev_cursor": None}
    assert body["links"] == {
        "first": "https://api.example.com/users?q=x",
        "last": None,
        "prev": None,
        "next": "https://api.example.com/users?q=x&cursor=b2",
    }


def test_response_is_a_json_response_with_status_and_headers() -> None:
    response = UserResource(User(1, "Ann", "a@x")).response(
        status_code=201, headers={"Location": "/users/1"}
    )

    assert response.status_code == 201
    assert response.headers["location"] == "/users/1"
    assert json.loads(bytes(response.body)) == {"id": 1, "name": "Ann", "email": "a@x"}
