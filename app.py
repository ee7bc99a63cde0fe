"""Composition root: create_app(settings) wires storage, services, the bot edge and routes."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.capabilities.basics import Basics
from bot.capabilities.breakout import BreakoutCapability
from bot.capabilities.knowledge import KnowledgeCapability, add_knowledge_routes
from bot.capabilities.knowledge.watch import KnowledgeWatcher
from bot.capabilities.knowledge.web import announce_knowledge
from bot.capabilities.polls import PollPublisher, PollsCapability
from bot.capabilities.polls.links import PollLinks
from bot.capabilities.polls.web import PollWebContext, add_poll_routes
from bot.capabilities.reminders import RemindersCapability
from bot.capabilities.subscriptions import SubscriptionsCapability
from bot.channel.adapter import MoedebotAdapter
from bot.channel.auth import AuthenticationFailed, EdgeConfig
from bot.channel.conversation_log import ConversationLog
from bot.channel.framework_auth import MoedebotFrameworkAuthentication
from bot.channel.handler import MoedebotBot
from bot.channel.messages_endpoint import MessagesEndpoint
from bot.channel.proactive import ProactiveNotifier
from bot.channel.router import TurnRouter
from bot.channel.turn_errors import turn_error_handler
from bot.domain.admins import Admins
from bot.domain.answer_desk import AnswerDesk
from bot.domain.clock import Clock, SystemClock
from bot.domain.knowledge import KnowledgeService, RoleHolderService
from bot.domain.polls import PollService
from bot.domain.polls.template_loader import load_templates
from bot.domain.polls.templates import PollTemplates
from bot.domain.reminders.subscriptions import ReminderPlan
from bot.health import healthz, readyz_handler
from bot.metrics import Metrics
from bot.scheduler import Scheduler
from bot.settings import Settings
from storage.batch_writer import BatchWriter
from storage.bot_state import SqlBotStorage
from storage.conversations import SqlConversationRepository
from storage.engine import create_engine
from storage.event_subscriptions import SqlEventSubscriptionRepository
from storage.knowledge_feedback import SqlFeedbackRepository
from storage.migrate import upgrade
from storage.pg_state_reader import PgStateReader
from storage.polls import SqlPollRepository
from storage.process_lock import lock_sqlite_database
from storage.role_holders import SqlRoleHolderRepository
from storage.scheduled_jobs import SqlJobRepository
from storage.turn_state import TurnDialogState, TurnStates, TurnUserState

log = logging.getLogger("moedebot")


@dataclass(frozen=True, kw_only=True)
class Runtime:
    """Everything one running app owns; built at start-up, closed at shutdown."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    writer: BatchWriter
    state: SqlBotStorage
    http: aiohttp.ClientSession
    authentication: MoedebotFrameworkAuthentication
    knowledge: KnowledgeService
    conversations: SqlConversationRepository
    adapter: MoedebotAdapter
    bot: MoedebotBot
    endpoint: MessagesEndpoint
    scheduler: Scheduler
    notifier: ProactiveNotifier
    polls: PollsCapability
    poll_web: PollWebContext

    async def flush_written_behind(self) -> None:
        """Wait until every write submitted so far is committed (tests and benchmarks)."""
        await self.writer.flush()


