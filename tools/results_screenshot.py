"""Make docs/results-page.png: a meeting evaluation's results page, 12 respondents, with trend.

Run: .venv/bin/python tools/results_screenshot.py [out.png]   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import async_playwright

from bot.capabilities.polls.links import PollLinks
from bot.capabilities.polls.web import PollWebContext, add_poll_routes
from bot.domain.clock import FixedClock
from bot.domain.polls import PollService, PollSpec, load_templates
from storage.batch_writer import BatchWriter
from storage.engine import create_engine
from storage.migrate import upgrade
from storage.polls import SqlPollRepository

ROOT = Path(__file__).resolve().parents[1]
MEETINGS = (datetime(2021, 1, 28, 10, tzinfo=UTC), datetime(2021, 2, 25, 10, tzinfo=UTC))
TODAY = datetime(2021, 3, 25, 11, 30, tzinfo=UTC)
# Per statement, the levels (5 = Helt enig ... 1 = Helt uenig) leaning as the meeting went.
LEANINGS = {
    "relevante-oplaeg": (5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 2),
    "god-vekslen": (5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2),
    "understoetter-opgaver": (5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 2),
    "skabt-vaerdi": (5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3),
    "tid-til-breakouts": (5, 5, 5, 5, 5, 4, 4, 4, 3, 3, 2, 1),
}


async def evaluation(service: PollService, clock: FixedClock, spec: PollSpec, shift: int) -> str:
    poll = await service.create(
        spec, conversation_id="meeting", tenant_id="kommune", creator_id="29:organiser"
    )
    rng = random.Random(shift)
    for voter in range(12):
        clock.advance(seconds=20)
        ballot = {}
        for statement, levels in LEANINGS.items():
            level = max(1, min(5, levels[voter] - (shift if rng.random() < 0.4 else 0)))
            if not (voter == 11 and statement == "tid-til-breakouts"):  # one left it blank
                ballot[f"rating.{statement}"] = str(level)
        await service.vote(
            poll.id, ballot, conversation_id="meeting", tenant_id="kommune", user_id=f"29:{voter}"
        )
    await service.close(poll.id, "29:organiser")
    return poll.id


async def main(out: Path) -> None:
    template = load_templates(ROOT / "knowledge" / "poll_templates.yaml").default
    assert template is not None
    draft = template.draft("da")
    spec = PollSpec(
        draft.kind,
        draft.question or "",
        statements=draft.statements,
        settings=draft.settings,
        template_id=draft.template_id,
    )
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/shot.db")
        await upgrade(engine)
        writer = BatchWriter(engine)
        writer.start()
        clock = FixedClock(MEETINGS[0])
        repository = SqlPollRepository(engine, writer)
        service = PollService(repository, clock, b"screenshot")
        for shift, held in zip((2, 1), MEETINGS, strict=True):
            clock.set(held)
            await evaluation(service, clock, spec, shift)
        clock.set(TODAY)
        poll_id = await evaluation(service, clock, spec, 0)
        holder: dict[str, PollWebContext] = {}
        app = web.Application()
        add_poll_routes(app, lambda: holder["context"])
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        links = PollLinks(b"screenshot", str(server.make_url("")), clock)
        holder["context"] = PollWebContext(service, links, clock, repository)
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True
                )
                page = await browser.new_page(viewport={"width": 1280, "height": 900})
                await page.goto(links.results_url(poll_id)[0])
                await page.screenshot(path=str(out), full_page=True)
                await browser.close()
        finally:
            await server.close()
            await writer.close()
            await engine.dispose()
    print(f"wrote {out}")  # a command-line tool: its output is the point


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "results-page.png"
    asyncio.run(main(target))
