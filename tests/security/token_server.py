"""An OAuth2 authorization server for the tests: token endpoint (client credentials,
refresh token, device code grants), device authorization endpoint and OpenID Connect
discovery, counting every request. Its routes are added in front of a generated app's, so
one server on 127.0.0.1 serves both the API and its tokens (the specs' URLs are relative).

Every secret it hands out contains `SECRET`, so tests can grep logs and messages for it.
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from specloom_runtime.server import InsufficientScope

CLIENT_ID = "test-client"
CLIENT_SECRET = "cs-SECRET-1"


@dataclass
class TokenServer:
    lifetime: int = 3600
    """expires_in of every access token."""
    reject_all: bool = False
    """Whether the API's verifier rejects every token (a server that keeps saying 401)."""
    delay: float = 0.0
    """Seconds the token endpoint takes (lets concurrent callers pile up)."""
    requests: Counter[str] = field(default_factory=Counter)
    """Requests by kind: client_credentials, refresh_token, device_code, device, discovery."""
    access_tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def install(self, app: Starlette) -> Starlette:
        """`app` with the token server's routes in front of its own."""
        app.router.routes[0:0] = [
            Route("/oauth/token", self._token, methods=["POST"]),
            Route("/oauth/device", self._device, methods=["POST"]),
            Route("/.well-known/openid-configuration", self._discovery, methods=["GET"]),
        ]
        return app

    def verify(self, token: str, scopes: tuple[str, ...]) -> str | None:
        """The verifier for the API: the token's client, 403 when scopes are missing."""
        granted = self.access_tokens.get(token)
        if granted is None or self.reject_all:
            return None
        if not set(scopes) <= granted:
            raise InsufficientScope(f"needs scopes {' '.join(scopes)}")
        return CLIENT_ID

    def approve(self, user_code: str) -> None:
        for device in self.devices.values():
            if device["user_code"] == user_code:
                device["approved"] = True

    def revoke_access_tokens(self) -> None:
        self.access_tokens.clear()

    def issued_refresh_token(self) -> str:
        token = f"rt-SECRET-{next(self._serial)}"
        self.refresh_tokens.add(token)
        return token

    async def _token(self, request: Request) -> Response:
        form = await _form(request)
        grant = str(form.get("grant_type", ""))
        with self._lock:
            self.requests[grant.rsplit(":", 1)[-1]] += 1
        if self.delay:
            time.sleep(self.delay)  # a slow token server, blocking on purpose
        if not _client_authenticated(request, form):
            return _error("invalid_client", 401)
        scopes = frozenset(str(form.get("scope", "read")).split())
        if grant == "client_credentials":
            return self._issue(scopes, refresh=False)
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return _error("invalid_grant")
            self.refresh_tokens.discard(str(form["refresh_token"]))  # rotated
            return self._issue(scopes, refresh=True)
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            device = self.devices.get(str(form.get("device_code")))
            if device is None:
                return _error("invalid_grant")
            device["polls"] += 1
            if not device["approved"]:
                return _error("authorization_pending")
            return self._issue(device["scopes"], refresh=True)
        return _error("unsupported_grant_type")

    def _issue(self, scopes: frozenset[str], *, refresh: bool) -> Response:
        token = f"at-SECRET-{next(self._serial)}"
        self.access_tokens[token] = scopes
        body: dict[str, Any] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.lifetime,
            "scope": " ".join(sorted(scopes)),
        }
        if refresh:
            body["refresh_token"] = self.issued_refresh_token()
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def _device(self, request: Request) -> Response:
        form = await _form(request)
        self.requests["device"] += 1
        if form.get("client_id") != CLIENT_ID:
            return _error("invalid_client", 401)
        serial = next(self._serial)
        device_code, user_code = f"dc-SECRET-{serial}", f"WDJB-{serial}"
        self.devices[device_code] = {
            "user_code": user_code,
            "approved": False,
            "polls": 0,
            "scopes": frozenset(str(form.get("scope", "read")).split()),
        }
        return JSONResponse(
            {
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": f"{request.base_url}activate",
                "expires_in": 600,
                "interval": 0,
            }
        )

    async def _discovery(self, request: Request) -> Response:
        self.requests["discovery"] += 1
        base = str(request.base_url).rstrip("/")
        return JSONResponse(
            {
                "issuer": base,
                "token_endpoint": f"{base}/oauth/token",
                "device_authorization_endpoint": f"{base}/oauth/device",
            }
        )


async def _form(request: Request) -> dict[str, Any]:
    return dict(urllib.parse.parse_qsl((await request.body()).decode()))


def _client_authenticated(request: Request, form: dict[str, Any]) -> bool:
    """client_secret_basic, client_secret_post, or a public client (id only)."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return (client_id, secret) == (CLIENT_ID, CLIENT_SECRET)
    if "client_secret" in form:
        return (form.get("client_id"), form["client_secret"]) == (CLIENT_ID, CLIENT_SECRET)
    return form.get("client_id") == CLIENT_ID


def _error(error: str, status: int = 400) -> Response:
    return JSONResponse({"error": error, "error_description": f"test server: {error}"}, status)