RUNTIME = web.AppKey("runtime", Runtime)
_SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "knowledge" / "poll_templates.yaml"


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    settings.check_deployment()
    app = web.Application(client_max_size=settings.max_body_bytes + 1)
    clock = clock or SystemClock()
    metrics = Metrics()
    edge_config = edge_config_from(settings)  # invalid credentials fail here, before serving
    # Invalid knowledge and poll templates fail here too, before serving.
    knowledge = KnowledgeService(settings.knowledge_dir, zone=settings.zone)
    templates = poll_templates(settings)

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        # Each resource is registered for cleanup as soon as it exists, so a failure part-way
        # through start-up closes what was opened, in reverse order.
        async with AsyncExitStack() as stack:
            lock = lock_sqlite_database(settings.database_url)  # SQLite: this process only
            if lock is not None:
                stack.callback(lock.release)
            engine = create_engine(settings.database_url)
            stack.push_async_callback(engine.dispose)
            await upgrade(engine)
            writer = BatchWriter(engine)
            writer.start()
            stack.push_async_callback(writer.close)  # flushes what was written behind
            select_rows = None
            if engine.dialect.name == "postgresql":
                reader = await PgStateReader.open(settings.database_url)
                stack.push_async_callback(reader.close)
                select_rows = reader.select
            state_storage = SqlBotStorage(
                engine, writer, clock, exclusive=lock is not None, select_rows=select_rows
            )
            await state_storage.prime()
            # The first relative-date question would otherwise pay for loading the date parser.
            await asyncio.to_thread(knowledge.ask, "Hvad sker der i morgen?", now=clock.now())
            http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=60, ttl_dns_cache=300),
                timeout=aiohttp.ClientTimeout(total=30),
            )
            stack.push_async_callback(http.close)
            authentication = MoedebotFrameworkAuthentication(edge_config, http)
            stack.push_async_callback(authentication.close)
            await authentication.start()  # signing keys load in the background
            metrics.watch_deliveries(authentication.stats)
            app[RUNTIME] = _build_runtime(
                settings=settings,
                clock=clock,
                engine=engine,
                writer=writer,
                state_storage=state_storage,
                http=http,
                authentication=authentication,
                metrics=metrics,
                knowledge=knowledge,
                templates=templates,
            )
            runtime = app[RUNTIME]
            # Event reminders follow knowledge files that changed while the bot was down.
            await announce_knowledge(knowledge)
            runtime.scheduler.start()
            stack.push_async_callback(runtime.scheduler.stop)  # before the writer closes
            stack.push_async_callback(runtime.polls.actions.drain)
            watcher = KnowledgeWatcher(
                knowledge, settings.knowledge_dir, settings.knowledge_watch_seconds
            )
            watcher.start()
            stack.push_async_callback(watcher.stop)
            _announce_mode(settings)
            # What start-up built (the knowledge index above all) lives as long as the app:
            # kept out of the collector's sight, full collections stay short under load.
            # A turn allocates thousands of short-lived objects that reference counting frees;
            # collecting the young generation every 700 allocations mostly finds nothing.
            # Both are undone at shutdown (tests start many apps in one process).
            stack.callback(gc.set_threshold, *gc.get_threshold())
            stack.callback(gc.unfreeze)
            gc.collect()
            gc.freeze()
            gc.set_threshold(50_000, 20, 20)
            yield

    app.cleanup_ctx.append(lifetime)
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", metrics.handler())
    add_knowledge_routes(app, knowledge, clock, admin_token=settings.admin_token())
    add_poll_routes(app, lambda: app[RUNTIME].poll_web)
    return app


def poll_templates(settings: Settings) -> PollTemplates:
    """The poll templates beside the knowledge files; the shipped ones when that folder has
    none (a knowledge folder of one's own need not copy the meeting evaluation)."""
    path = settings.knowledge_dir / "poll_templates.yaml"
    if not path.exists():
        path = _SHIPPED_TEMPLATES
    return load_templates(path)


def edge_config_from(settings: Settings) -> EdgeConfig:
    return EdgeConfig(
        app_id=settings.app_id,
        app_password=settings.app_password.get_secret_value(),
        app_type=settings.app_type,
        tenant_id=settings.app_tenant_id,
        openid_metadata_url=settings.openid_metadata_url,
        token_issuers=(settings.token_issuer,),
        aad_authority=settings.login_url_base,
        oauth_scope=settings.oauth_scope,
    )


