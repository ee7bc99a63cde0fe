"""The three echo servers the edge benchmark compares, each run in its own process.

floor — plain aiohttp: read the activity, POST one reply over a shared ClientSession.
stock — the stock SDK: CloudAdapter.process with an ActivityHandler echo bot.
ours  — Mødebot's edge: our MessagesEndpoint and framework authentication, echo logic.
"""

from __future__ import annotations

import argparse
import logging
from urllib.parse import quote

import aiohttp
from aiohttp import web


def floor_app() -> web.Application:
    app = web.Application()
    session_key = web.AppKey("session", aiohttp.ClientSession)

    async def lifetime(app):
        app[session_key] = aiohttp.ClientSession()
        yield
        await app[session_key].close()

    async def messages(request: web.Request) -> web.Response:
        activity = await request.json()
        url = (
            f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/"
            f"{quote(activity['conversation']['id'], safe='')}/activities/"
            f"{quote(activity['id'], safe='')}"
        )
        reply = {
            "type": "message",
            "text": f"Echo: {activity.get('text', '')}",
            "conversation": activity["conversation"],
            "from": activity["recipient"],
            "recipient": activity["from"],
            "replyToId": activity["id"],
        }
        async with request.app[session_key].post(url, json=reply) as response:
            await response.read()
        return web.Response(status=200)

    app.cleanup_ctx.append(lifetime)
    app.router.add_post("/api/messages", messages)
    return app


def _echo_bot():
    from botbuilder.core import ActivityHandler

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context):
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    return EchoBot()


def stock_app() -> web.Application:
    from botbuilder.integration.aiohttp import (
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )

    class Config:
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TYPE = "MultiTenant"
        APP_TENANTID = ""

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))
    bot = _echo_bot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def ours_app() -> web.Application:
    from bench.ours_edge import build_edge_app

    return build_edge_app(_echo_bot())


APPS = {"floor": floor_app, "stock": stock_app, "ours": ours_app}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(APPS))
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    web.run_app(APPS[args.kind](), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
