"""A reply that cannot be delivered is one warning line with the reason, never a traceback."""

from __future__ import annotations

import asyncio
import logging

from tests.support import activities as a

TEXT = "Hvornår er webinaret om KY?"


async def _closed_port() -> int:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    return port


def _logged(caplog) -> list[logging.LogRecord]:
    """Warnings and errors; retry chatter at INFO would count too (a turn summary would not)."""
    retries = [r for r in caplog.records if r.name.startswith("bot.channel.outbound")]
    return [r for r in caplog.records if r.levelno >= logging.WARNING or r in retries]


async def test_a_reply_to_a_dead_service_url_is_one_warning(bot, caplog):
    dead = f"http://127.0.0.1:{await _closed_port()}/"
    activity = a.personal_message(dead, TEXT)
    with caplog.at_level(logging.INFO):
        status, _ = await asyncio.wait_for(bot.post(activity), timeout=10)
    assert status == 200
    [line] = _logged(caplog)
    assert line.levelno == logging.WARNING and line.exc_info is None
    message = line.getMessage()
    assert message.startswith(f"could not deliver reply to {dead}: connection refused")
    assert activity["conversation"]["id"] in message and activity["id"] in message
    assert "KY" not in caplog.text, "no message text in the log"
    # No apology after the failure: it would only fail the same way, after the same retries.
    stats = bot.runtime.authentication.stats.snapshot()
    assert stats["failed"] == {"connection": 1} and stats["sent"] == 0


async def test_a_bot_removed_mid_turn_is_one_warning(bot, connector, caplog):
    connector.fail_next(403)
    with caplog.at_level(logging.INFO):
        status, _ = await bot.post(a.personal_message(connector.url, TEXT))
    assert status == 200
    [line] = _logged(caplog)
    assert line.levelno == logging.WARNING and "connector answered 403" in line.getMessage()
    assert len(connector.sent()) == 1, "no apology into a conversation the bot has left"


async def test_a_reply_the_connector_rejects_keeps_the_traceback(bot, connector, caplog):
    # 400 means our reply was malformed: a bug to find, so the error log keeps its traceback.
    connector.fail_next(400)
    with caplog.at_level(logging.INFO):
        status, _ = await bot.post(a.personal_message(connector.url, TEXT))
    assert status == 200
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.name == "bot.channel.turn_errors" and error.exc_info is not None
    assert connector.sent()[-1].text.startswith("Beklager")
