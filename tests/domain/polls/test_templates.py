"""knowledge/poll_templates.yaml: the built-in evaluation, and clear errors for bad templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.knowledge import load as load_knowledge
from bot.domain.polls import PollKind, TemplateError, load_templates

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"
SEED_STATEMENTS = [  # the March 2021 programme-leader meeting's evaluation
    "Dagens oplæg var relevante for mig",
    "Der var god vekslen mellem oplæg, dialog og involvering",
    "Programledermødet understøtter mig i at løse opgaver relateret til KOMBIT",
    "Dagens programledermøde har skabt værdi for mig",
    "Vi skal prioritere tid til breakouts på fremtidige programledermøder",
]


def test_the_built_in_meeting_evaluation_has_the_five_statements_of_march_2021():
    templates = load_templates(KNOWLEDGE / "poll_templates.yaml")
    evaluation = templates.default
    assert evaluation is not None and evaluation.id == "moedeevaluering"
    assert evaluation.kind is PollKind.LIKERT and evaluation.anonymous
    assert evaluation.question["da"] == "Hvor enig/uenig er du i følgende udsagn?"
    assert [s.texts["da"] for s in evaluation.statements] == SEED_STATEMENTS
    assert all(s.texts["en"] for s in evaluation.statements)
    assert templates.find("Meeting") is evaluation and templates.find("møde") is evaluation
    assert templates.find("temperatur").kind is PollKind.SCALE


def test_the_knowledge_loader_ignores_the_templates_file():
    assert (KNOWLEDGE / "poll_templates.yaml").exists()
    assert load_knowledge(KNOWLEDGE).roles  # loads its named files only, no error


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "poll_templates.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_templates(path)
    return raised.value.problems


GOOD = """
  - id: kort
    kind: likert
    question: {da: "Hvor enig", en: "How much"}
    statements:
      - {id: a, da: Godt, en: Good}
"""


def test_an_organisers_own_template_loads(tmp_path):
    path = tmp_path / "poll_templates.yaml"
    path.write_text("templates:" + GOOD, encoding="utf-8")
    template = load_templates(path).find("kort")
    assert template is not None and template.draft("en").statements[0].text == "Good"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("templates: 3", "poll_templates.yaml: expected a top-level 'templates:' list"),
        ("templates: [", "poll_templates.yaml: invalid YAML"),
        (
            GOOD.replace("kind: likert", "kind: likrt"),
            "poll_templates.yaml: template 'kort': field 'kind': one of",
        ),
        (
            GOOD.replace('question: {da: "Hvor enig", en: "How much"}', "question: Hvor enig"),
            "poll_templates.yaml: template 'kort': field 'question': give the text as",
        ),
        (GOOD.replace("en: Good", "en: ''"), "template 'kort': field 'statements[1].en'"),
        (GOOD.replace("{id: a,", "{id: A B,"), "template 'kort': field 'statements[1].id'"),
        (GOOD.replace("id: kort", "id: Kort!"), "template 'Kort!': field 'id'"),
        (GOOD + "    descripton: x\n", "template 'kort': field 'descripton': unknown field"),
        (GOOD + "    anonymous: maybe\n", "template 'kort': field 'anonymous': must be true"),
        (GOOD + GOOD, "template 'kort': the id is used twice"),
        (
            GOOD + GOOD.replace("id: kort", "id: lang\n    names: [Kort]"),
            "template 'lang': name 'kort' is 'kort''s",
        ),
        (
            GOOD.replace("    statements:\n      - {id: a, da: Godt, en: Good}\n", ""),
            "template 'kort': field 'statements': a likert template needs it",
        ),
        (
            GOOD.replace("Godt", "x" * 201),
            "template 'kort' (da): statement_too_long (limit 200)",
        ),
        ("templates:\n  - just text\n", "template #1: expected a mapping"),
    ],
)
def test_problems_name_file_template_and_field(tmp_path, body, expected):
    text = body if body.startswith("templates") else "templates:" + body
    found = problems(tmp_path, text)
    assert any(expected in p for p in found), found


def test_a_missing_file_is_one_clear_problem(tmp_path):
    with pytest.raises(TemplateError) as raised:
        load_templates(tmp_path / "poll_templates.yaml")
    assert raised.value.problems == ["poll_templates.yaml: file is missing"]


def test_a_template_may_give_its_results_to_the_creator_only(tmp_path):
    path = tmp_path / "poll_templates.yaml"
    path.write_text("templates:" + GOOD + "    results: creator\n", encoding="utf-8")
    template = load_templates(path).find("kort")
    assert template is not None and template.results == "creator"
    assert template.draft("da").settings.results == "creator"


def test_an_unknown_results_setting_is_named(tmp_path):
    found = problems(tmp_path, "templates:" + GOOD + "    results: secret\n")
    assert any(
        "template 'kort': field 'results': 'live', 'hidden' or 'creator'" in p for p in found
    )
