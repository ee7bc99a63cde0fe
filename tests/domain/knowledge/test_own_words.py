"""Answers in people's own words: partial answers, empty windows, small talk, report words."""

from datetime import datetime

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge import KnowledgeError, load
from bot.domain.knowledge.details import _ANY_DETAIL, DETAILS
from bot.domain.knowledge.evaluation import load_sets
from bot.domain.knowledge.gaps import vocabulary_gaps
from bot.domain.knowledge.questions import asker_words, question_clauses
from bot.domain.knowledge.text import asking_and_context, content_tokens, fold, name_pairs, terms
from bot.domain.knowledge.timewindow import parse_window
from bot.domain.language import detect_language

# Today, long after the 2021 meeting the knowledge comes from.
TODAY = datetime(2026, 12, 2, 10, 0, tzinfo=COPENHAGEN)


# --- partial answers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "entry", "missing", "line"),
    [
        (
            "hvornår er tilmeldingsfristen til KY-webinaret?",
            "ky-webinar",
            ("registration_deadline",),
            "Jeg kender datoen for „Webinar om Kommunernes Ydelsessystem (KY)“, men ikke en "
            "tilmeldingsfrist.",
        ),
        (
            # A recruitment is a period, not a meeting: its application deadline is a detail
            # it could hold.
            "hvad er ansøgningsfristen for KDIs referencegrupper?",
            "referencegrupper-rekruttering",
            ("application_deadline",),
            "Jeg kender kvartalet for „Rekruttering til KDI's tre nye referencegrupper“, men "
            "ikke en ansøgningsfrist.",
        ),
        (
            "hvor meget tid om ugen tager det at sidde i en referencegruppe hos KDI?",
            "referencegrupper",
            ("time_spent",),
            "Jeg kender det, der står herunder om „Hvad er KDI's referencegrupper?“, men ikke "
            "hvor meget tid det tager.",
        ),
        (
            "hvilket lokale i KL-Huset er masterclassen i",
            "kl-masterclass-it-anskaffelse",
            ("room",),
            "Jeg kender datoen for „KL masterclass om anskaffelse af it“, men ikke lokalet.",
        ),
        (
            "hvad koster masterclassen om it-anskaffelse?",
            "kl-masterclass-it-anskaffelse",
            ("price",),
            "Jeg kender datoen for „KL masterclass om anskaffelse af it“, men ikke prisen.",
        ),
        (
            "har du telefonnummeret til Jane Thompson?",
            "jane-thompson",
            ("phone",),
            "Jeg kender kontaktoplysningerne for Jane Thompson, men ikke et telefonnummer.",
        ),
        (
            "hvilken dato er netværksmødet for ØiR-koordinatorer, og hvor bliver det holdt?",
            "oeir-netvaerksmoede",
            ("place", "exact_date"),
            "Jeg kender måneden for „ØiR-koordinator netværksmøde“, men ikke stedet eller den "
            "præcise dato.",
        ),
    ],
)
def test_a_missing_detail_is_named_and_the_known_part_answered(
    service, question, entry, missing, line
):
    result = service.ask(question, now=TODAY)
    assert result.answered and result.entry_id == entry
    assert result.answer.missing == missing
    assert result.answer.lines[0] == line


def test_a_partial_answer_in_english(service):
    result = service.ask("how much does the KL masterclass cost?", lang="en", now=TODAY)
    assert result.entry_id == "kl-masterclass-it-anskaffelse"
    assert result.answer.lines[0] == (
        'I know the date of "KL masterclass on IT procurement", but not the price.'
    )


def test_a_detail_the_entry_holds_is_not_called_missing(service):
    result = service.ask("hvor holdes KL's masterclass om it-anskaffelse?", now=TODAY)
    assert result.entry_id == "kl-masterclass-it-anskaffelse"
    assert result.answer.missing == ()
    assert ("Sted", "KL-Huset, København") in result.answer.facts


