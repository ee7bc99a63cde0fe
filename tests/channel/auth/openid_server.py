"""A local OpenID metadata + JWKS server and a token signer, for auth tests (loopback only)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
APP_ID = "00000000-aaaa-bbbb-cccc-000000000001"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str, endorsements: list[str] | None) -> dict:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": kid, "use": "sig"})
    if endorsements is not None:
        jwk["endorsements"] = endorsements
    return jwk


@dataclass
class OpenIdServer:
    """Serves /metadata and /keys; counts hits; can be slowed down or made to fail."""

    jwks: list[dict] = field(default_factory=list)
    delay: float = 0.0
    fail_status: int | None = None
    metadata_hits: int = 0
    jwks_hits: int = 0
    _runner: web.AppRunner | None = None
    base_url: str = ""

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/metadata"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metadata", self._metadata)
        app.router.add_get("/keys", self._keys)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_hits += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_status:
            return web.Response(status=self.fail_status)
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base_url}/keys"})

    async def _keys(self, request: web.Request) -> web.Response:
        self.jwks_hits += 1
        return web.json_response({"keys": self.jwks})


def sign(
    key: rsa.RSAPrivateKey,
    kid: str | None = "key-1",
    *,
    algorithm: str = "RS256",
    **overrides: Any,
) -> str:
    """A channel-style token: iss/aud/serviceurl/nbf/exp, overridable; None drops a claim."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": APP_ID,
        "serviceurl": SERVICE_URL,
        "nbf": now - 10,
        "exp": now + 3600,
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)
