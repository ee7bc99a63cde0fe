"""Composition root: create_app(settings) wires storage, services, the bot edge and routes."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import UserState
from botbuilder.core.private_conversation_state import PrivateConversationState
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channel.card_actions import CardActionRouter
from bot.channel.conversation_log import ConversationLog
from bot.channel.handler import MoedebotBot
from bot.channel.messages_endpoint import MessagesEndpoint
from bot.channel.turn_errors import on_turn_error
from bot.domain.clock import Clock, SystemClock
from bot.health import healthz, readyz_handler
from bot.settings import Settings
from storage.bot_state import SqlBotStorage
from storage.conversations import SqlConversationRepository
from storage.engine import create_engine
from storage.migrate import upgrade

log = logging.getLogger("moedebot")


@dataclass
class Runtime:
    """Everything one running app owns; built at start-up, closed at shutdown."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    conversations: SqlConversationRepository
    adapter: CloudAdapter
    bot: MoedebotBot
    endpoint: MessagesEndpoint


RUNTIME = web.AppKey("runtime", Runtime)


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    app = web.Application(client_max_size=settings.max_body_bytes + 1)
    engine = create_engine(settings.database_url)
    clock = clock or SystemClock()

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        await upgrade(engine)
        app[RUNTIME] = _build_runtime(settings, clock, engine)
        _announce_mode(settings)
        yield
        await engine.dispose()

    app.cleanup_ctx.append(lifetime)
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz_handler(engine))
    return app


def _build_runtime(settings: Settings, clock: Clock, engine: AsyncEngine) -> Runtime:
    storage = SqlBotStorage(engine, clock)
    conversations = SqlConversationRepository(engine, clock)
    authentication = ConfigurationBotFrameworkAuthentication(_SdkConfig(settings))
    adapter = CloudAdapter(authentication)
    adapter.on_turn_error = on_turn_error
    bot = MoedebotBot(
        conversation_log=ConversationLog(conversations),
        dialog_state=PrivateConversationState(storage),
        user_state=UserState(storage),
        card_actions=CardActionRouter(),
    )
    endpoint = MessagesEndpoint(
        adapter,
        bot.on_turn,
        max_body_bytes=settings.max_body_bytes,
        auth_errors=(PermissionError,),
    )
    return Runtime(settings, clock, engine, conversations, adapter, bot, endpoint)


class _SdkConfig:
    """The attribute names the SDK's configuration-based authentication reads."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password.get_secret_value()
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id


async def _messages(request: web.Request) -> web.StreamResponse:
    return await request.app[RUNTIME].endpoint(request)


def _announce_mode(settings: Settings) -> None:
    if settings.authenticated:
        log.info("Bot Framework authentication on for app id %s", settings.app_id)
    else:
        log.warning(
            "LOCAL MODE: no MicrosoftAppId set, so requests are NOT authenticated. "
            "Serving on %s only; set MicrosoftAppId/MicrosoftAppPassword for Teams.",
            settings.bind_host,
        )


def main(argv: list[str] | None = None) -> None:
    settings = Settings.load()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    web.run_app(
        create_app(settings),
        host=settings.bind_host,
        port=settings.port,
        print=None,
        access_log=None,
    )


if __name__ == "__main__":
    main()
