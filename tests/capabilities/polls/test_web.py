"""The results page, its data and live events, and the exports, over HTTP on both databases."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.capabilities.polls.links import PollLinks
from bot.capabilities.polls.page.live import StreamLimits
from bot.capabilities.polls.web import PollWebContext, add_poll_routes
from bot.domain.clock import FixedClock
from bot.domain.polls import Option, Poll, PollKind, PollService, PollSettings, PollSpec, Statement
from storage.polls import SqlPollRepository
from tests.support.storage import migrated

T0 = datetime(2021, 3, 25, 9, 0, tzinfo=UTC)
SECRET = b"test-secret"
CONV, TENANT = "conv-1", "tenant-1"
LIMITS = StreamLimits(tick_seconds=0.05, heartbeat_seconds=0.3, max_seconds=60, max_streams=3)
STATEMENTS = (
    Statement("relevante-oplaeg", "Dagens oplæg var relevante for mig"),
    Statement("god-vekslen", "Der var god vekslen mellem oplæg, dialog og involvering"),
)


@dataclass
class Site:
    client: TestClient
    service: PollService
    repository: SqlPollRepository
    links: PollLinks
    clock: FixedClock

    async def poll(self, kind: PollKind, question: str = "Har din kommune svaret KMD?", **kw):
        options = kw.pop("options", ())
        if kind in (PollKind.SINGLE, PollKind.MULTIPLE) and not options:
            options = (Option("1", "Ja"), Option("2", "Nej"), Option("3", "Ved ikke"))
        if kind is PollKind.YES_NO:
            options = (Option("yes", "Ja"), Option("no", "Nej"))
        statements = STATEMENTS if kind is PollKind.LIKERT else ()
        settings = PollSettings(
            anonymous=kw.pop("anonymous", True), results=kw.pop("results", "live")
        )
        spec = PollSpec(kind, question, options, statements, settings, **kw)
        return await self.service.create(
            spec, conversation_id=CONV, tenant_id=TENANT, creator_id="29:creator"
        )

    async def vote(self, poll: Poll, data: dict, who: str = "29:anne", name: str = "") -> None:
        outcome = await self.service.vote(
            poll.id, data, conversation_id=CONV, tenant_id=TENANT, user_id=who, user_name=name
        )
        assert outcome.status in ("new", "changed", "same"), outcome

    async def votes(self, poll: Poll, *datas: dict) -> None:
        for index, data in enumerate(datas):
            await self.vote(poll, data, who=f"29:voter-{index}", name=f"Voter {index}")

    def results(self, poll: Poll) -> str:
        return self.links.results_url(poll.id)[0].removeprefix("http://bot.test")

    def export(self, poll: Poll, ext: str) -> str:
        csv_url, xlsx_url, _ = self.links.export_urls(poll.id)
        return (csv_url if ext == "csv" else xlsx_url).removeprefix("http://bot.test")

    async def page(self, poll: Poll) -> str:
        response = await self.client.get(self.results(poll))
        assert response.status == 200
        return text_of(await response.text())

    async def data(self, poll: Poll) -> dict:
        response = await self.client.get(self.results(poll) + "/data")
        assert response.status == 200
        return await response.json()


def text_of(page: str) -> str:
    """The page's visible words, tags dropped, so assertions read like the screen."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page)).strip()


@pytest.fixture
async def site(database_url):
    async with migrated(database_url) as (engine, writer):
        repository = SqlPollRepository(engine, writer)
        clock = FixedClock(T0)
        service = PollService(repository, clock, SECRET)
        links = PollLinks(SECRET, "http://bot.test", clock)
        context = PollWebContext(service=service, links=links, clock=clock, polls=repository)
        app = web.Application()
        add_poll_routes(app, lambda: context, limits=LIMITS)
        async with TestClient(TestServer(app)) as client:
            yield Site(client, service, repository, links, clock)


async def test_a_choice_poll_shows_bars_with_percent_and_count(site):
    poll = await site.poll(PollKind.SINGLE)
    await site.votes(poll, {"choice": "1"}, {"choice": "1"}, {"choice": "2"})
    response = await site.client.get(site.results(poll))
    page = await response.text()
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert 'http-equiv="refresh" content="5"' in page  # inside <noscript>
    assert 'class="fill p-67"' in page and 'class="fill p-33"' in page
    assert 'class="fill p-0"' in page
    shown = text_of(page)
    assert "Har din kommune svaret KMD?" in shown
    assert "3 har svaret" in shown
    assert "Ja 67\u00a0% 2 Nej 33\u00a0% 1 Ved ikke 0\u00a0% 0" in shown
    assert "Åben" in shown


