"""Operations sharing a path and a method, told apart by what the request carries."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from starlette.types import ASGIApp

from specloom_runtime.operation import BodySpec, OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.server import build_app
from specloom_runtime.server._paths import precedence

OK = (ResponseSpec("200", dict[str, str], is_success=True),)


def _operation(name: str, path: str, method: str = "GET", **fields: Any) -> OperationSpec:
    return OperationSpec(name=name, method=method, path=path, responses=OK, **fields)


def _serve(
    generated_api: Callable[..., type],
    client_of: Callable[[ASGIApp], Any],
    *operations: OperationSpec,
) -> Any:
    """A client of an app whose handlers answer their operation's name and arguments."""

    def handler(name: str) -> Any:
        async def handle(self: object, **arguments: Any) -> dict[str, str]:
            return {"operation": name, **{k: str(v) for k, v in arguments.items()}}

        return handle

    api = generated_api(*operations)
    implementation = type("Impl", (api,), {op.name: handler(op.name) for op in operations})
    return client_of(build_app([implementation()], [api]))


def _served(response: Any) -> str:
    assert response.status_code == 200, response.text
    operation: str = response.json()["operation"]
    return operation


def test_query_constants_select_the_operation(generated_api: Any, client_of: Any) -> None:
    client = _serve(
        generated_api,
        client_of,
        _operation("create_tags", "/", query=(("Action", "CreateTags"),)),
        _operation("delete_tags", "/", query=(("Action", "DeleteTags"),)),
        _operation("update", "/", method="PUT"),
    )

    assert _served(client.get("/?Action=DeleteTags")) == "delete_tags"
    assert _served(client.get("/?Version=1&Action=CreateTags")) == "create_tags"
    assert client.get("/?Action=Reboot").status_code == 404
    assert client.get("/").status_code == 404
    assert client.post("/?Action=CreateTags").status_code == 405


def test_an_operation_without_constants_takes_what_the_others_do_not(
    generated_api: Any, client_of: Any
) -> None:
    client = _serve(
        generated_api,
        client_of,
        _operation("get_acl", "/acl"),
        _operation("grant", "/acl", query=(("op", "GRANTACE"),)),
    )

    assert _served(client.get("/acl?op=GRANTACE")) == "grant"
    assert _served(client.get("/acl")) == "get_acl"
    assert _served(client.get("/acl?op=DROP")) == "get_acl"


def test_required_query_parameters_select_the_most_specific(
    generated_api: Any, client_of: Any
) -> None:
    tag_keys = ParamSpec("tag_keys", "tagKeys", "query", list[str], required=True)
    arn = ParamSpec("arn", "arn", "path", str, required=True)
    client = _serve(
        generated_api,
        client_of,
        _operation("delete_resource", "/tags/{arn}", "DELETE", params=(arn,)),
        _operation("untag_resource", "/tags/{arn}", "DELETE", params=(arn, tag_keys)),
    )

    assert _served(client.delete("/tags/a1?tagKeys=x&tagKeys=y")) == "untag_resource"
    assert _served(client.delete("/tags/a1")) == "delete_resource"


def test_the_least_specific_answers_when_none_fits(generated_api: Any, client_of: Any) -> None:
    color = ParamSpec("color", "color", "query", str, required=True)
    size = ParamSpec("size", "size", "query", int, required=True)
    client = _serve(
        generated_api,
        client_of,
        _operation("by_color", "/shirts", params=(color,)),
        _operation("by_color_and_size", "/shirts", params=(color, size)),
    )

    assert _served(client.get("/shirts?color=red&size=2")) == "by_color_and_size"
    assert _served(client.get("/shirts?color=red")) == "by_color"
    missing = client.get("/shirts")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["name"] == "color"


def test_the_body_media_type_selects_the_overload(generated_api: Any, client_of: Any) -> None:
    client = _serve(
        generated_api,
        client_of,
        _operation("evaluate", "/evaluate", "POST"),
        _operation(
            "evaluate_url", "/evaluate", "POST", body=BodySpec(dict[str, str], "application/json")
        ),
        _operation(
            "evaluate_file",
            "/evaluate",
            "POST",
            body=BodySpec(bytes, "image/png", media=(("image/png", bytes), ("image/*", bytes))),
        ),
    )

    assert _served(client.post("/evaluate", json={"Value": "u"})) == "evaluate_url"
    png = {"Content-Type": "image/png"}
    assert _served(client.post("/evaluate", content=b"\x89PNG", headers=png)) == "evaluate_file"
    gif = {"Content-Type": "image/gif"}
    assert _served(client.post("/evaluate", content=b"GIF8", headers=gif)) == "evaluate_file"
    assert _served(client.post("/evaluate")) == "evaluate"


def test_paths_of_one_shape_share_a_route_with_their_own_names(
    generated_api: Any, client_of: Any
) -> None:
    file_id = ParamSpec("file_id", "file_id", "path", str, required=True)
    fields = ParamSpec("fields", "fields", "query", str, required=True)
    client = _serve(
        generated_api,
        client_of,
        _operation("get_fields", "/files/{file_id}", params=(file_id, fields)),
        _operation(
            "get_file", "/files/{id}", params=(ParamSpec("id", "id", "path", str, required=True),)
        ),
    )

    assert client.get("/files/f1").json() == {"operation": "get_file", "id": "f1"}
    named = client.get("/files/f2?fields=size").json()
    assert named == {"operation": "get_fields", "file_id": "f2", "fields": "size"}


