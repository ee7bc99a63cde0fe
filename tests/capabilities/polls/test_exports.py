"""Exports parsed back: CSV (Danish Excel's dialect) and XLSX, exact rows, no anonymous identity."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook

from bot.capabilities.polls.exports import answers_table, csv_bytes, safe, xlsx_bytes
from bot.capabilities.polls.links import PollLinks
from bot.capabilities.polls.web import PollWebContext, add_poll_routes
from bot.domain.clock import COPENHAGEN, FixedClock
from bot.domain.polls import (
    Answer,
    Option,
    Poll,
    PollKind,
    PollService,
    PollSettings,
    PollSpec,
    Statement,
    StoredVote,
)
from storage.polls import SqlPollRepository
from tests.support.storage import migrated

T0 = datetime(2021, 3, 25, 9, 0, tzinfo=UTC)  # 10.00 in Copenhagen (CET)
SECRET = b"test-secret"
CONV, TENANT = "conv-1", "tenant-1"
OPTIONS = (Option("1", "Ja"), Option("2", "Nej"), Option("3", '=HYPERLINK("x")'))
STATEMENTS = (Statement("a", "Relevante oplæg"), Statement("b", "God vekslen"))


def spec(kind: PollKind, *, anonymous: bool = True, lang: str = "da") -> PollSpec:
    options = OPTIONS if kind.has_options else ()
    statements = STATEMENTS if kind is PollKind.LIKERT else ()
    settings = PollSettings(anonymous=anonymous)
    return PollSpec(kind, "Spørgsmål?", options, statements, settings, lang=lang)  # type: ignore[arg-type]


@pytest.fixture
async def site(database_url):
    async with migrated(database_url) as (engine, writer):
        repository = SqlPollRepository(engine, writer)
        clock = FixedClock(T0)
        service = PollService(repository, clock, SECRET)
        links = PollLinks(SECRET, "http://bot.test", clock)
        context = PollWebContext(service=service, links=links, clock=clock, polls=repository)
        app = web.Application()
        add_poll_routes(app, lambda: context)
        async with TestClient(TestServer(app)) as client:
            yield client, service, links, clock


async def make_poll(service: PollService, clock: FixedClock, poll_spec: PollSpec, *votes):
    poll = await service.create(
        poll_spec, conversation_id=CONV, tenant_id=TENANT, creator_id="29:creator"
    )
    for index, (name, data) in enumerate(votes):
        clock.advance(minutes=1)
        outcome = await service.vote(
            poll.id, data, conversation_id=CONV, tenant_id=TENANT, user_id=f"29:{index}",
            user_name=name,
        )  # fmt: skip
        assert outcome.status == "new"
    return poll


async def download(client, links: PollLinks, poll: Poll, ext: str):
    csv_url, xlsx_url, _ = links.export_urls(poll.id)
    url = csv_url if ext == "csv" else xlsx_url
    return await client.get(url.removeprefix("http://bot.test"))


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert b"\r\n" in body
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_rows(body: bytes, sheet: str = "Svar") -> list[list]:
    book = load_workbook(io.BytesIO(body), read_only=True)
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


async def test_a_named_poll_exports_name_id_answer_and_local_time(site):
    client, service, links, clock = site
    poll = await make_poll(
        service, clock, spec(PollKind.MULTIPLE, anonymous=False),
        ("Anne Æbelø", {"choices": "1,2"}), ("Bo", {"choices": "3"}),
    )  # fmt: skip
    response = await download(client, links, poll, "csv")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="afstemning-2021-03-25.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    expected = [
        ["Navn", "Teams-id", "Svar", "Svaret"],
        ["Anne Æbelø", "29:0", "Ja; Nej", "2021-03-25 10:01:00"],
        ["Bo", "29:1", '\'=HYPERLINK("x")', "2021-03-25 10:02:00"],
    ]
    assert csv_rows(await response.read()) == expected
    response = await download(client, links, poll, "xlsx")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx_rows(await response.read()) == expected


async def test_an_anonymous_export_has_no_identity_column_at_all(site):
    client, service, links, clock = site
    poll = await make_poll(
        service, clock, spec(PollKind.SINGLE),
        ("Anne", {"choice": "1"}), ("Bo", {"choice": "2"}), ("Cai", {"choice": "1"}),
    )  # fmt: skip
    body = await (await download(client, links, poll, "csv")).read()
    rows = csv_rows(body)
    assert rows[0] == ["Svar", "Svaret"]
    assert sorted(r[0] for r in rows[1:]) == ["Ja", "Ja", "Nej"]
    xlsx = await (await download(client, links, poll, "xlsx")).read()
    for text in (body.decode("utf-8-sig"), str(xlsx_rows(xlsx))):
        assert "Anne" not in text and "29:" not in text
    # Not even the keyed hash: no cell is long enough to be one.
    assert all(len(cell) < 30 for row in rows for cell in row)


async def test_an_anonymous_export_waits_for_the_threshold(site):
    client, service, links, clock = site
    poll = await make_poll(service, clock, spec(PollKind.SINGLE), ("Anne", {"choice": "1"}))
    response = await download(client, links, poll, "csv")
    assert response.status == 409
    assert "mindst 3 har svaret" in await response.text()


async def test_scale_likert_and_open_text_columns(site):
    client, service, links, clock = site
    scale = await make_poll(
        service, clock, spec(PollKind.SCALE, anonymous=False), ("Anne", {"value": "7"})
    )
    rows = xlsx_rows(await (await download(client, links, scale, "xlsx")).read())
    assert rows[1][2] == 7  # a number in the workbook, not text
    likert = await make_poll(
        service, clock, spec(PollKind.LIKERT, anonymous=False),
        ("Anne", {"rating.a": "5", "rating.b": "2"}), ("Bo", {"rating.b": "3"}),
    )  # fmt: skip
    rows = csv_rows(await (await download(client, links, likert, "csv")).read())
    assert rows[0] == ["Navn", "Teams-id", "Relevante oplæg", "God vekslen", "Svaret"]
    assert [r[2:4] for r in rows[1:]] == [
        ["Helt enig (5)", "Uenig (2)"],
        ["", "Hverken enig eller uenig (3)"],
    ]
    text = await make_poll(
        service, clock, spec(PollKind.OPEN, anonymous=False),
        ("Anne", {"text": "Linje 1\nLinje 2; med semikolon"}), ("Bo", {"text": "-1 er for lidt"}),
        ("Cai", {"text": "@alle +1"}),
    )  # fmt: skip
    rows = csv_rows(await (await download(client, links, text, "csv")).read())
    assert [r[2] for r in rows[1:]] == [
        "Linje 1\nLinje 2; med semikolon",
        "'-1 er for lidt",
        "'@alle +1",
    ]


async def test_english_polls_export_english_headings(site):
    client, service, links, clock = site
    poll = await make_poll(
        service, clock, spec(PollKind.YES_NO, anonymous=False, lang="en"), ("Ann", {"choice": "1"})
    )
    response = await download(client, links, poll, "xlsx")
    assert response.headers["Content-Disposition"].endswith('"poll-2021-03-25.xlsx"')
    book = load_workbook(io.BytesIO(await response.read()), read_only=True)
    assert book.sheetnames == ["Answers", "About"]
    assert next(book["Answers"].iter_rows(values_only=True)) == (
        "Name", "Teams id", "Answer", "Answered at",
    )  # fmt: skip


async def test_a_results_link_does_not_export_and_an_export_link_expires(site):
    client, service, links, clock = site
    poll = await make_poll(service, clock, spec(PollKind.SINGLE, anonymous=False))
    token = links.results_url(poll.id)[0].rsplit("/", 1)[1]
    assert (await client.get(f"/polls/x/{token}.csv")).status == 404
    export = links.export_urls(poll.id)[0].removeprefix("http://bot.test")
    clock.advance(hours=1)
    assert (await client.get(export)).status == 410


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ja = nej", "Ja = nej"),
        ("", ""),
        (7, 7),
    ],
)
def test_formula_injection_is_guarded(cell, shown):
    assert safe(cell) == shown


def test_xlsx_keeps_guarded_text_as_text_and_drops_what_xml_cannot_hold():
    poll = Poll("p", spec(PollKind.OPEN), CONV, TENANT, "29:c", T0)
    votes = [
        StoredVote(None, None, Answer(text="=cmd|' /C calc'!A0"), T0, T0),
        StoredVote(None, None, Answer(text="bell\x07 and \ud800 surrogate"), T0, T0),
    ]
    table = answers_table(poll, votes, COPENHAGEN)
    book = load_workbook(io.BytesIO(xlsx_bytes(poll, table, exported_at=T0, zone=COPENHAGEN)))
    sheet = book["Svar"]
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "bell and  surrogate"
    assert "bell\x07 and ? surrogate" in csv_bytes(table).decode("utf-8")  # never fails


def test_summer_time_is_local_too():
    summer = datetime(2021, 6, 1, 12, 0, tzinfo=UTC)
    poll = Poll("p", spec(PollKind.SCALE), CONV, TENANT, "29:c", summer)
    votes = [StoredVote(None, None, Answer(value=3), summer + timedelta(seconds=5), summer)]
    assert answers_table(poll, votes).rows == ((3, "2021-06-01 14:00:05"),)