async def test_multiple_choice_percentages_are_of_the_respondents(site):
    poll = await site.poll(PollKind.MULTIPLE)
    await site.votes(poll, {"choices": "1,2"}, {"choices": "1"}, {"choices": "1,3"})
    data = await site.data(poll)
    rows = [(r["label"], r["count"], r["percent"]) for r in data["blocks"][0]["rows"]]
    assert rows == [("Ja", 3, 100), ("Nej", 1, 33), ("Ved ikke", 1, 33)]


async def test_yes_no_in_english(site):
    poll = await site.poll(PollKind.YES_NO, "Do you use KMD?", lang="en")
    await site.votes(poll, {"choice": "yes"}, {"choice": "no"}, {"choice": "yes"})
    shown = await site.page(poll)
    assert "3 people have answered" in shown
    assert "Ja 67% 2" in shown and "Open · updating live" in shown


async def test_a_scale_shows_its_distribution_mean_and_median(site):
    poll = await site.poll(PollKind.SCALE, "Hvor langt er I med hjemtagelsen?")
    values = ("7", "8", "8", "10", "10")
    await site.votes(poll, *({"value": v} for v in values))
    data = await site.data(poll)
    [block] = data["blocks"]
    assert [r["label"] for r in block["rows"]] == [str(v) for v in range(1, 11)]
    assert [r["count"] for r in block["rows"]] == [0, 0, 0, 0, 0, 0, 1, 2, 0, 2]
    assert block["summary"] == "Gennemsnit 8,6 · Median 8,0"
    assert "Gennemsnit 8,6 · Median 8,0" in await site.page(poll)


async def test_likert_shows_one_row_of_bars_per_statement_with_its_mean(site):
    poll = await site.poll(PollKind.LIKERT, "Hvor enig/uenig er du i følgende udsagn?")
    await site.votes(
        poll,
        {"rating.relevante-oplaeg": "5", "rating.god-vekslen": "4"},
        {"rating.relevante-oplaeg": "4", "rating.god-vekslen": "4"},
        {"rating.relevante-oplaeg": "4"},
    )
    data = await site.data(poll)
    first, second = data["blocks"]
    assert first["title"] == "Dagens oplæg var relevante for mig"
    assert first["summary"] == "Gennemsnit 4,3"
    assert [(r["label"], r["count"]) for r in first["rows"]][:2] == [("Helt enig", 1), ("Enig", 2)]
    assert second["summary"] == "Gennemsnit 4,0 · 2 har svaret på udsagnet"
    assert [r["percent"] for r in second["rows"]] == [0, 100, 0, 0, 0]  # of 2 who answered it
    shown = await site.page(poll)
    assert "Der var god vekslen mellem oplæg, dialog og involvering Gennemsnit 4,0 ·" in shown


async def test_open_text_shows_top_words_and_the_answers_escaped(site):
    poll = await site.poll(PollKind.OPEN, "Hvordan bogfører I boligydelser?")
    await site.votes(
        poll,
        {"text": "Manuelt i KMD Opus"},
        {"text": "Via KMD, <script>alert(1)</script>"},
        {"text": 'Opus & "andet"'},
    )
    response = await site.client.get(site.results(poll))
    page = await response.text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Opus &amp; &quot;andet&quot;" in page
    data = await site.data(poll)
    assert data["words"]["items"][:2] == [{"word": "kmd", "count": 2}, {"word": "opus", "count": 2}]
    assert "Via KMD, <script>alert(1)</script>" in data["answers"]["items"]  # JSON: raw


async def test_a_question_cannot_inject_markup(site):
    poll = await site.poll(PollKind.YES_NO, '</title><script src="//evil"></script>')
    response = await site.client.get(site.results(poll))
    page = await response.text()
    assert '<script src="//evil">' not in page
    assert page.count("<script") == 1  # ours: ../static/results.js


async def test_an_anonymous_poll_below_the_threshold_shows_only_the_count(site):
    poll = await site.poll(PollKind.SINGLE)
    await site.votes(poll, {"choice": "1"}, {"choice": "2"})
    shown = await site.page(poll)
    assert "2 har svaret" in shown
    assert "Fordelingen vises, når mindst 3 har svaret" in shown
    assert "Ja" not in shown and "%" not in shown
    data = await site.data(poll)
    assert data["blocks"] == [] and data["respondents"] == 2
    await site.vote(poll, {"choice": "1"}, who="29:third")
    assert "Ja 67\u00a0% 2" in await site.page(poll)