def test_pilot_municipalities_are_not_named_in_the_knowledge(service):
    result = service.ask("hvilke kommuner er pilotkommuner på KP Basis?", now=TODAY)
    assert result.entry_id in ("kp-pilotafproevning", "kp-hvem-afproever")
    assert result.answer.missing == ("municipalities",)
    # The gallery-in-KLIK answer does name municipalities: nothing is missing there.
    named = service.ask("hvilke kommuner har hjulpet med rollegalleriet i KLIK?", now=TODAY)
    assert named.entry_id == "rollegalleri-i-klik" and named.answer.missing == ()


@pytest.mark.parametrize(
    "question",
    [
        "hvad koster en ny pc til en medarbejder?",
        "hvad er prisen på en frokost i kantinen?",
        "hvad er telefonnummeret til pizzeriaet?",
        "what does a train ticket to Aarhus cost?",
    ],
)
def test_a_detail_of_a_topic_the_knowledge_lacks_abstains(service, question):
    assert not service.ask(question, now=TODAY).answered


def test_a_price_of_something_that_has_none_abstains(service):
    # A system has no price to know: the words asking for it count, and nothing answers.
    assert not service.ask("Hvad er prisen på KP Basis?", now=TODAY).answered


# --- time windows --------------------------------------------------------------------------


def test_april_today_is_april_next_year_with_the_nearest_events(service):
    result = service.ask("Hvad sker der i april?", now=TODAY)
    assert result.answer.kind == "events"
    assert result.answer.title == "Det sker i april 2027"
    assert result.answer.lines == (
        "Jeg kender ingen begivenheder i april 2027.",
        "De nærmeste, jeg kender:",
    )
    assert result.answer.items == (
        "Før: februar 2022 – KP Basis trin 1 (passeret)",
        "Før: februar 2022 – Forventet ibrugtagning af KP Basis (passeret)",
    )


def test_an_empty_window_in_english(service):
    result = service.ask("what happens in october?", lang="en", now=TODAY)
    assert result.answer.lines[0] == "I know of no events in October 2027."
    assert all(item.startswith("Before: ") for item in result.answer.items)


def test_at_the_meeting_says_where_not_what(service):
    result = service.ask("hvem fortalte om pensionssystemet på mødet", now=TODAY)
    assert result.entry_id == "sandra-pedersen"
    # A meeting named by its month is still the topic.
    assert service.ask("hvad skete der på mødet i marts?", now=TODAY).entry_id != "sandra-pedersen"


def test_asked_for_an_email_the_contact_that_has_one_answers(service):
    result = service.ask("hvilken mailadresse bruger man til spørgsmål om ØiR?", now=TODAY)
    assert result.entry_id == "oeir-mailbox"


def test_a_month_names_the_meeting_of_that_month(service):
    # "gennemgået" is only in February's description; March is the meeting asked about.
    result = service.ask("hvad blev der gennemgået på programledermødet i marts?", now=TODAY)
    assert result.entry_id == "programledermoede-marts-2021"


def test_a_holiday_is_a_period_too(service):
    result = service.ask("hvad sker der efter paaske?", now=TODAY)
    assert result.answer.kind == "events"
    assert result.answer.lines[0] == (
        "Jeg kender ingen begivenheder efter påske 2027 (30. marts–10. maj 2027)."
    )
    english = service.ask("Anything happening before Christmas?", now=TODAY)
    assert english.answer.lines[0].startswith("I know of no events before Christmas 2026 (")


def test_an_empty_window_between_events_offers_both_sides(service):
    march = datetime(2021, 3, 24, 10, 0, tzinfo=COPENHAGEN)
    result = service.ask("Hvad sker der i uge 30?", now=march)
    assert result.answer.lines[0].startswith("Jeg kender ingen begivenheder i uge 30 (")
    sides = [item.split(":")[0] for item in result.answer.items]
    assert "Før" in sides and "Efter" in sides


def test_meetings_in_a_month_are_a_listing(service):
    result = service.ask("er der nogen møder i april vi skal deltage i?", now=TODAY)
    assert result.answer.kind == "events"


def test_a_bare_quarter_is_the_coming_one(service):
    assert service.ask("hvad sker der i Q2?", now=TODAY).window.start.year == 2027
    assert service.ask("hvad skete der i Q2?", now=TODAY).window.start.year == 2026


