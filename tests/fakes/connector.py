"""A fake Bot Connector on 127.0.0.1: records what the bot sends and can be told to fail."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class RecordedCall:
    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: Any
    headers: dict[str, str]
    client_port: int | None
    at: float

    @property
    def text(self) -> str | None:
        return self.body.get("text") if isinstance(self.body, dict) else None

    @property
    def cards(self) -> list[dict[str, Any]]:
        attachments = (self.body or {}).get("attachments") or []
        return [a.get("content") for a in attachments if isinstance(a, dict)]


@dataclass
class Failure:
    status: int
    times: int
    retry_after: str | None = None
    matches: Callable[[web.Request], bool] = lambda _request: True


@dataclass
class FakeConnector:
    """`await connector.start()`, then put `connector.url` in activities as their serviceUrl."""

    calls: list[RecordedCall] = field(default_factory=list)
    members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition | None = None

    async def start(self) -> FakeConnector:
        self._changed = asyncio.Condition()
        app = web.Application()
        base = "/v3/conversations"
        app.router.add_post(base, self._create_conversation)
        app.router.add_post(base + "/{cid}/activities", self._activity)
        app.router.add_post(base + "/{cid}/activities/{aid}", self._activity)
        app.router.add_put(base + "/{cid}/activities/{aid}", self._activity)
        app.router.add_delete(base + "/{cid}/activities/{aid}", self._activity)
        app.router.add_get(base + "/{cid}/members", self._members)
        app.router.add_get(base + "/{cid}/members/{mid}", self._member)
        app.router.add_get(base + "/{cid}/pagedmembers", self._paged_members)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- programming and reading ----------------------------------------------------------

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        matches: Callable[[web.Request], bool] | None = None,
    ) -> None:
        self.failures.append(Failure(status, times, retry_after, matches or (lambda _r: True)))

    def sent(self, conversation_id: str | None = None) -> list[RecordedCall]:
        """Activities posted (new messages and replies), optionally for one conversation."""
        return [
            c
            for c in self.calls
            if c.method == "POST"
            and "/activities" in c.path
            and (conversation_id is None or c.conversation_id == conversation_id)
        ]

    def updates(self) -> list[RecordedCall]:
        return [c for c in self.calls if c.method == "PUT"]

    async def wait_for(
        self, predicate: Callable[[list[RecordedCall]], bool], seconds: float = 5.0
    ) -> list[RecordedCall]:
        assert self._changed is not None
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(lambda: predicate(self.calls))
        return self.calls

    def clear(self) -> None:
        self.calls.clear()

    # --- handlers -------------------------------------------------------------------------

    async def _record(self, request: web.Request) -> RecordedCall:
        body = await request.json() if request.can_read_body else None
        peer = request.transport.get_extra_info("peername") if request.transport else None
        call = RecordedCall(
            method=request.method,
            path=request.path,
            conversation_id=request.match_info.get("cid"),
            activity_id=request.match_info.get("aid"),
            body=body,
            headers=dict(request.headers),
            client_port=peer[1] if peer else None,
            at=time.monotonic(),
        )
        self.calls.append(call)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()
        return call

    def _failure_for(self, request: web.Request) -> web.Response | None:
        for failure in self.failures:
            if failure.times > 0 and failure.matches(request):
                failure.times -= 1
                headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
                return web.json_response(
                    {"error": {"code": "Injected", "message": f"status {failure.status}"}},
                    status=failure.status,
                    headers=headers,
                )
        return None

    async def _activity(self, request: web.Request) -> web.Response:
        await self._record(request)
        if (failure := self._failure_for(request)) is not None:
            return failure
        if request.method == "DELETE":
            return web.Response(status=200)
        activity_id = request.match_info.get("aid") if request.method == "PUT" else None
        return web.json_response({"id": activity_id or f"activity-{next(self._ids)}"})

    async def _token(self, request: web.Request) -> web.Response:
        """Stands in for AAD's client-credentials endpoint (set as the login URL base)."""
        form = await request.post()
        self.token_requests.append({"tenant": request.match_info["tenant"], **form})
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": "fake-aad-token"}
        )

    async def _create_conversation(self, request: web.Request) -> web.Response:
        await self._record(request)
        if (failure := self._failure_for(request)) is not None:
            return failure
        number = next(self._ids)
        return web.json_response({"id": f"a:created-{number}", "activityId": f"activity-{number}"})

    async def _members(self, request: web.Request) -> web.Response:
        await self._record(request)
        if (failure := self._failure_for(request)) is not None:
            return failure
        return web.json_response(self.members.get(request.match_info["cid"], []))

    async def _member(self, request: web.Request) -> web.Response:
        await self._record(request)
        for member in self.members.get(request.match_info["cid"], []):
            if member.get("id") == request.match_info["mid"]:
                return web.json_response(member)
        return web.json_response({"error": {"code": "NotFound"}}, status=404)

    async def _paged_members(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response({"members": self.members.get(request.match_info["cid"], [])})