async def test_a_named_poll_shows_the_distribution_from_the_first_answer(site):
    poll = await site.poll(PollKind.SINGLE, anonymous=False)
    await site.vote(poll, {"choice": "2"})
    assert "Nej 100\u00a0% 1" in await site.page(poll)


async def test_hidden_results_show_while_open_only_the_count_then_the_result(site):
    poll = await site.poll(PollKind.SINGLE, results="hidden")
    await site.votes(poll, {"choice": "1"}, {"choice": "1"}, {"choice": "3"})
    shown = await site.page(poll)
    assert "3 har svaret" in shown and "Resultatet vises, når afstemningen lukker" in shown
    assert "Ja" not in shown
    await site.service.close(poll.id, "29:creator")
    response = await site.client.get(site.results(poll))
    page = await response.text()
    assert "Lukket · endeligt resultat" in text_of(page)
    assert "Ja 67\u00a0% 2" in text_of(page)
    assert 'http-equiv="refresh"' not in page  # final: nothing to refresh
    assert 'data-closed="true"' in page


async def test_an_evaluation_shows_the_trend_of_earlier_meetings(site):
    question = "Hvor enig/uenig er du i følgende udsagn?"
    earlier = await site.poll(PollKind.LIKERT, question, template_id="moedeevaluering")
    await site.votes(earlier, *[{"rating.relevante-oplaeg": "3"}] * 3)
    await site.service.close(earlier.id, "29:creator")
    site.clock.advance(days=28)
    now = await site.poll(PollKind.LIKERT, question, template_id="moedeevaluering")
    await site.votes(now, *[{"rating.relevante-oplaeg": "4", "rating.god-vekslen": "5"}] * 3)
    trend = (await site.data(now))["trend"]
    assert trend["columns"] == ["25. marts 2021", "22. april 2021"]
    assert trend["rows"][0] == {
        "text": "Dagens oplæg var relevante for mig",
        "means": ["3,0", "4,0"],
        "change": "+1,0",
    }
    assert trend["rows"][1]["means"] == ["–", "5,0"]
    assert "Udvikling over møderne" in await site.page(now)


async def test_refused_links_are_short_pages_not_errors(site):
    poll = await site.poll(PollKind.SINGLE)
    results, export = site.results(poll), site.export(poll, "csv")
    invalid = await site.client.get("/polls/r/not-a-token")
    assert invalid.status == 404 and "Siden findes ikke" in await invalid.text()
    mixed = await site.client.get(export.replace("/polls/x/", "/polls/r/").removesuffix(".csv"))
    assert mixed.status == 404
    wrong_way = await site.client.get(results.replace("/polls/r/", "/polls/x/") + ".csv")
    assert wrong_way.status == 404
    site.clock.advance(hours=12)
    for path in (results, results + "/data", results + "/events", export):
        expired = await site.client.get(path)
        assert expired.status == 410, path
        assert "Linket er udløbet · The link has expired" in await expired.text()


async def test_a_deleted_poll_is_not_found(site):
    poll = await site.poll(PollKind.SINGLE)
    path = site.results(poll)
    await site.repository.delete(poll.id)
    assert (await site.client.get(path)).status == 404


async def test_a_failing_database_is_a_503_page_without_a_traceback(site, monkeypatch):
    poll = await site.poll(PollKind.SINGLE)

    async def broken(*args):
        raise RuntimeError("connection refused (secret detail)")

    monkeypatch.setattr(site.service, "tally", broken)
    response = await site.client.get(site.results(poll))
    body = await response.text()
    assert response.status == 503
    assert "Traceback" not in body and "secret detail" not in body


async def test_static_files_are_served_and_nothing_else(site):
    script = await site.client.get("/polls/static/results.js")
    assert script.status == 200 and "EventSource" in await script.text()
    assert (await site.client.get("/polls/static/results.css")).status == 200
    for name in ("results.html", "view.py", "..%2Fweb.py", "nope.js"):
        assert (await site.client.get(f"/polls/static/{name}")).status == 404


# --- live events -------------------------------------------------------------------------


async def next_event(response) -> tuple[str, str]:
    """(event type, data) of the next event; comments are skipped."""
    kind, data = "message", []
    async with asyncio.timeout(10):
        while True:
            line = (await response.content.readline()).decode()
            if line == "":
                return "eof", ""
            line = line.rstrip("\n")
            if line == "":
                if data:
                    return kind, "\n".join(data)
                continue
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])