def test_path_variables_that_read_as_their_types_select_the_operation(
    generated_api: Any, client_of: Any
) -> None:
    # xero's `.../Attachments/{AttachmentID}` (a UUID) beside `.../Attachments/{FileName}`,
    # in either order, and a number beside a UUID under a mount-like prefix variable.
    def path(name: str, kind: Any) -> ParamSpec:
        return ParamSpec(name, name, "path", kind, required=True)

    account = path("account", str)
    client = _serve(
        generated_api,
        client_of,
        _operation("by_name", "/{account}/files/{name}", params=(account, path("name", str))),
        _operation("by_id", "/{account}/files/{file_id}", params=(account, path("file_id", UUID))),
        _operation("by_number", "/{account}/files/{number}", params=(account, path("number", int))),
    )
    some_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

    assert client.get(f"/a/files/{some_id}").json() == {
        "operation": "by_id",
        "account": "a",
        "file_id": some_id,
    }
    assert _served(client.get("/a/files/report.pdf")) == "by_name"
    assert _served(client.get("/a/files/12")) == "by_number"
    assert _served(client.get("/a/files/-12.5")) == "by_name"


def test_operations_no_request_tells_apart_are_rejected(generated_api: Any) -> None:
    file_id = (ParamSpec("id", "id", "path", str, required=True),)
    body = BodySpec(dict[str, str])
    first = _operation("add_link", "/files/{id}", "PUT", params=file_id, body=body)
    second = _operation("remove_link", "/files/{id}", "PUT", params=file_id, body=body)

    with pytest.raises(
        ValueError,
        match=re.escape("PUT /files/{id} is served by two operations that no request tells apart"),
    ):
        build_app([], [generated_api(first, second)])


def test_a_literal_suffix_comes_before_a_lone_variable() -> None:
    paths = ["/v1/{name}", "/v1/{name}:verify", "/v1/keys", "/v1/{name}/items"]

    assert sorted(paths, key=precedence) == [
        "/v1/keys",
        "/v1/{name}:verify",
        "/v1/{name}",
        "/v1/{name}/items",
    ]


def test_more_literal_text_beside_a_variable_comes_first() -> None:
    # europeana: `text.schema.jsonld` is the record `text` of the longer suffix, not the
    # record `text.schema` of `.jsonld`.
    paths = ["/r/{id}.jsonld", "/r/{id}.schema.jsonld", "/r/{id}", "/r/x{id}.schema.jsonld"]

    assert sorted(paths, key=precedence) == [
        "/r/x{id}.schema.jsonld",
        "/r/{id}.schema.jsonld",
        "/r/{id}.jsonld",
        "/r/{id}",
    ]


def test_the_longer_literal_suffix_serves_the_request(generated_api: Any, client_of: Any) -> None:
    record = (ParamSpec("record_id", "recordId", "path", str, required=True),)
    client = _serve(
        generated_api,
        client_of,
        _operation("json_ld", "/r/{recordId}.jsonld", params=record),
        _operation("schema_org", "/r/{recordId}.schema.jsonld", params=record),
    )

    answer = client.get("/r/text.schema.jsonld")
    assert answer.json() == {"operation": "schema_org", "record_id": "text"}
    answer = client.get("/r/text.jsonld")
    assert answer.json() == {"operation": "json_ld", "record_id": "text"}


def test_a_free_form_query_object_leaves_the_constants_out(
    generated_api: Any, client_of: Any
) -> None:
    attributes = ParamSpec("attributes", "Attributes", "query", dict[str, str], required=True)
    client = _serve(
        generated_api,
        client_of,
        _operation(
            "set_attributes", "/", params=(attributes,), query=(("Action", "SetAttributes"),)
        ),
    )

    answer = client.get("/?Action=SetAttributes&colour=red")
    assert answer.json() == {"operation": "set_attributes", "attributes": "{'colour': 'red'}"}


def test_an_empty_last_segment_is_a_value_where_the_parameter_takes_empty_text(
    generated_api: Any, client_of: Any
) -> None:
    # GitHub's `/repos/{owner}/{repo}/contents/{path}`: the client sends the root as
    # `/contents/` (an empty `path` at the end of the path is kept, docs/client.md).
    path = (ParamSpec("path", "path", "path", str, required=True),)
    pet_id = (ParamSpec("pet_id", "petId", "path", int, required=True),)
    client = _serve(
        generated_api,
        client_of,
        _operation("get_content", "/contents/{path}", params=path),
        _operation("get_pet", "/pets/{petId}", params=pet_id),
    )

    answer = client.get("/contents/")
    assert answer.json() == {"operation": "get_content", "path": ""}
    assert client.get("/contents/a.txt").json() == {"operation": "get_content", "path": "a.txt"}
    # An integer cannot be empty: `/pets/` is no pet.
    assert client.get("/pets/", follow_redirects=False).status_code in (307, 404)
