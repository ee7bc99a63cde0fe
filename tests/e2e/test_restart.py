"""Dialog and preference state live in the database, so they survive an app restart."""

from __future__ import annotations

from tests.support import activities as a
from tests.support.running_bot import running_bot


async def test_dialog_started_before_restart_continues_after_it(settings, connector):
    async with running_bot(settings) as bot:
        await bot.post(a.personal_message(connector.url, "sprog"))
        question = connector.sent()[-1].cards[0]
        assert "Hvilket sprog" in question["body"][0]["text"]

    async with running_bot(settings) as bot:  # a new process would look exactly like this
        await bot.post(a.personal_message(connector.url, "english"))
        assert connector.sent()[-1].text == "Fine, I'll answer you in English."
        # The preference is now the default for text that is neither clearly Danish nor English.
        await bot.post(a.personal_message(connector.url, "KP"))
        assert (
            connector.sent()[-1].cards[0]["body"][0]["text"]
            == "What is Kommunernes Pensionssystem (KP)?"
        )


async def test_invalid_choice_is_asked_again_and_cancel_ends_the_dialog(settings, connector):
    async with running_bot(settings) as bot:
        await bot.post(a.personal_message(connector.url, "sprog"))
        await bot.post(a.personal_message(connector.url, "klingon"))
        retry = connector.sent()[-1].cards[0]
        assert retry["body"][0]["text"] == "Vælg dansk eller engelsk."
        await bot.post(a.personal_message(connector.url, "annuller"))
        assert connector.sent()[-1].text == "Okay, jeg har afbrudt."
        await bot.post(a.personal_message(connector.url, "annuller"))
        assert connector.sent()[-1].text == "Der er ikke noget at afbryde."


async def test_dialogs_are_per_user_in_a_group_chat(settings, connector):
    async with running_bot(settings) as bot:
        await bot.post(a.group_message(connector.url, "sprog", sender=1, mention=True))
        # Another user's message is not swallowed by the first user's open dialog.
        await bot.post(a.group_message(connector.url, "hjælp", sender=2, mention=True))
        assert "Det kan jeg hjælpe med" in connector.sent()[-1].cards[0]["body"][0]["text"]
        await bot.post(a.group_message(connector.url, "dansk", sender=1, mention=True))
        assert connector.sent()[-1].text == "Fint, jeg svarer dig på dansk."
