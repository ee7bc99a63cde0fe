"""A failing turn is logged with ids, told to the user briefly, and never becomes a 500."""

from __future__ import annotations

import logging

from tests.support import activities as a


def _explode(*_args, **_kwargs):
    raise RuntimeError("the knowledge index is on fire (test)")


async def test_a_failing_message_turn_apologises_and_logs_the_traceback(
    bot, connector, monkeypatch, caplog
):
    monkeypatch.setattr(bot.runtime.knowledge, "ask", _explode)
    activity = a.personal_message(connector.url, "Hvornår er webinaret om KY?")
    with caplog.at_level(logging.ERROR):
        status, body = await bot.post(activity)
    assert status == 200
    assert body is None or "Traceback" not in str(body)
    assert connector.sent()[-1].text == "Beklager, noget gik galt hos mig. Prøv igen om lidt."
    [record] = [r for r in caplog.records if r.name == "bot.channel.turn_errors"]
    assert activity["conversation"]["id"] in record.getMessage()
    assert record.exc_info is not None
    assert "KY" not in record.getMessage(), "user text stays out of error logs"


async def test_a_failing_invoke_answers_an_error_body(bot, connector, monkeypatch):
    async def boom(_turn_context, _action):
        raise RuntimeError("boom (test)")

    monkeypatch.setitem(bot.runtime.bot._router._verbs, "kb.rate", boom)
    status, body = await bot.post(a.card_invoke(connector.url, "kb.rate", {"answerId": "x"}))
    assert status == 200
    assert body["statusCode"] == 500
    assert body["type"] == "application/vnd.microsoft.error"
