from __future__ import annotations

import dataclasses
import datetime

import httpx
import pytest

from specloom_runtime import Response


def make(status_code: int, **kwargs: object) -> Response[object]:
    raw = httpx.Response(status_code, **kwargs)  # type: ignore[arg-type]
    return Response(status_code, None, raw, datetime.timedelta(milliseconds=5))


@pytest.mark.parametrize(
    ("status_code", "success", "client_error", "server_error"),
    [
        (100, False, False, False),
        (200, True, False, False),
        (204, True, False, False),
        (299, True, False, False),
        (304, False, False, False),
        (400, False, True, False),
        (499, False, True, False),
        (500, False, False, True),
        (599, False, False, True),
    ],
)
def test_status_classes(
    status_code: int, success: bool, client_error: bool, server_error: bool
) -> None:
    response = make(status_code)
    assert (response.is_success, response.is_client_error, response.is_server_error) == (
        success,
        client_error,
        server_error,
    )


def test_headers_are_the_raw_headers_case_insensitive() -> None:
    response = make(200, headers={"X-Rate-Limit-Remaining": "9"})
    assert response.headers["x-rate-limit-remaining"] == "9"


def test_data_and_timing_are_kept() -> None:
    raw = httpx.Response(200, json=[1, 2])
    response = Response(200, [1, 2], raw, datetime.timedelta(seconds=1))
    assert response.data == [1, 2]
    assert response.raw is raw
    assert response.elapsed == datetime.timedelta(seconds=1)


def test_a_response_is_immutable() -> None:
    response = make(200)
    with pytest.raises(dataclasses.FrozenInstanceError):
        response.status_code = 500  # type: ignore[misc]


def test_a_response_can_be_built_with_its_type_argument() -> None:
    raw = httpx.Response(200, json=[1])
    response = Response[list[int]](200, [1], raw, datetime.timedelta(0))
    assert response.data == [1]
