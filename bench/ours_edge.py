"""Our edge around an echo bot: the same endpoint and framework authentication as the app."""

from __future__ import annotations

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.channel.messages_endpoint import MessagesEndpoint


def build_edge_app(bot) -> web.Application:
    class Config:
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TYPE = "MultiTenant"
        APP_TENANTID = ""

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))
    endpoint = MessagesEndpoint(
        adapter, bot.on_turn, max_body_bytes=512 * 1024, auth_errors=(PermissionError,)
    )
    app = web.Application()
    app.router.add_post("/api/messages", endpoint)
    return app