# --- users' own words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "hvor sender jeg en mail hen hvis jeg har spm til det nye pensionssystem",
            "socialpension-mailbox",
        ),
        ("hvad er mailadressen til ØiR folkene", "oeir-mailbox"),
        ("hvem er folkene bag KP Basis", "socialpension-mailbox"),
        ("hvornår kan vi øve os i det nye pensionssystem", "kp-traeningsmiljoe"),
        ("hvem udvikler pensionssystemet", "netcompany"),
        ("where can I download the role gallery", "rollegalleri-pdf"),
        # Synonyms for ways of asking: a former name, a cut-down version, who presented.
        ("Hvad hed pensionssystemet før i tiden?", "kp-hvad-er"),
        (
            "why are we only getting a stripped-down version of the pension system",
            "kp-hvorfor-basis",
        ),
        ("hvem fortalte om pensionssystemet på mødet", "sandra-pedersen"),
        ("what does a superuser do", "superbruger"),
        # A company that builds a system is its supplier; a steering group decides.
        ("hvilket firma udvikler KP?", "netcompany"),
        ("which company builds the new pension system", "netcompany"),
        (
            "hvad besluttede KDI's styregruppe om onboarding?",
            "kdi-styregruppe-onboarding-beslutning",
        ),
        # A misspelt word brings the synonyms of the word it was misspelt for.
        ("hvem udvikler pensionsystemet", "netcompany"),
        # "dækker over", "omfatter": how a list is asked for, not its topic.
        (
            "Hvilke roller dækker infrastrukturadministratorer over?",
            "infrastrukturadministratorer-liste",
        ),
        # "præcis", "nøjagtig": how sure the answer should be, not what it is about.
        ("nøjagtig hvornår i februar 2022 tager vi KP Basis i brug", "kp-basis-ibrugtagning"),
        # Short month names in a question about a month's meetings.
        ("hvad blev der talt om på programledermødet i feb", "programledermoede-februar-2021"),
        ("which roles exist for operations and maintenance", "roller-drift-og-forvaltning"),
        # Who is asking is not what the question is about.
        (
            "What's the ØiR-koordinator supposed to do, and how do we as programme leaders help?",
            "oeir-koordinator",
        ),
    ],
)
def test_everyday_wording_finds_the_entry(service, question, expected):
    assert service.ask(question, now=TODAY).entry_id == expected


# --- small talk ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "lang"),
    [
        ("hej", "greeting", "da"),
        ("Godmorgen, Mødebot!", "greeting", "da"),
        ("hello 👋", "greeting", "en"),
        ("tak for hjælpen", "thanks", "da"),
        ("Thanks!", "thanks", "en"),
        ("farvel", "goodbye", "da"),
        ("hvem er du?", "who-are-you", "da"),
        ("who are you", "who-are-you", "en"),
    ],
)
def test_small_talk_gets_a_reply_in_the_phrase_language(service, text, kind, lang):
    reply = service.small_talk(text)
    assert reply is not None and (reply.id, reply.lang) == (kind, lang)
    assert reply.text


@pytest.mark.parametrize(
    "text", ["hej, hvad laver en ØiR-koordinator?", "tak, men hvornår er webinaret?", "Mødebot"]
)
def test_a_question_with_a_greeting_is_not_small_talk(service, text):
    assert service.small_talk(text) is None


def test_small_talk_file_is_validated(knowledge_dir, tmp_path):
    import shutil

    target = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir, target)
    (target / "small_talk.yaml").write_text(
        "small_talk:\n"
        "  - id: hello\n    phrases: [hej]\n    phrases_en: [hi]\n    answer: Hej!\n"
        "  - id: again\n    phrases: [Hej!]\n    phrases_en: [yo]\n    answer_en: Yo\n"
        "    colour: blue\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load(target)
    problems = "\n".join(caught.value.problems)
    assert "small_talk.yaml: entry 'hello': field 'answer_en': is required" in problems
    assert "entry 'again': field 'phrases': 'Hej!' is also a phrase of hello/phrases" in problems
    assert "entry 'again': field 'colour': unknown field (spelling?)" in problems
    (target / "small_talk.yaml").unlink()  # optional: no file, no small talk
    assert load(target).small_talk == ()


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("who should I email with questions about ØiR", "en"),
        ("What is KØ?", "en"),
        ("whats the weather like on Ærø tomorrow", "en"),
        ("When is the ØiR network meeting?", "en"),
        ("Hvornår er ØiR-netværksmødet?", "da"),
        ("træningsmiljøet?", "da"),
        ("ØiR?", "da"),
        ("hvad sker der på Ærø", "da"),
    ],
)
def test_language_comes_from_the_words_not_the_letters(text, lang):
    assert detect_language(text) == lang


