"""JSON pointers are extended token by token, escaped as RFC 6901 asks."""

from __future__ import annotations

from specloom.diagnostics import join_pointer


def test_tokens_are_appended_each_after_a_slash() -> None:
    assert join_pointer("#/components/schemas", "Pet") == "#/components/schemas/Pet"
    assert join_pointer("#/paths", "/pets/{id}", "get") == "#/paths/~1pets~1{id}/get"
    assert join_pointer("#/a", "x~y", 0, "") == "#/a/x~0y/0/"
    assert join_pointer("") == ""
    assert join_pointer("", "openapi") == "/openapi"
