"""TurnRouter: longest phrase first, exact commands, declining handlers, fallbacks, verbs."""

from __future__ import annotations

import pytest

from bot.channel.card_actions import CardAction, CardActionResult
from bot.channel.router import Turn, TurnRouter, UnknownVerb


class Recorder:
    def __init__(self, name: str, calls: list, *, takes: bool = True) -> None:
        self.name, self.calls, self.takes = name, calls, takes

    async def __call__(self, turn: Turn) -> bool:
        self.calls.append((self.name, turn.rest))
        return self.takes


def turn(text: str) -> Turn:
    return Turn(context=None, text=text, lang="da")  # type: ignore[arg-type]


@pytest.fixture
def routed():
    calls: list = []
    router = TurnRouter()
    router.command(["hjælp", "help"], Recorder("help", calls), exact=True)
    router.command(["afstemning", "poll"], Recorder("poll", calls))
    router.command(["luk afstemning"], Recorder("close", calls))
    router.command(["åbent"], Recorder("open", calls, takes=False))
    router.fallback(Recorder("knowledge", calls))
    return router, calls


async def test_an_exact_command_takes_only_the_whole_message(routed):
    router, calls = routed
    assert await router.route_text(turn("Hjælp!"))
    assert await router.route_text(turn("hjælp med KY"))
    assert calls == [("help", ""), ("knowledge", "hjælp med KY")]


async def test_a_prefix_command_gets_the_rest_in_its_original_case(routed):
    router, calls = routed
    await router.route_text(turn('Afstemning "Har I svaret KMD?" "Ja" "Nej"'))
    assert calls == [("poll", '"Har I svaret KMD?" "Ja" "Nej"')]


async def test_the_longest_phrase_wins(routed):
    router, calls = routed
    await router.route_text(turn("luk afstemning 2"))
    await router.route_text(turn("luk vinduet"))
    assert calls == [("close", "2"), ("knowledge", "luk vinduet")]


async def test_a_declining_command_falls_through_to_the_fallback(routed):
    router, calls = routed
    assert await router.route_text(turn("åbent hus i april?"))
    assert calls == [("open", "hus i april?"), ("knowledge", "åbent hus i april?")]


async def test_a_very_long_message_is_matched_by_its_first_words(routed):
    router, calls = routed
    await router.route_text(turn("poll " + "x " * 50_000))
    assert calls[0][0] == "poll"


async def test_nothing_takes_it_without_a_fallback():
    router = TurnRouter()
    assert not await router.route_text(turn("hvad som helst"))


async def test_verbs_are_registered_once_and_unknown_verbs_raise():
    router = TurnRouter()

    async def vote(context, action: CardAction) -> CardActionResult:
        return CardActionResult(message=action.verb)

    router.verb("poll.vote", vote)
    with pytest.raises(ValueError):
        router.verb("poll.vote", vote)
    action = CardAction("poll.vote", {}, None, "da", invoked=True)
    assert (await router.dispatch(None, action)).message == "poll.vote"  # type: ignore[arg-type]
    with pytest.raises(UnknownVerb):
        await router.dispatch(None, CardAction("x", {}, None, "da", invoked=True))  # type: ignore[arg-type]


def test_starts_command_knows_the_leading_phrases_and_respects_exact_ones():
    router = TurnRouter()

    async def taken(turn):
        return True

    router.command(("påmind",), taken)
    router.command(("afstemninger",), taken, exact=True)
    assert router.starts_command("Påmind mig i morgen om KMD")
    assert router.starts_command("afstemninger")
    assert not router.starts_command("afstemninger i dag?")  # exact: only the phrase alone
    assert not router.starts_command("hvornår er webinaret?")