# --- words for the knowledge owner ------------------------------------------------------------


def test_report_words_are_unknown_words_shared_by_questions(service):
    unanswered = [
        ("hvornår kommer nyhedsbrevet?", 3),
        ("hvor finder jeg nyhedsbrevet", 1),
        ("hvornår er der fodbold?", 1),  # asked in one question only
        ("hvem er ØiR-koordinator i Odense?", 2),  # known words and a municipality
        ("hvad sker der i Odense i april?", 2),
    ]
    gaps = vocabulary_gaps(unanswered, service)
    assert [(g.word, g.questions, g.times) for g in gaps] == [("nyhedsbrevet", 2, 4)]
    assert gaps[0].example == "hvornår kommer nyhedsbrevet?"


def test_report_words_ignore_synonyms_typos_and_compounds(service):
    unanswered = [("pensionsløsningen", 1), ("pensionsløsningen?", 1)]  # a synonym
    unanswered += [("koordinatoer", 1), ("koordinatoer!", 1)]  # a typo
    unanswered += [("infrastrukturmaterialet", 1), ("infrastrukturmaterialet", 1)]
    assert vocabulary_gaps(unanswered, service) == []


# --- comparisons ---------------------------------------------------------------------------


def test_a_comparison_answers_the_first_and_offers_the_second(service):
    result = service.ask("hvad er forskellen på projektejer og projektleder?", now=TODAY)
    assert result.entry_id == "projektejer"
    assert [s.entry_id for s in result.answer.suggestions] == ["projektleder"]
    assert result.answer.lines[-1].startswith("Du spurgte også til Projektleder")
    # A fact that answers the comparison itself comes first; an unknown side abstains.
    fact = service.ask("Hvad er forskellen på test og afprøvning?", now=TODAY)
    assert fact.entry_id == "test-vs-afproevning"
    assert not service.ask("hvad er forskellen på fodbold og KP Basis?", now=TODAY).answered


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("how do we as programme leaders support them?", {"programme", "leaders"}),
        ("vi som kommune, hvornår skal vi gå live?", {"kommune"}),
        # A hyphen word is its tokens, as the question's words are.
        (
            "jeg som ny ØiR-koordinator: hvornår er netværksmødet?",
            {"oir", "koordinator", "oirkoordinator"},
        ),
        # (the newcomer's own words, and a stop word after the role, are in it too)
        ("Jeg er ny it-chef og har et spørgsmål", {"jeg", "er", "ny", "it", "chef", "itchef"}),
        ("jeg arbejder som it-arkitekt i en kommune", {"it", "arkitekt", "itarkitekt", "i"}),
        ("I'm a consultant helping a municipality", {"consultant", "helping"}),
        ("hvem er KOMBITs programleder?", set()),
        ("jeg er ny i kommunen", {"jeg", "er", "ny", "i", "kommunen"}),  # the newcomer rule
    ],
)
def test_who_is_asking_is_told_apart(question, words):
    assert asker_words(question) == words


@pytest.mark.parametrize(
    ("question", "context", "expected"),
    [
        (
            "Jeg er lige startet i kommunen - hvad er KOMBITs rollegalleri for noget?",
            {"startet", "kommunen"},
            "rollegalleri-hvad-er",
        ),
        ("Jeg er ny her - hvad er et rollegalleri?", {"ny", "her"}, "rollegalleri-hvad-er"),
        ("I just started, what is the role gallery for?", {"started"}, "rollegalleri-hvad-er"),
        ("I'm new to the team: who supplies KP Basis?", {"new", "team"}, "netcompany"),
    ],
)
def test_a_newcomer_saying_so_is_not_the_topic(service, question, context, expected):
    assert context <= asker_words(question)
    assert service.ask(question, now=TODAY).entry_id == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("programledermødet i januar", "programledermoede-januar-2021"),
        ("hvad blev der talt om på programledermødet i februar", "programledermoede-februar-2021"),
        ("hvornår er fbs bølgen i juni", "fbs-debitorintegration-1-juni"),
    ],
)
def test_a_named_month_tells_near_equal_events_apart(service, question, expected):
    # The knowledge's meetings are in 2021; "i januar" asked today means January 2027, but
    # the month still says which of the near-equal meetings is meant.
    assert service.ask(question, now=TODAY).entry_id == expected


