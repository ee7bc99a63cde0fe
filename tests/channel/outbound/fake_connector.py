"""A small fake Bot Framework connector + AAD token endpoint on 127.0.0.1, recording requests."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Recorded:
    method: str
    raw_path: str  # as sent, percent-encoding included
    path: str  # decoded
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    remote_port: int
    at: float


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeConnector:
    """Connector routes answer from a programmable queue (`program(...)`), else 200 with an id.
    `POST /{tenant}/oauth2/v2.0/token` is a fake AAD endpoint."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.token_requests: list[dict[str, str]] = []
        self.token_lifetime = 3600
        self.token_status = 200
        self.token_delay = 0.0
        self._script: deque[Reply] = deque()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self._ids = 0
        self.on_request: Callable[[web.Request], None] | None = None  # test hook

    def program(self, *replies: Reply | int) -> None:
        self._script.extend(r if isinstance(r, Reply) else Reply(status=r) for r in replies)

    @property
    def ports(self) -> set[int]:
        return {r.remote_port for r in self.requests}

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_route("*", "/{tail:.*}", self._connector)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.token_requests.append(
            {k: str(v) for k, v in form.items()} | {"tenant": request.match_info["tenant"]}
        )
        if self.token_delay:
            await asyncio.sleep(self.token_delay)
        if self.token_status != 200:
            return web.json_response({"error": "invalid_client"}, status=self.token_status)
        n = len(self.token_requests)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": self.token_lifetime, "access_token": f"tok-{n}"}
        )

    async def _connector(self, request: web.Request) -> web.Response:
        if self.on_request is not None:
            self.on_request(request)
        raw = await request.read()
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.requests.append(
            Recorded(
                method=request.method,
                raw_path=request.raw_path.split("?")[0],
                path=request.path,
                query=dict(request.query),
                headers=dict(request.headers),
                body=json.loads(raw) if raw else None,
                remote_port=peer[1] if peer else -1,
                at=time.monotonic(),
            )
        )
        reply = self._script.popleft() if self._script else None
        if reply is None:
            self._ids += 1
            reply = Reply(200, {"id": f"act-{self._ids}"} if request.method != "DELETE" else None)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.body is None:
            return web.Response(status=reply.status, headers=reply.headers)
        return web.json_response(reply.body, status=reply.status, headers=reply.headers)
