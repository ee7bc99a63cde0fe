"""KnowledgeService.ask: answers, dates relative to now, windows, abstention, reload."""

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge import KnowledgeError, KnowledgeService
from bot.domain.knowledge.answers import suggestion_question


def test_event_answer_in_danish_with_date_time_and_ics(service, now):
    result = service.ask("Hvornår er webinaret om KY?", now=now)
    assert result.answered and result.entry_id == "ky-webinar"
    assert dict(result.answer.facts)["Hvornår"] == "12. april 2021 kl. 13.00–15.00"
    assert result.answer.lines[0] == "Om 19 dage."
    assert result.answer.ics_event_id == "ky-webinar"
    assert ("Tilmelding", "https://www.conferencemanager.dk/opfoelgningimplementeringky") in (
        result.answer.links
    )


def test_english_question_gets_english_answer_with_danish_names(service, now):
    result = service.ask("When is the KY webinar?", now=now)
    assert result.lang == "en" and result.entry_id == "ky-webinar"
    assert dict(result.answer.facts)["When"] == "12 April 2021, 13:00–15:00"
    role = service.ask("What does the OIR coordinator do?", now=now)
    assert role.answer.title == "ØiR-koordinator"
    assert role.answer.lines[0].startswith("Coordinates")


def test_passed_dates_are_marked(service):
    later = datetime(2021, 5, 1, 9, 0, tzinfo=COPENHAGEN)
    result = service.ask("Hvornår er webinaret om KY?", now=later)
    assert "Datoen er passeret." in result.answer.lines


def test_month_only_items_cannot_be_exported(service, now):
    result = service.ask("Hvornår er trin 1?", now=now)
    assert result.entry_id == "kp-trin-1"
    assert dict(result.answer.facts)["Hvornår"] == "februar 2022"
    assert result.answer.ics_event_id is None
    assert service.ics("kp-trin-1", now=now) is None
    quarter = service.ask("Hvornår rekrutteres der til referencegrupperne?", now=now)
    assert dict(quarter.answer.facts)["Hvornår"] == "2. kvartal 2021"


def test_period_under_way(service):
    during = datetime(2021, 11, 15, 12, 0, tzinfo=COPENHAGEN)
    result = service.ask("Hvornår er trin 0?", now=during)
    assert "Perioden er i gang." in result.answer.lines
    assert dict(result.answer.facts)["Hvornår"] == "oktober 2021–januar 2022"


def test_contact_answer_gives_the_mailbox(service, now):
    result = service.ask("Hvem skal jeg skrive til om ØiR?", now=now)
    assert result.entry_id == "oeir-mailbox"
    assert dict(result.answer.facts)["E-mail"] == "oeir@kombit.dk"


def test_role_answer_has_description_view_and_scope(service, now):
    result = service.ask("hvad laver en oir koordinator", now=now)
    facts = dict(result.answer.facts)
    assert result.entry_id == "oeir-koordinator"
    assert facts["Visning"] == "Implementering, Drift og forvaltning"
    assert facts["Type"] == "Tværgående"
    assert "tilføjet i version 1.3" in facts["Version 1.3"]
    assert result.answer.needs_review


def test_list_fact_lists_the_nine_administrators(service, now):
    result = service.ask("Hvilke infrastrukturadministratorer findes der?", now=now)
    assert result.answer.kind == "list"
    assert len(result.answer.items) == 9
    assert "Organisationsadministrator" in result.answer.items


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Hvad sker der i april?", "12. april 2021 kl. 13.00–15.00 – Webinar om"),
        ("Hvad sker der næste uge?", "1. april 2021 – KMD's proces"),
        ("What's happening in May?", "May 2021 – ØiR coordinator network meeting"),
    ],
)
def test_time_window_lists_events(service, now, question, expected):
    result = service.ask(question, now=now)
    assert result.answer.kind == "events"
    assert any(item.startswith(expected) for item in result.answer.items), result.answer.items


def test_empty_window_says_so_and_month_items_are_not_tomorrow(service):
    may = datetime(2021, 5, 10, 9, 0, tzinfo=COPENHAGEN)  # May has month-only items
    result = service.ask("Hvad sker der i morgen?", now=may)
    assert result.answer.kind == "events"
    assert result.answer.lines == (
        "Jeg kender ingen begivenheder i morgen (11. maj 2021).",
        "De nærmeste, jeg kender:",
    )
    # Only the nearest dated items before and after; May's month-only items are not tomorrow.
    items = result.answer.items
    assert items and all(item.startswith(("Før: 14. april", "Efter: ")) for item in items)
    assert not any("maj 2021 –" in item for item in items)


@pytest.mark.parametrize(
    "question",
    [
        "Hvad bliver vejret i morgen?",
        "Hvem vandt fodboldkampen i går?",
        "Har du en opskrift på lasagne?",
        "Hvad er klokken?",
        "Who won the world cup?",
        "hvor mange dage er der til jul",
        "Hvad er prisen på KP Basis?",
    ],
)
def test_out_of_scope_questions_abstain(service, now, question):
    result = service.ask(question, now=now)
    assert not result.answered
    assert result.answer.kind == "unknown"
    assert result.answer.title in ("Det ved jeg desværre ikke", "Sorry, I don't know")
    assert len(result.answer.suggestions) <= 3