def _build_runtime(
    *,
    settings: Settings,
    clock: Clock,
    engine: AsyncEngine,
    writer: BatchWriter,
    state_storage: SqlBotStorage,
    http: aiohttp.ClientSession,
    authentication: MoedebotFrameworkAuthentication,
    metrics: Metrics,
    knowledge: KnowledgeService,
    templates: PollTemplates,
) -> Runtime:
    storage = state_storage
    conversations = SqlConversationRepository(engine, writer, clock)
    adapter = MoedebotAdapter(authentication)
    adapter.on_turn_error = turn_error_handler(metrics)
    desk = AnswerDesk(
        knowledge,
        SqlFeedbackRepository(engine, writer),
        clock,
        secret=settings.resolved_hash_secret(),
    )
    role_holders = RoleHolderService(
        SqlRoleHolderRepository(engine, writer), lambda: knowledge.kb, zone=settings.zone
    )
    admins = Admins(settings.admin_ids)
    secret = settings.resolved_hash_secret()
    jobs = SqlJobRepository(engine, writer)  # one repository: the scheduler's and the capabilities'
    scheduler = Scheduler(jobs, clock)
    # A new 1:1 chat (a private link, a personal reminder) is opened with the bot's own id.
    bot_id = f"28:{settings.app_id}" if settings.app_id else ""
    notifier = ProactiveNotifier(conversations, authentication.connector_factory, bot_id=bot_id)
    poll_repository = SqlPollRepository(engine, writer)
    poll_service = PollService(poll_repository, clock, secret, admins=admins)
    links = PollLinks(secret, settings.public_base_url, clock)
    publisher = PollPublisher(
        poll_service, poll_repository, scheduler, notifier, clock, zone=settings.zone
    )
    polls = PollsCapability(poll_service, poll_repository, publisher, templates, links, clock)
    for kind, handler in polls.job_handlers().items():
        scheduler.register(kind, handler)
    dialog_state, user_state = TurnDialogState(storage), TurnUserState(storage)
    preferences = user_state.create_property("preferences")
    # Every capability registers its commands, card verbs, dialogs and events here; the
    # knowledge base answers whatever free text no command took, so it registers last.
    router = TurnRouter()
    Basics(preferences).register(router)
    polls.register(router)
    # Reminders set in chat: jobs of kind "reminder" on the one scheduler; the list a person
    # was shown last is kept with them (so "slet påmindelse 2" means what was on that list).
    reminders = RemindersCapability(
        scheduler,
        jobs,
        notifier,
        user_state.create_property("reminder_list"),
        clock,
        admins=admins,
        zone=settings.zone,
    )
    reminders.register_jobs(max_lateness_hours=settings.reminder_max_lateness_hours)
    reminders.register(router)
    # Breakout groups and their "time's up", and the knowledge base's event reminders for the
    # conversations that subscribed (re-planned on every knowledge reload).
    breakout = BreakoutCapability(notifier, scheduler, clock, zone=settings.zone)
    plan = ReminderPlan(
        settings.subscription_reminder_days, settings.subscription_remind_at, settings.zone
    )
    subscriptions = SubscriptionsCapability(
        SqlEventSubscriptionRepository(engine, writer),
        jobs,
        scheduler,
        notifier,
        knowledge,
        plan,
        clock,
    )
    for timed in (breakout, subscriptions):
        timed.register_jobs(scheduler)
        timed.register(router)
    KnowledgeCapability(
        knowledge, desk, role_holders, clock, admins=admins, public_url=settings.public_base_url
    ).register(router)
    bot = MoedebotBot(
        conversation_log=ConversationLog(conversations),
        dialog_state=dialog_state,
        preferences=preferences,
        turn_states=TurnStates(storage, (user_state, dialog_state)),
        router=router,
    )
    endpoint = MessagesEndpoint(
        adapter,
        bot.on_turn,
        max_body_bytes=settings.max_body_bytes,
        auth_errors=(AuthenticationFailed,),
        metrics=metrics,
    )
    return Runtime(
        settings=settings,
        clock=clock,
        engine=engine,
        writer=writer,
        state=storage,
        http=http,
        authentication=authentication,
        knowledge=knowledge,
        conversations=conversations,
        adapter=adapter,
        bot=bot,
        endpoint=endpoint,
        scheduler=scheduler,
        notifier=notifier,
        polls=polls,
        poll_web=PollWebContext(
            service=poll_service,
            links=links,
            clock=clock,
            polls=poll_repository,
            zone=settings.zone,
        ),
    )


async def _messages(request: web.Request) -> web.StreamResponse:
    return await request.app[RUNTIME].endpoint(request)


async def _readyz(request: web.Request) -> web.StreamResponse:
    return await readyz_handler(request.app[RUNTIME].engine)(request)


def _announce_mode(settings: Settings) -> None:
    if settings.authenticated:
        log.info("Bot Framework authentication on for app id %s", settings.app_id)
    else:
        log.warning(
            "LOCAL MODE: no MicrosoftAppId set, so requests are NOT authenticated "
            "(listening on %s). Set MicrosoftAppId/MicrosoftAppPassword for Teams.",
            settings.bind_host,
        )


def main() -> None:
    """`python app.py`, `moedebot run`, `make run`: serve until SIGINT/SIGTERM. A start-up
    error (settings, knowledge, port, database) is one line on stderr and exit status 2."""
    from bot.server import run
    from bot.startup import one_line_startup_errors

    with one_line_startup_errors():
        settings = Settings.load()
        logging.basicConfig(
            level=settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        run(create_app(settings), settings)


if __name__ == "__main__":
    main()