def test_a_relative_month_is_not_matched_by_name():
    window = parse_window("programledermødet næste måned", TODAY)
    assert window is not None and not window.named
    assert parse_window("programledermødet i januar", TODAY).named
    assert not parse_window("programledermødet i januar 2021", TODAY).named


def test_chatter_around_a_question_the_entry_explains_is_forgiven(service):
    question = (
        "jeg sidder med planlægningen og er lidt usikker, hvornår er det lige at "
        "pilotkommunerne afprøver KP Basis med rigtige sager, var det ikke i slutningen af året"
    )
    assert service.ask(question, now=TODAY).entry_id == "kp-pilotafproevning"
    question = (
        "undskyld, nogen nævnte noget med et træningsmiljø til KP Basis som alle kommuner kan "
        "bruge, hvornår åbner det"
    )
    assert service.ask(question, now=TODAY).entry_id == "kp-traeningsmiljoe"
    question = (
        "undskyld jeg spørger igen, men hvem skal vi egentlig skrive til hvis vi har spørgsmål "
        "til hjemtagelsen af den fælleskommunale infrastruktur"
    )
    assert service.ask(question, now=TODAY).entry_id == "mette-vinther-poulsen"
    # ... but one shared word in a question about something else is no match.
    assert not service.ask(
        "jeg overvejer at hæve min private pension før tid, hvad koster det i skat", now=TODAY
    ).answered


# --- long messages: who is asking and why, then the question -----------------------------


def test_a_long_message_is_split_into_what_it_tells_and_what_it_asks():
    text = (
        "Hej! Jeg er ny i afdelingen og var ikke med til møderne i foråret. Mine kolleger er "
        "lidt usikre. Hvad ændrer sig for sagsbehandlerne, når det nye pensionssystem kommer?"
    )
    asking, told = asking_and_context(text)
    assert asking == "Hvad ændrer sig for sagsbehandlerne, når det nye pensionssystem kommer?"
    assert told.startswith("Hej! Jeg er ny") and told.endswith("lidt usikre.")
    assert asking_and_context("Hvornår er webinaret? Og hvor?") == (
        "Hvornår er webinaret? Og hvor?",
        "",
    )  # short: one question
    long_one = "Jeg har et spørgsmål om KP Basis og trin 0 og alt det der " * 3
    assert asking_and_context(long_one) == (long_one, "")  # one sentence


def test_the_story_before_a_question_does_not_drown_it(service):
    question = (
        "Hej! Jeg er lige startet som afdelingsleder i borgerservice og var slet ikke med til "
        "møderne sidste forår. Mine medarbejdere er lidt nervøse for skiftet. Hvad kommer "
        "der til at ændre sig for brugerne med det nye pensionssystem?"
    )
    assert service.ask(question, now=TODAY).entry_id == "kp-betydning-for-brugerne"


def test_a_system_the_knowledge_lacks_is_not_forgiven_as_chatter(service):
    # Its name is unknown; the rest ("go-live plan") matches KP Basis well.
    question = "What's the go-live plan for Kommunernes Sygedagpengesystem (KSD)?"
    assert not service.ask(question, now=TODAY).answered


def test_a_municipality_is_a_known_name_not_an_unknown_topic(service):
    question = "Was Ærø one of the municipalities that helped KOMBIT with the rollegalleri in KLIK?"
    assert service.ask(question, now=TODAY).entry_id in (
        "rollegalleri-i-klik",
        "rollegalleri-klik-kommuner",
    )


