"""Our edge around an echo bot: the same endpoint and framework authentication as the app."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.channel.adapter import MoedebotAdapter
from bot.channel.auth import AuthenticationFailed, EdgeConfig
from bot.channel.framework_auth import MoedebotFrameworkAuthentication
from bot.channel.messages_endpoint import MessagesEndpoint


def build_edge_app(bot) -> web.Application:
    app = web.Application()
    holder: dict[str, MessagesEndpoint] = {}

    async def lifetime(app: web.Application):
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=60)
        ) as http:
            authentication = MoedebotFrameworkAuthentication(EdgeConfig(), http)
            await authentication.start()
            holder["endpoint"] = MessagesEndpoint(
                MoedebotAdapter(authentication),
                bot.on_turn,
                max_body_bytes=512 * 1024,
                auth_errors=(AuthenticationFailed,),
            )
            yield
            await authentication.close()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await holder["endpoint"](request)

    app.cleanup_ctx.append(lifetime)
    app.router.add_post("/api/messages", messages)
    return app
