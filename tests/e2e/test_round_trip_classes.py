"""Media types and statuses that once kept operations from round-tripping between the
generated client and server (docs/corpus.md, "Round trips"), each through both generated
sides over ASGI, from its fixture in fixtures/round_trip/."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate
from specloom_runtime.errors import InvalidRequest
from specloom_runtime.serialization import ParameterValueError
from specloom_runtime.server import WithStatus

from .conftest import FIXTURES, generated

ROUND_TRIP = FIXTURES / "round_trip"


def _package(name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated(ROUND_TRIP / f"{name}.yaml", f"rt_{name}", tmp_path_factory)


def _warnings(name: str) -> list[str]:
    result = generate(ROUND_TRIP / f"{name}.yaml", GenerateConfig(package_name="rt_warnings"))
    assert result.files is not None
    return [d.message for d in result.diagnostics if d.level is Level.WARNING]


class _Wire:
    """The package's `AsyncClient` talking to its server over ASGI, keeping every exchange."""

    def __init__(self, package: ModuleType, *apis: Any) -> None:
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []

        async def keep_request(request: httpx.Request) -> None:
            self.requests.append(request)

        async def keep_response(response: httpx.Response) -> None:
            self.responses.append(response)

        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=package.server.create_app(*apis)),
            event_hooks={"request": [keep_request], "response": [keep_response]},
        )
        self.client = package.client.AsyncClient(base_url="http://testserver", http_client=http)