def test_two_months_name_one_window_labelled_as_such():
    window = parse_window("hvad sker der i maj og juni?", TODAY)
    assert window is not None and window.named  # no year: our guess, the coming May
    assert window.phrase("da") == "i maj–juni 2027"
    assert window.phrase("en") == "in May–June 2027"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # A greeting in front of the question is not its topic; nor is the joined spelling
        # of a hyphen word ("kyopfolgningen") an unknown word of its own.
        ("godmorgen, hvor holdes KY-opfølgningen?", "ky-webinar"),
        ("hejsa, hvornår er opfølgningen på KY?", "ky-webinar"),
        # The verbs of "what did the meeting talk about" are filler.
        ("hvad snakkede vi om på programledermødet i marts?", "programledermoede-marts-2021"),
        # "enkeltsag" is the start of "enkeltsagsprincippet", not "enkelt" + "sag".
        ("hvad er det med enkeltsag i det nye pensionssystem", "kp-betydning-for-brugerne"),
    ],
)
def test_filler_and_word_forms_do_not_sink_the_topic(service, question, entry):
    result = service.ask(question, now=TODAY)
    assert (result.answered, result.entry_id) == (True, entry), result.candidates[:3]


def test_english_contractions_leave_no_word_behind():
    assert content_tokens("wasn't it, didn't they, isn't that, don't we") == []


def test_a_month_tells_events_apart_that_tie_on_their_topic(service):
    # The meetings of January and February match "programme leader meetings" equally well,
    # below a fact about the meeting evaluation; the months still pick the meetings.
    result = service.ask("what was on the programme leader meetings in Jan and Feb?", now=TODAY)
    assert result.entry_id in ("programledermoede-januar-2021", "programledermoede-februar-2021")


def test_a_period_with_a_topic_nothing_answers_gets_the_period_s_events(service):
    # Nothing is sure about "KP Basis and courses" in autumn 2027: the listing of that period
    # (none, and the nearest the knowledge has) helps more than "I don't know".
    result = service.ask("hvad sker der til efteråret med KP Basis og kurser?", now=TODAY)
    assert result.answered and result.answer.kind == "events"
    assert "efteråret 2027" in result.answer.title
    # Only filler beside the window ("put in my calendar"): the listing too.
    result = service.ask("Anything in May or June 2021 I should put in my calendar?", now=TODAY)
    assert result.answer.kind == "events" and "May–June 2021" in result.answer.title


def test_a_period_with_a_name_the_knowledge_lacks_is_not_listed(service):
    result = service.ask("Hvad sker der i Legoland i juni?", now=TODAY)
    assert not result.answered


def test_how_long_is_a_detail_the_dates_of_a_period_hold(service):
    # A period from one month to another says how long it lasts ...
    result = service.ask("How long does the pilot period last?", now=TODAY)
    assert result.entry_id == "kp-pilotafproevning"
    assert not any("how long" in line for line in result.answer.lines)
    # ... a month alone does not: the answer says what is known, and that this is not.
    result = service.ask("hvor længe varer hypercare-perioden efter trin 1?", now=TODAY)
    assert result.entry_id == "kp-trin-1"
    assert "men ikke hvor længe det varer" in result.answer.lines[0]


def test_in_which_period_asks_when_and_is_no_topic_word(service):
    result = service.ask("i hvilken periode arbejder pilotkommunerne i KP Basis?", now=TODAY)
    assert result.question_type == "when"
    assert result.entry_id == "kp-pilotafproevning"


def test_the_procedure_asks_how_and_is_no_topic_word(service):
    # "proceduren" is a definite noun the knowledge lacks: it would count as an unknown topic.
    result = service.ask("hvad er proceduren for tillæg til KMD standardaftaler?", now=TODAY)
    assert result.question_type == "how"
    assert result.entry_id == "kmd-standardaftaler"


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "Hvornår er webinaret, og hvem står for det?",
            ["Hvornår er webinaret", "hvem står for det?"],
        ),
        (
            "What is KP Basis, and when does it go live?",
            ["What is KP Basis", "when does it go live?"],
        ),
        (
            "hvad er forskellen på test og afprøvning?",
            ["hvad er forskellen på test og afprøvning?"],
        ),
        ("KY og KP, hvad er det?", ["KY og KP, hvad er det?"]),  # no conjunction after the comma
    ],
)
def test_a_sentence_asking_two_things_has_two_clauses(text, clauses):
    assert question_clauses(text) == clauses