def test_weak_question_offers_suggestions_that_work_when_pressed(service, now):
    result = service.ask("KMD kontrakt", now=now)
    assert not result.answered
    assert 1 <= len(result.answer.suggestions) <= 3
    for suggestion in result.answer.suggestions:
        assert service.ask(suggestion.question, now=now).answered
        assert service.answer(suggestion.entry_id, now=now).entry_id == suggestion.entry_id


@pytest.mark.parametrize("lang", ["da", "en"])
def test_suggestion_questions_find_their_entry(service, now, lang):
    entries = service.kb.entries()
    misses = []
    for entry in entries:
        question = suggestion_question(entry, lang)
        result = service.ask(question, lang=lang, now=now)
        assert result.answered, question
        if result.entry_id != entry.id:
            misses.append((question, result.entry_id))
    # A pressed suggestion is answered by id (below); the text alone nearly always suffices.
    assert len(misses) <= 0.03 * len(entries), misses


def test_answer_by_entry_id(service, now):
    result = service.answer("kp-betydning-for-brugerne", lang="en", now=now)
    assert result.entry_id == "kp-betydning-for-brugerne"
    assert result.answer.title == "What does KP Basis mean for the users?"
    assert service.answer("nope", now=now) is None


def test_reload_swaps_atomically_and_keeps_old_on_error(knowledge_dir, tmp_path, now):
    kdir = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir, kdir)
    service = KnowledgeService(kdir)
    before = service.kb
    facts = kdir / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8")
        + (
            "\n  - id: frokost\n    question: Hvornår er der frokost til programledermødet?\n"
            "    answer: Klokken 12.\n"
        ),
        encoding="utf-8",
    )
    service.reload()
    assert service.ask("Hvornår er der frokost til programledermødet?", now=now).entry_id == (
        "frokost"
    )
    facts.write_text("facts: [broken\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        service.reload()
    assert service.kb is not before and service.entry("frokost") is not None


@pytest.mark.parametrize(
    "question", ["Can you bake me a cake please?", "bake a cake", "Kan du bage en kage til mig?"]
)
def test_short_english_words_are_not_typos_of_knowledge_words(service, now, question):
    # "cake" is one letter from "case": a short word's neighbour is no evidence of a topic.
    assert not service.ask(question, now=now).answered


REYKJAVIK = ZoneInfo("Atlantic/Reykjavik")  # UTC+0, no daylight saving time


@pytest.fixture(scope="module")
def reykjavik():
    return KnowledgeService(Path(__file__).resolve().parents[3] / "knowledge", zone=REYKJAVIK)


def test_default_zone_is_copenhagen(service):
    assert service.zone == COPENHAGEN


def test_times_are_shown_in_the_service_zone(reykjavik, now):
    result = reykjavik.ask("Hvornår er webinaret om KY?", now=now)
    assert result.entry_id == "ky-webinar"
    # 13:00 in Copenhagen in April (CEST, UTC+2) is 11:00 in Reykjavik.
    assert dict(result.answer.facts)["Hvornår"] == "12. april 2021 kl. 11.00–13.00"
    english = reykjavik.ask("When is the KY webinar?", now=now)
    assert dict(english.answer.facts)["When"] == "12 April 2021, 11:00–13:00"
    listing = reykjavik.ask("Hvad sker der i april?", now=now)
    assert any(
        i.startswith("12. april 2021 kl. 11.00–13.00 – Webinar om") for i in listing.answer.items
    )
    direct = reykjavik.answer("ky-webinar", now=now)
    assert dict(direct.answer.facts)["Hvornår"] == "12. april 2021 kl. 11.00–13.00"


def test_status_is_computed_in_the_service_zone(service, reykjavik):
    # 23:30 UTC on 11 April: 12 April in Copenhagen, still 11 April in Reykjavik.
    late = datetime(2021, 4, 11, 23, 30, tzinfo=UTC)
    assert "Det er i dag." in service.ask("Hvornår er webinaret om KY?", now=late).answer.lines
    assert "Det er i morgen." in reykjavik.ask("Hvornår er webinaret om KY?", now=late).answer.lines


def test_tomorrow_near_midnight_in_the_service_zone(service, reykjavik):
    # 23:30 UTC on 11 April is 01:30 on the 12th in Copenhagen: "i morgen" is the 13th there,
    # but in Reykjavik it is still the 11th, so "i morgen" is the 12th, the webinar's day.
    late = datetime(2021, 4, 11, 23, 30, tzinfo=UTC)
    here = reykjavik.ask("Hvad sker der i morgen?", now=late)
    assert here.window.start == date(2021, 4, 12)
    assert any("Webinar om" in item for item in here.answer.items)
    there = service.ask("Hvad sker der i morgen?", now=late)
    assert there.window.start == date(2021, 4, 13)
    assert there.answer.lines[0].startswith("Jeg kender ingen begivenheder")
    assert [i for i in there.answer.items if "Webinar om" in i] == [
        "Før: 12. april 2021 kl. 13.00–15.00 – Webinar om Kommunernes Ydelsessystem (KY)"
    ]
