"""The results page in headless Chromium: bars shown, and updated live when a vote arrives."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.capabilities.polls.links import PollLinks
from bot.capabilities.polls.page.live import StreamLimits
from bot.capabilities.polls.web import PollWebContext, add_poll_routes
from bot.domain.clock import FixedClock
from bot.domain.polls import Option, PollKind, PollService, PollSettings, PollSpec
from storage.polls import SqlPollRepository
from tests.support.storage import migrated

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright downloads no browser here
T0 = datetime(2021, 3, 25, 9, 0, tzinfo=UTC)
SECRET = b"browser-test"
CONV, TENANT = "conv-1", "tenant-1"
WAIT_MS = 20_000  # a bound, not a pace: the assertions wait on the DOM


def _browser_or_skip():
    reason = None
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        reason, async_playwright = "playwright is not installed", None
    if reason is None and not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser test must run under CI: {reason}")
        pytest.skip(reason)
    return async_playwright


@pytest.fixture
async def page():
    async_playwright = _browser_or_skip()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 800})
            yield await context.new_page()
        finally:
            await browser.close()


@pytest.fixture
async def bot(tmp_path, request):
    limits = getattr(request, "param", StreamLimits(tick_seconds=0.2))
    async with migrated(f"sqlite+aiosqlite:///{tmp_path / 'moedebot.db'}") as (engine, writer):
        repository = SqlPollRepository(engine, writer)
        clock = FixedClock(T0)
        service = PollService(repository, clock, SECRET)
        holder: dict[str, PollWebContext] = {}
        app = web.Application()
        add_poll_routes(app, lambda: holder["context"], limits=limits)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        try:
            links = PollLinks(SECRET, str(server.make_url("")), clock)
            holder["context"] = PollWebContext(
                service=service, links=links, clock=clock, polls=repository
            )
            yield service, links
        finally:
            await server.close()


async def vote(service: PollService, poll_id: str, who: str, choice: str) -> None:
    outcome = await service.vote(
        poll_id, {"choice": choice}, conversation_id=CONV, tenant_id=TENANT, user_id=who
    )
    assert outcome.status == "new"


async def test_the_page_shows_bars_and_follows_a_new_vote(page, bot):
    from playwright.async_api import expect

    service, links = bot
    spec = PollSpec(
        PollKind.SINGLE,
        "Har din kommune svaret KMD?",
        (Option("1", "Ja"), Option("2", "Nej"), Option("3", "Ved ikke")),
        settings=PollSettings(anonymous=False),
    )
    poll = await service.create(spec, conversation_id=CONV, tenant_id=TENANT, creator_id="29:c")
    await vote(service, poll.id, "29:anne", "1")
    url, _ = links.results_url(poll.id)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(url)

    bars = page.locator(".bar")
    await expect(bars).to_have_count(3, timeout=WAIT_MS)
    await expect(page.locator(".respondents")).to_have_text("1 har svaret")
    await expect(bars.nth(0).locator(".count")).to_have_text("1")
    await expect(bars.nth(0).locator(".fill")).to_have_class("fill p-100")
    width = await bars.nth(0).locator(".fill").evaluate("e => e.getBoundingClientRect().width")
    track = await bars.nth(0).locator(".track").evaluate("e => e.getBoundingClientRect().width")
    assert width == pytest.approx(track, abs=1)  # the stylesheet loaded under the CSP

    await vote(service, poll.id, "29:bo", "2")
    await expect(page.locator(".respondents")).to_have_text("2 har svaret", timeout=WAIT_MS)
    await expect(bars.nth(1).locator(".count")).to_have_text("1")
    await expect(bars.nth(1).locator(".percent")).to_have_text("50\u00a0%")
    await expect(bars.nth(0).locator(".fill")).to_have_class("fill p-50")

    await service.close(poll.id, "29:c")
    await expect(page.locator(".status")).to_have_text(
        "Lukket · endeligt resultat", timeout=WAIT_MS
    )
    assert errors == []


async def test_without_javascript_the_page_refreshes_itself(bot):
    async_playwright = _browser_or_skip()
    from playwright.async_api import expect

    service, links = bot
    spec = PollSpec(
        PollKind.YES_NO,
        "Virker det uden JavaScript?",
        (Option("yes", "Ja"), Option("no", "Nej")),
        settings=PollSettings(anonymous=False),
    )
    poll = await service.create(spec, conversation_id=CONV, tenant_id=TENANT, creator_id="29:c")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            context = await browser.new_context(java_script_enabled=False)
            page = await context.new_page()
            await page.goto(links.results_url(poll.id)[0])
            await expect(page.locator(".respondents")).to_have_text("Ingen har svaret endnu")
            await vote(service, poll.id, "29:anne", "yes")
            # The <noscript> refresh comes every 5 seconds; this waits for it, bounded.
            await expect(page.locator(".respondents")).to_have_text("1 har svaret", timeout=WAIT_MS)
            await expect(page.locator(".bar").nth(0).locator(".count")).to_have_text("1")
        finally:
            await browser.close()


@pytest.mark.parametrize("bot", [StreamLimits(max_streams=0)], indirect=True)
async def test_a_refused_stream_falls_back_to_reading_the_data(page, bot):
    from playwright.async_api import expect

    service, links = bot
    spec = PollSpec(
        PollKind.YES_NO,
        "Travlt?",
        (Option("yes", "Ja"), Option("no", "Nej")),
        settings=PollSettings(anonymous=False),
    )
    poll = await service.create(spec, conversation_id=CONV, tenant_id=TENANT, creator_id="29:c")
    await page.goto(links.results_url(poll.id)[0])
    await expect(page.locator(".respondents")).to_have_text("Ingen har svaret endnu")
    await vote(service, poll.id, "29:anne", "no")
    await expect(page.locator(".respondents")).to_have_text("1 har svaret", timeout=WAIT_MS)
    await expect(page.locator(".bar").nth(1).locator(".percent")).to_have_text("100\u00a0%")
