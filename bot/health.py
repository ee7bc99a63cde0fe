"""GET /healthz (the process is alive) and GET /readyz (the database answers)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def readyz_handler(engine: AsyncEngine, timeout: float = 2.0) -> Handler:
    async def readyz(_request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(timeout):
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("readiness check failed: %s", type(error).__name__)
            return web.json_response({"status": "unavailable", "database": "down"}, status=503)
        return web.json_response({"status": "ready", "database": "ok"})

    return readyz
