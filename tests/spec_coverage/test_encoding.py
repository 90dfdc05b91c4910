"""Form and multipart bodies follow the spec's `encoding`: styles, explode flags and content
types per property, on the client and the server (fixtures/coverage/encoding.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("encoding")
    with generated_package("encoding.yaml", "cov_encoding", root) as package:
        yield package


def customer(models: Any) -> Any:
    return models.PostCustomersRequest(
        email="ada@example.com",
        address=models.PostCustomersRequestAddress(city="Paris", line1="1 Rue de Rivoli"),
        metadata={"order": "6735", "team": "a&b"},
        expand=["sources", "tax"],
        tags=["vip", "new"],
        codes=[3, 4],
        preferences=models.PostCustomersRequestPreferences(language="fr", newsletter=True),
        shipping=models.PostCustomersRequestShipping(carrier="UPS", phone="+33 1"),
        balance=-5,
        tax_id_data=[
            models.PostCustomersRequestTaxIdDataItem(type="eu_vat", value="FR1"),
            models.PostCustomersRequestTaxIdDataItem(type="gb_vat", value="GB2"),
        ],
        invoice_settings=models.PostCustomersRequestInvoiceSettingsOption1(
            footer="Thanks",
            custom_fields=[
                models.PostCustomersRequestInvoiceSettingsOption1CustomFieldsItem(name="PO")
            ],
        ),
        billing=models.PostCustomersRequestBilling(plan="pro"),
        items=[models.PostCustomersRequestItemsItem(price="p_1")],
    )


class Echo:
    def __init__(self, pkg: ModuleType) -> None:
        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def post_customers(self, *, body: Any) -> Any:
                return body.model_dump(mode="json", exclude_none=True, by_alias=True)

            async def post_files(self, *, body: Any) -> Any:
                data = body.model_dump(mode="json", exclude_none=True, exclude={"file"})
                upload = body.file
                return {**data, "file_type": upload.content_type, "size": upload.size}

        self.api = Impl()


def test_client_writes_form_properties_in_their_style(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    client.default.post_customers(body=customer(pkg.models))
    pairs = parse_qsl(sent[0].content.decode(), keep_blank_values=True)
    assert pairs == [
        ("email", "ada@example.com"),
        ("address[city]", "Paris"),
        ("address[line1]", "1 Rue de Rivoli"),
        ("metadata[order]", "6735"),
        ("metadata[team]", "a&b"),
        ("expand", "sources"),
        ("expand", "tax"),
        ("tags", "vip,new"),
        ("codes", "3|4"),
        ("preferences", '{"language":"fr","newsletter":true}'),
        ("carrier", "UPS"),
        ("phone", "+33 1"),
        ("balance", "-5"),
        ("tax_id_data[0][type]", "eu_vat"),
        ("tax_id_data[0][value]", "FR1"),
        ("tax_id_data[1][type]", "gb_vat"),
        ("tax_id_data[1][value]", "GB2"),
        ("invoice_settings[footer]", "Thanks"),
        ("invoice_settings[custom_fields][0][name]", "PO"),
        ("billing", '{"plan":"pro"}'),
        ("items", '{"price":"p_1"}'),
    ]


def test_client_writes_multipart_parts_by_their_encoding(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    models = pkg.models
    client.default.post_files(
        body=models.PostFilesRequest(
            file=b"\x89PNG",
            purpose="dispute_evidence",
            file_link_data=models.PostFilesRequestFileLinkData(create=True, expires_at=99),
            notes=models.PostFilesRequestNotes(text="hi"),
        )
    )
    body = sent[0].read().decode("latin-1")
    assert 'name="file"; filename="file"\r\nContent-Type: image/png\r\n' in body
    assert 'name="purpose"\r\nContent-Type: text/plain\r\n\r\ndispute_evidence\r\n' in body
    assert 'name="file_link_data[create]"\r\n\r\ntrue\r\n' in body
    assert 'name="file_link_data[expires_at]"\r\n\r\n99\r\n' in body
    assert 'name="notes"\r\nContent-Type: application/json\r\n\r\n{"text":"hi"}\r\n' in body


def test_form_and_multipart_round_trip(pkg: ModuleType) -> None:
    models = pkg.models

    async def scenario() -> None:
        async with asgi_client(pkg, Echo(pkg).api) as client:
            read = await client.default.post_customers(body=customer(models))
            assert read == {
                "email": "ada@example.com",
                "address": {"city": "Paris", "line1": "1 Rue de Rivoli"},
                "metadata": {"order": "6735", "team": "a&b"},
                "expand": ["sources", "tax"],
                "tags": ["vip", "new"],
                "codes": [3, 4],
                "preferences": {"language": "fr", "newsletter": True},
                "shipping": {"carrier": "UPS", "phone": "+33 1"},
                "balance": -5,
                "tax_id_data": [
                    {"type": "eu_vat", "value": "FR1"},
                    {"type": "gb_vat", "value": "GB2"},
                ],
                "invoice_settings": {"footer": "Thanks", "custom_fields": [{"name": "PO"}]},
                "billing": {"plan": "pro"},
                "items": [{"price": "p_1"}],
            }
            uploaded = await client.default.post_files(
                body=models.PostFilesRequest(
                    file=b"\x89PNG",
                    purpose="identity_document",
                    file_link_data=models.PostFilesRequestFileLinkData(create=True),
                    notes=models.PostFilesRequestNotes(text="hi"),
                )
            )
            assert uploaded == {
                "purpose": "identity_document",
                "file_link_data": {"create": True},
                "notes": {"text": "hi"},
                "file_type": "image/png",
                "size": 4,
            }

    asyncio.run(scenario())


def test_server_rejects_what_the_style_cannot_read(pkg: ModuleType) -> None:
    async def scenario() -> None:
        async with raw_client(pkg, Echo(pkg).api) as http:
            nested_twice = {"email": "a@b.c", "address[city][x]": "Paris"}
            answer = await http.post("/v1/customers", data=nested_twice)
            assert answer.status_code == 400
            not_json = {"email": "a@b.c", "preferences": "{"}
            answer = await http.post("/v1/customers", data=not_json)
            assert answer.status_code == 400
            assert "preferences" in answer.text
            not_indexed = {"email": "a@b.c", "tax_id_data[x][type]": "eu_vat"}
            answer = await http.post("/v1/customers", data=not_indexed)
            assert answer.status_code == 400
            assert "by index" in answer.text
            cleared = {"email": "a@b.c", "invoice_settings": ""}
            answer = await http.post("/v1/customers", data=cleared)
            assert answer.json()["invoice_settings"] == ""
            not_a_number = {"email": "a@b.c", "codes": "3|x"}
            answer = await http.post("/v1/customers", data=not_a_number)
            assert answer.status_code == 400

    asyncio.run(scenario())