async def test_events_send_the_state_then_an_update_after_a_vote(site):
    poll = await site.poll(PollKind.SINGLE, anonymous=False)
    await site.vote(poll, {"choice": "1"}, who="29:first")
    async with site.client.get(site.results(poll) + "/events") as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        kind, body = await next_event(response)
        assert kind == "message" and json.loads(body)["respondents"] == 1
        await site.vote(poll, {"choice": "2"}, who="29:second")
        kind, body = await next_event(response)
        data = json.loads(body)
        assert data["respondents"] == 2
        assert [r["count"] for r in data["blocks"][0]["rows"]] == [1, 1, 0]


async def test_events_end_after_the_final_state_of_a_closed_poll(site):
    poll = await site.poll(PollKind.SINGLE, anonymous=False)
    async with site.client.get(site.results(poll) + "/events") as response:
        assert json.loads((await next_event(response))[1])["closed"] is False
        await site.service.close(poll.id, "29:creator")
        _, body = await next_event(response)
        assert json.loads(body)["closed"] is True
        assert await next_event(response) == ("eof", "")


async def test_events_end_when_the_link_expires(site):
    poll = await site.poll(PollKind.SINGLE)
    async with site.client.get(site.results(poll) + "/events") as response:
        await next_event(response)
        site.clock.advance(hours=12)
        assert (await next_event(response))[0] == "expired"
        assert await next_event(response) == ("eof", "")


async def test_an_idle_stream_sends_heartbeat_comments(site):
    poll = await site.poll(PollKind.SINGLE)
    async with site.client.get(site.results(poll) + "/events") as response:
        await next_event(response)
        async with asyncio.timeout(10):
            while (await response.content.readline()) != b": keep-alive\n":
                pass


async def test_streams_are_bounded_per_process(site):
    poll = await site.poll(PollKind.SINGLE)
    path = site.results(poll) + "/events"
    open_streams = [await site.client.get(path) for _ in range(LIMITS.max_streams)]
    try:
        for stream in open_streams:
            await next_event(stream)
        refused = await site.client.get(path)
        assert refused.status == 503
    finally:
        for stream in open_streams:
            stream.close()
    async with asyncio.timeout(10):  # the slots come back once the screens went away
        while True:
            again = await site.client.get(path)
            if again.status == 200:
                again.close()
                break
            await asyncio.sleep(0.05)


async def test_a_stream_ends_after_its_longest_time(site):
    poll = await site.poll(PollKind.SINGLE)
    short = StreamLimits(tick_seconds=0.02, max_seconds=0.1)
    app = web.Application()
    context = PollWebContext(
        service=site.service, links=site.links, clock=site.clock, polls=site.repository
    )
    add_poll_routes(app, lambda: context, limits=short)
    async with TestClient(TestServer(app)) as client:
        response = await client.get(site.results(poll) + "/events")
        assert (await next_event(response))[0] == "message"
        assert await next_event(response) == ("eof", "")


async def test_a_failing_stream_ends_instead_of_answering_twice(site, monkeypatch):
    poll = await site.poll(PollKind.SINGLE)
    real, calls = site.service.tally, []

    async def fails_after_the_first(p):
        calls.append(p.id)
        if len(calls) > 1:
            raise RuntimeError("database went away")
        return await real(p)

    monkeypatch.setattr(site.service, "tally", fails_after_the_first)
    async with site.client.get(site.results(poll) + "/events") as response:
        assert (await next_event(response))[0] == "message"
        assert await next_event(response) == ("eof", "")  # the browser reconnects


async def test_no_token_reaches_the_logs(site, caplog):
    poll = await site.poll(PollKind.SINGLE, anonymous=False)
    await site.vote(poll, {"choice": "1"})
    results, export = site.results(poll), site.export(poll, "xlsx")
    with caplog.at_level("INFO"):
        await site.data(poll)
        assert (await site.client.get(export)).status == 200
        assert (await site.client.get(results + "x")).status == 404
        site.clock.advance(hours=12)
        assert (await site.client.get(results)).status == 410
    tokens = (results.rsplit("/", 1)[1], export.rsplit("/", 1)[1].split(".")[0])
    # The test server's access log is left out: bot/server.py runs with access_log=None.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "aiohttp.access")
    assert "exported" in logged
    assert not any(part in logged for t in tokens for part in (t, t[-16:], t[:16]))