def test_a_clause_that_is_sure_on_its_own_is_answered(service):
    # Together the canteen's lunch sinks the webinar's coverage; on its own it is sure.
    result = service.ask(
        "Hvad serverer kantinen til frokost, og hvornår er KY-webinaret?", now=TODAY
    )
    assert (result.answered, result.entry_id) == (True, "ky-webinar")
    assert result.question.startswith("Hvad serverer kantinen")  # the message as asked
    # Neither part known: no answer.
    assert not service.ask(
        "hvem vinder fodboldkampen, og hvad koster en ny pc?", now=TODAY
    ).answered


def test_every_synonym_phrase_keeps_a_word_after_the_stop_words(knowledge_dir, tmp_path):
    # A phrase of stop words only ("går over på") would silently match nothing; a stop word
    # added later can empty a phrase that worked ("talte om" for who presented).
    kb = load(knowledge_dir)
    assert [p for group in kb.synonyms for p in group if not terms(p)] == []
    for name in ("roles", "events", "contacts", "facts", "municipalities"):
        (tmp_path / f"{name}.yaml").write_text((knowledge_dir / f"{name}.yaml").read_text())
    (tmp_path / "synonyms.yaml").write_text("synonyms:\n  - [ibrugtagning, går over på]\n")
    with pytest.raises(KnowledgeError, match="'går over på' has only words matching ignores"):
        load(tmp_path)


def test_a_word_nearly_every_entry_has_does_not_stop_a_listing(service):
    # "KOMBIT" is in two entries of five: beside the window and "nå" it names no topic.
    result = service.ask(
        "Hvad skulle vi have nået inden sommerferien i 2021 ift. KOMBIT?", now=TODAY
    )
    assert result.answer.kind == "events"
    assert "sommerferien 2021" in result.answer.title
    # The pronoun "I" is no name the knowledge lacks.
    result = service.ask("Anything coming up next month I should flag to my clients?", now=TODAY)
    assert result.answer.kind == "events"


def test_themes_of_a_meeting_are_its_topics(service):
    result = service.ask("hvad var temaerne på programledermødet i marts?", now=TODAY)
    assert result.entry_id == "programledermoede-marts-2021"


def test_an_acronym_and_a_name_the_knowledge_never_has_together_is_not_answered(service):
    # The knowledge has "KMD" (KMD Sag, KMD SPK) and "aktive aftaler", never "KMD Aktiv".
    result = service.ask("var der ikke også noget om at KMD Aktiv skulle udfases?", now=TODAY)
    assert not result.answered
    assert not service.ask("What is the FLIS Dashboard?", now=TODAY).answered
    # Names it has together are answered as before.
    assert service.ask("Hvornår lukker KMD Sag?", now=TODAY).entry_id == "kmd-sag-orienteringsmoede"
    assert service.ask("Hvad laver KOMBIT SPOC?", now=TODAY).entry_id == "kombit-spoc"
    assert service.ask("When is the KY Webinar?", now=TODAY).entry_id == "ky-webinar"


def test_name_pairs_are_an_acronym_beside_a_capitalised_word():
    assert name_pairs("Skal vi bruge KMD Aktiv, eller KP Basis?") == [
        ("kmd", "aktiv"),
        ("kp", "basis"),
    ]
    assert name_pairs("Hvem er Anne Hansen?") == []  # no acronym
    assert name_pairs("Er det KMD. Aktiv er noget andet") == []  # a sentence ends between
    assert len(name_pairs("KMD " * 50_000)) == 8  # bounded


def test_the_one_search_for_any_detail_finds_what_each_detail_finds(eval_dir):
    # asked_details skips its loop when the union of the patterns finds nothing.
    questions = [q.text for s in load_sets(eval_dir) for q in s.questions]
    questions += ["hvad koster masterclassen?", "what is the registration deadline?"]
    for text in questions:
        folded = " ".join(fold(text).split())
        each = any(d.pattern.search(folded) for d in DETAILS)
        assert (_ANY_DETAIL.search(folded) is not None) == each, text
