"""Mutual TLS (fixtures/security/mtls.yaml): a generated server behind TLS that asks for a
client certificate, on 127.0.0.1, and the generated client with the certificate in its
`http_client`. Certificates are made for the test with the `openssl` command."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from security.generated import load
from specloom_runtime.errors import TransportError, UnexpectedStatusError
from specloom_runtime.server import request_context
from specloom_runtime.server.testing import _wait_until_started as wait_until_started
from specloom_runtime.server.testing import serve_in_thread

_NEW_KEY = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
_SIGNED_BY_CA = ("-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2")


def _openssl(*arguments: str, cwd: Path) -> None:
    subprocess.run(["openssl", *arguments], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA, a server certificate for 127.0.0.1 and a client certificate it signed."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make certificates")
    where = tmp_path_factory.mktemp("tls")
    ca = ("-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=ca", "-days", "2")
    _openssl("req", "-x509", *_NEW_KEY, *ca, cwd=where)
    (where / "server.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    for name, extra in (("server", ("-extfile", "server.ext")), ("client", ())):
        request = ("-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}")
        _openssl("req", "-new", *_NEW_KEY, *request, cwd=where)
        signing = ("-in", f"{name}.csr", "-out", f"{name}.pem", *_SIGNED_BY_CA, *extra)
        _openssl("x509", "-req", *signing, cwd=where)
    return where


def _app() -> Any:
    package = load("mtls")

    class Impl(package.server.DefaultApi):  # type: ignore[misc]
        async def me(self) -> Any:
            return package.models.Who(name=str(request_context().principal))

        async def health(self) -> None:
            return None

    def verify(request: Any) -> str | None:
        # The TLS layer checked the certificate; a request that did not come over TLS
        # cannot have had one.
        return "certificate holder" if request.url.scheme == "https" else None

    return package.server.create_app(Impl(), security={"client_cert": verify})


@pytest.fixture(scope="module")
def tls_url(certificates: Path) -> Iterator[str]:
    config = uvicorn.Config(
        _app(),
        host="127.0.0.1",
        log_level="warning",
        access_log=False,
        ssl_certfile=str(certificates / "server.pem"),
        ssl_keyfile=str(certificates / "server.key"),
        ssl_ca_certs=str(certificates / "ca.pem"),
        ssl_cert_reqs=ssl.CERT_REQUIRED,
    )
    server = uvicorn.Server(config)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
        thread.start()
        try:
            wait_until_started(server, thread, 10)
            yield f"https://127.0.0.1:{listener.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(10)


def _tls(certificates: Path, *, with_certificate: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(certificates / "ca.pem"))
    if with_certificate:
        context.load_cert_chain(certificates / "client.pem", certificates / "client.key")
    return context


def test_the_client_certificate_goes_in_the_http_client(tls_url: str, certificates: Path) -> None:
    client_module = load("mtls").client
    context = _tls(certificates, with_certificate=True)
    # No keyword for the scheme: the certificate is the http_client's.
    with (
        httpx.Client(base_url=tls_url, verify=context) as http_client,
        client_module.Client(http_client=http_client) as client,
    ):
        assert client.default.me().name == "certificate holder"
        client.default.health()

    async def main() -> str:
        async with (
            httpx.AsyncClient(base_url=tls_url, verify=context) as http,
            client_module.AsyncClient(http_client=http) as client,
        ):
            return str((await client.default.me()).name)

    assert asyncio.run(main()) == "certificate holder"


def test_without_a_certificate_the_handshake_fails(tls_url: str, certificates: Path) -> None:
    context = _tls(certificates, with_certificate=False)
    with httpx.Client(base_url=tls_url, verify=context) as http_client:
        client = load("mtls").client.Client(http_client=http_client, retry=None)
        with client, pytest.raises(TransportError):
            client.default.health()  # refused by TLS before any route is reached


def test_the_verifier_rejects_a_request_without_tls() -> None:
    with serve_in_thread(_app()) as url, load("mtls").client.Client(url) as client:
        client.default.health()
        with pytest.raises(UnexpectedStatusError) as caught:
            client.default.me()
    raw = caught.value.response.raw
    assert raw.status_code == 401
    assert "www-authenticate" not in raw.headers  # a certificate has no HTTP challenge
    assert raw.json()["detail"] == "missing or invalid credentials (accepted: client certificate)"
