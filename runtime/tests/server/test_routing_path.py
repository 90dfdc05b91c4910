"""The routing path: the raw path with all but the delimiting escapes decoded."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom_runtime.server._routing import routing_path


def scope(raw_path: bytes | None, *, root_path: str = "", path: str | None = None) -> Any:
    """An HTTP scope as an ASGI server writes it: `path` is `raw_path` decoded."""
    decoded = unquote(raw_path.decode()) if path is None and raw_path is not None else path
    fields: dict[str, Any] = {"type": "http", "path": decoded, "root_path": root_path}
    if raw_path is not None:
        fields["raw_path"] = raw_path
    return fields


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        (b"/items/a%2Fb%3Fc/x%22y", '/items/a%2Fb?c/x"y'),
        (b"/items/a%2fb", "/items/a%2fb"),
        (b"/files/%E2%82%AC%2C1,2%3B%3D", "/files/€%2C1,2%3B%3D"),
        (b"/files/100%25%20off", "/files/100%25 off"),
        (b"/dots/%2E%2E/%2e", "/dots/../."),
        (b"/plain/path", "/plain/path"),
    ],
)
def test_escapes_are_decoded_except_delimiters_and_percent(raw_path: bytes, expected: str) -> None:
    assert routing_path(scope(raw_path)) == expected


def test_escapes_that_are_not_utf8_stay_encoded() -> None:
    assert routing_path(scope(b"/a/%FF%41/%C3%A9")) == "/a/%FF%41/é"


def test_without_raw_path_the_decoded_path_is_used_with_percent_encoded() -> None:
    assert routing_path(scope(None, path="/items/a b%c")) == "/items/a b%25c"


def test_a_raw_path_that_does_not_decode_to_the_path_is_ignored() -> None:
    rewritten = scope(b"/original/a%2Fb", path="/rewritten/a/b")

    assert routing_path(rewritten) == "/rewritten/a/b"


def test_a_raw_path_decoded_twice_to_reach_the_path_is_ignored() -> None:
    # `%%32%35` is `%25` once decoded, and `%` if the digits were decoded first.
    assert routing_path(scope(b"/%%32%35")) == "/%2525"


def test_the_root_path_is_left_out() -> None:
    mounted = scope(b"/api/v1/items/a%2Fb", root_path="/api/v1")

    assert routing_path(mounted) == "/items/a%2Fb"
    assert routing_path(scope(b"/api/v1", root_path="/api/v1")) == ""


def test_a_path_outside_the_root_path_is_routed_whole() -> None:
    assert routing_path(scope(b"/other/a%2Fb", root_path="/api")) == "/other/a%2Fb"


segment_texts = st.lists(st.text(min_size=1), min_size=1, max_size=4)
left_unencoded = st.sets(st.sampled_from(",;=.?#\"' !$&()*+:@[]~")).map("".join)


@given(segment_texts, left_unencoded)
def test_every_segment_is_one_routing_segment_that_decodes_to_itself(
    segments: list[str], safe: str
) -> None:
    raw_path = "".join("/" + quote(text, safe=safe) for text in segments).encode()

    routed = routing_path(scope(raw_path))

    assert [unquote(part) for part in routed.split("/")[1:]] == segments