@pytest.fixture(scope="module")
def no_content(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("no_content_with_body", tmp_path_factory)


def test_a_204_that_declares_a_body_is_a_warning_and_returns_none(no_content: ModuleType) -> None:
    [warning] = _warnings("no_content_with_body")
    assert "204" in warning
    assert "application/json" in warning
    assert "dropped" in warning
    received: dict[str, Any] = {}

    class Groups(no_content.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def add_member(self, *, id: str) -> None:
            received["id"] = id

    wire = _Wire(no_content, Groups())
    result = asyncio.run(wire.client.default.add_member(id="g1"))
    assert result is None
    assert received == {"id": "g1"}
    assert wire.responses[0].status_code == 204
    assert wire.responses[0].content == b""


@pytest.fixture(scope="module")
def any_media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("any_media_type", tmp_path_factory)


def test_a_media_range_with_an_object_schema_travels_as_json(any_media: ModuleType) -> None:
    things = any_media.models.Things
    received: list[Any] = []

    class Things(any_media.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def add_thing(self, *, body: Any) -> None:
            received.append(body)

        async def list_things(self) -> Any:
            return things(next="page-2")

    wire = _Wire(any_media, Things())
    asyncio.run(wire.client.default.add_thing(body=things(next="a")))
    listed = asyncio.run(wire.client.default.list_things())
    assert received == [things(next="a")]
    assert wire.requests[0].headers["content-type"] == "application/json"
    assert listed == things(next="page-2")
    assert wire.responses[1].headers["content-type"] == "application/json"


@pytest.fixture(scope="module")
def on_bytes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("object_schema_on_bytes", tmp_path_factory)


def test_an_object_schema_on_a_binary_or_text_media_type_is_bytes_or_text_with_a_warning(
    on_bytes: ModuleType,
) -> None:
    warnings = _warnings("object_schema_on_bytes")
    assert len(warnings) == 3
    assert sum("image/gif" in w and "typed bytes" in w for w in warnings) == 1
    assert sum("application/octet-stream" in w and "typed bytes" in w for w in warnings) == 1
    assert sum("text/plain" in w and "typed str" in w for w in warnings) == 1
    received: list[Any] = []

    class Media(on_bytes.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def evaluate_image(self, *, body: bytes) -> bytes:
            received.append(body)
            return b"stored:" + body

        async def screen_text(self, *, body: str) -> None:
            received.append(body)

    wire = _Wire(on_bytes, Media())
    stored = asyncio.run(wire.client.default.evaluate_image(body=b"GIF89a"))
    asyncio.run(wire.client.default.screen_text(body="is this fine?"))
    assert stored == b"stored:GIF89a"
    assert received == [b"GIF89a", "is this fine?"]
    assert wire.requests[0].headers["content-type"] == "image/gif"
    assert wire.requests[1].headers["content-type"].startswith("text/plain")


@pytest.fixture(scope="module")
def empty_multipart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("empty_multipart_schema", tmp_path_factory)


def test_a_multipart_body_without_a_schema_is_a_dict_of_fields(
    empty_multipart: ModuleType,
) -> None:
    received: list[Any] = []

    class Attachments(empty_multipart.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def upload_attachment(self, *, body: dict[str, Any]) -> None:
            received.append(body)

    wire = _Wire(empty_multipart, Attachments())
    body = {"note": "receipt", "file": ("receipt.pdf", b"%PDF-1.7")}
    asyncio.run(wire.client.default.upload_attachment(body=body))
    assert received == [{"note": "receipt", "file": b"%PDF-1.7"}]
    assert wire.requests[0].headers["content-type"].startswith("multipart/form-data")


@pytest.fixture(scope="module")
def redirect(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("no_success_declared", tmp_path_factory)


def test_an_operation_that_declares_only_a_redirect_returns_it_unfollowed(
    redirect: ModuleType,
) -> None:
    class Archives(redirect.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def download_archive(self) -> Any:
            return WithStatus(302, None, headers={"Location": "https://example.com/a.tar"})

    class Plain(redirect.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def download_archive(self) -> None:
            return None

    wire = _Wire(redirect, Archives())
    response = asyncio.run(wire.client.default.download_archive_with_response())
    assert response.status_code == 302
    assert response.headers["location"] == "https://example.com/a.tar"
    assert response.data is None
    assert [str(r.url) for r in wire.requests] == ["http://testserver/archive"]
    plain = _Wire(redirect, Plain())
    assert asyncio.run(plain.client.default.download_archive()) is None
    assert plain.responses[0].status_code == 302


def test_an_xml_body_with_an_object_schema_is_not_warned_about(tmp_path: Path) -> None:
    spec = tmp_path / "xml.yaml"
    spec.write_text(
        """
openapi: 3.0.3
info: {title: xml, version: "1"}
paths:
  /records:
    post:
      requestBody:
        content:
          application/xml:
            schema: {type: object, properties: {id: {type: string}}}
      responses:
        "200":
          description: ok
          content:
            text/xml:
              schema: {type: object, properties: {id: {type: string}}}
"""
    )
    result = generate(spec, GenerateConfig(package_name="rt_xml"))
    assert result.files is not None
    assert [d.message for d in result.diagnostics if d.level is Level.WARNING] == []


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("harness_gaps", tmp_path_factory)


def test_an_empty_text_for_a_segment_inside_the_path_is_refused_before_sending(
    gaps: ModuleType,
) -> None:
    # networkmanager's `network` allows "": `/networks//members` is another path, which the
    # server cannot route to the operation (nor should any other).
    received: list[str] = []

    class Networks(gaps.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def add_member(self, *, network: str, body: Any) -> Any:
            received.append(network)
            return body

    wire = _Wire(gaps, Networks())
    member = gaps.models.Member(type="Member", weight=2)
    with pytest.raises(InvalidRequest, match=r"parameter 'network' \(path 'network'\)") as refused:
        asyncio.run(wire.client.default.add_member(network="", body=member))
    assert "empty segment inside the path '/networks/{network}/members'" in str(refused.value)
    assert isinstance(refused.value.__cause__, ParameterValueError)
    assert wire.requests == []
    assert asyncio.run(wire.client.default.add_member(network="n 1", body=member)) == member
    assert received == ["n 1"]
    assert wire.requests[0].url.raw_path == b"/networks/n%201/members"


@pytest.fixture(scope="module")
def xml_attributes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("xml_object_attribute", tmp_path_factory)


def test_an_xml_attribute_with_an_object_or_array_schema_is_an_element(
    xml_attributes: ModuleType,
) -> None:
    warnings = _warnings("xml_object_attribute")
    assert len(warnings) == 2
    assert all("an XML attribute holds text" in w for w in warnings)

    class Certificates(xml_attributes.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def issue_certificate(self, *, body: Any) -> Any:
            return body

    wire = _Wire(xml_attributes, Certificates())
    vehicle = xml_attributes.models.Vehicle(model="T", class_={"code": "LMV"}, axles=[2, 3])
    assert asyncio.run(wire.client.default.issue_certificate(body=vehicle)) == vehicle
    sent = wire.requests[0].content.decode()
    assert '<Vehicle model="T">' in sent  # a string stays an attribute
    assert "<class><code>LMV</code></class>" in sent
    assert "<axles>2</axles><axles>3</axles>" in sent


@pytest.fixture(scope="module")
def adjacent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("adjacent_path_variables", tmp_path_factory)


def test_a_fixed_variable_beside_another_in_one_segment_is_matched_by_its_values(
    adjacent: ModuleType,
) -> None:
    received: list[tuple[str, str]] = []

    class Profiles(adjacent.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def get_profile(self, *, id: str, media_type_extension: Any) -> Any:
            received.append((id, media_type_extension.value))
            return {"id": id, "format": media_type_extension.value}

        async def get_versioned(self, *, version: Any, name: str) -> str:
            received.append((version.value, name))
            return name

    wire = _Wire(adjacent, Profiles())
    extension = adjacent.models.GetProfileMediaTypeExtension
    client = wire.client.default
    asyncio.run(client.get_profile(id="ada.smith", media_type_extension=extension(".json")))
    asyncio.run(client.get_profile(id="bo", media_type_extension=extension(".jsonld")))
    asyncio.run(client.get_versioned(version=adjacent.models.GetVersionedVersion("v2"), name="v2x"))
    # Split greedily, `ada.smith.json` was `ada.smith.jso` and `n`: a 400.
    assert received == [("ada.smith", ".json"), ("bo", ".jsonld"), ("v2", "v2x")]
    assert [r.status_code for r in wire.responses] == [200, 200, 200]


@pytest.fixture(scope="module")
def stripe_like(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("stripe_form_and_deep_objects", tmp_path_factory)


def test_stripe_empty_forms_and_deep_object_unions_reach_the_handler(
    stripe_like: ModuleType,
) -> None:
    received: list[Any] = []
    models = stripe_like.models

    class Stripe(stripe_like.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def delete_accounts_account(self, *, account: str, body: Any = None) -> Any:
            received.append(body)
            return {"id": account}

        async def get_accounts(self, *, created: Any = None) -> Any:
            received.append(created)
            return {"n": 1}

        async def get_credit_notes_preview(self, *, lines: Any = None) -> Any:
            received.append(lines)
            return {"n": 1}

    wire = _Wire(stripe_like, Stripe())
    client = wire.client.default
    asyncio.run(client.delete_accounts_account(account="acct_1", body={}))
    asyncio.run(client.delete_accounts_account(account="acct_1"))
    asyncio.run(client.get_accounts(created=models.GetAccountsCreatedOption1(gt=1, gte=2)))
    asyncio.run(client.get_accounts(created=1700000000))
    line = models.GetCreditNotesPreviewLinesItem
    kind = models.GetCreditNotesPreviewLinesItemType
    clear = models.GetCreditNotesPreviewLinesItemTaxRatesOption2("")
    lines = [
        line(type=kind.CUSTOM_LINE_ITEM, amount=5, tax_rates=["txr_1"]),
        line(type=kind.INVOICE_LINE_ITEM, tax_rates=["txr_1", "txr_2"]),
        line(type=kind.INVOICE_LINE_ITEM, tax_rates=clear),
    ]
    asyncio.run(client.get_credit_notes_preview(lines=lines))
    # An empty form is the empty object; no body at all is None.
    assert received[:2] == [{}, None]
    assert received[2:4] == [models.GetAccountsCreatedOption1(gt=1, gte=2), 1700000000]
    assert received[4] == lines
    assert [r.status_code for r in wire.responses] == [200] * 5


def test_stripe_form_fields_in_the_deep_object_style_reach_the_handler(
    stripe_like: ModuleType,
) -> None:
    received: list[Any] = []
    models = stripe_like.models

    class Stripe(stripe_like.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def post_customers(self, *, body: Any = None) -> Any:
            received.append(body)
            return {"id": "cus_1"}

    wire = _Wire(stripe_like, Stripe())
    tax_id = models.PostCustomersRequestTaxIdDataItem
    kind = models.PostCustomersRequestTaxIdDataItemType
    settings = models.PostCustomersRequestInvoiceSettings
    field = models.PostCustomersRequestInvoiceSettingsCustomFieldsOption1Item
    bodies = [
        models.PostCustomersRequest(
            name="Ada",
            tax_id_data=[tax_id(type=kind.AE_TRN, value="1"), tax_id(type=kind.AU_ABN, value="2")],
            metadata={"plan": "gold"},
            invoice_settings=settings(custom_fields=[field(name="PO", value="7")]),
        ),
        models.PostCustomersRequest(default_tax_rates=["txr_1"], account_tax_ids=["t1"]),
        models.PostCustomersRequest(account_tax_ids=["t1", "t2"]),
        models.PostCustomersRequest(
            default_tax_rates=models.PostCustomersRequestDefaultTaxRatesOption2(""),
            account_tax_ids=models.PostCustomersRequestAccountTaxIdsOption2(""),
            metadata=models.PostCustomersRequestMetadataOption2(""),
            invoice_settings=settings(
                default_payment_method="pm_1",
                custom_fields=models.PostCustomersRequestInvoiceSettingsCustomFieldsOption2(""),
            ),
        ),
    ]
    for body in bodies:
        asyncio.run(wire.client.default.post_customers(body=body))
    assert received == bodies
    sent = wire.requests[0].content.decode()
    assert "tax_id_data%5B1%5D%5Btype%5D=au_abn" in sent  # tax_id_data[1][type]
    assert [r.status_code for r in wire.responses] == [200] * 4


def test_stripe_deep_object_array_or_scalar_parameter_reaches_the_handler(
    stripe_like: ModuleType,
) -> None:
    received: list[Any] = []
    models = stripe_like.models

    class Stripe(stripe_like.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def get_invoices_upcoming(self, *, discounts: Any = None) -> Any:
            received.append(discounts)
            return {"n": 1}

    wire = _Wire(stripe_like, Stripe())
    item = models.GetInvoicesUpcomingDiscountsOption1Item
    sent = [
        [item(coupon="c1"), item(discount="d2")],
        [item(coupon="c1")],
        models.GetInvoicesUpcomingDiscountsOption2(""),
    ]
    for discounts in sent:
        asyncio.run(wire.client.default.get_invoices_upcoming(discounts=discounts))
    assert received == sent
