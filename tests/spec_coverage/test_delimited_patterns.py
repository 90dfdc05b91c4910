"""A pattern written with a PHP regex's delimiters that no string matches as written
(`/^SAP[0-9]{9}$/i`, sinao.app) is read as the delimited regex, with a warning; any other
pattern is kept as written (fixtures/coverage/delimited_patterns.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import httpx
import pydantic
import pytest

from spec_coverage.generated import FIXTURES, generated_package
from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.parser.patterns import delimited_reading
from specloom.pipeline import generate
from specloom_runtime.errors import InvalidRequest


@pytest.mark.parametrize(
    ("pattern", "reading"),
    [
        ("/^SAP[0-9]{9}$/i", "(?i)^SAP[0-9]{9}$"),
        (r"/^[0-9]{2}\/[0-9]{2}\/[0-9]{4}$/i", r"(?i)^[0-9]{2}\/[0-9]{2}\/[0-9]{4}$"),
        ("/^(a|b)$/", "^(a|b)$"),
        ("/[a-z]+$/mx", "(?mx)[a-z]+$"),
        ("/^é$/u", "^é$"),
        # Each of these matches some string as written, or is no delimited regex.
        ("/ab/i", None),
        ("/^a|b/i", None),
        (r"/a\$/", None),
        ("/^a$/q", None),
        ("/^a$/ii", None),
        ("^SAP[0-9]{9}$", None),
        ("//", None),
    ],
)
def test_only_a_delimited_pattern_no_string_matches_is_read_as_its_body(
    pattern: str, reading: str | None
) -> None:
    assert delimited_reading(pattern) == reading


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("delimited")
    with generated_package("delimited_patterns.yaml", "cov_delimited", root) as package:
        yield package


def test_each_reading_is_a_warning_naming_the_pointer_and_the_reading() -> None:
    result = generate(FIXTURES / "delimited_patterns.yaml", GenerateConfig(package_name="d"))
    assert result.files is not None
    readings = {
        d.pointer: d.message
        for d in result.diagnostics
        if d.level is Level.WARNING and "matches no string as written" in d.message
    }
    assert set(readings) == {
        "/components/schemas/Company/properties/sap/pattern",
        "/paths/~1companies~1{siren}/get/parameters/0/schema/pattern",
    }
    assert "'(?i)^SAP[0-9]{9}$'" in readings["/components/schemas/Company/properties/sap/pattern"]


def test_models_enforce_the_reading_and_keep_other_patterns(pkg: ModuleType) -> None:
    company = pkg.models.Company
    assert company.model_validate({"sap": "sap123456789"}).sap == "sap123456789"
    for refused in ({"sap": "/^SAP123456789$/i"}, {"sap": "SAP12"}):
        with pytest.raises(pydantic.ValidationError):
            company.model_validate(refused)
    assert company.model_validate({"sap": "SAP123456789", "slug": "x/ab/i"}).slug == "x/ab/i"
    with pytest.raises(pydantic.ValidationError):
        company.model_validate({"sap": "SAP123456789", "slug": "ab"})
    assert company.model_validate({"sap": "SAP123456789", "code": "b/i"}).code == "b/i"


def test_the_client_checks_a_parameter_by_the_reading(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"sap": "SAP123456789"})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    assert client.default.get_company(siren="123456789").sap == "SAP123456789"
    with pytest.raises(InvalidRequest):
        client.default.get_company(siren="12345")
    assert len(sent) == 1
