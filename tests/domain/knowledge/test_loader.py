"""Loading and validating the knowledge files."""

import shutil
from pathlib import Path

import pytest

from bot.domain.knowledge import KnowledgeError, load
from bot.domain.knowledge_cli import validate


def test_shipped_knowledge_is_valid(knowledge_dir):
    kb = load(knowledge_dir)
    ids = [e.id for e in kb.entries()]
    assert len(ids) == len(set(ids))
    assert len(kb.municipalities) == 98
    ok, message = validate(knowledge_dir)
    assert ok, message


def test_role_gallery_is_complete(knowledge_dir):
    kb = load(knowledge_dir)
    admins = [r for r in kb.roles if r.group == "Infrastrukturadministrator"]
    assert len(admins) == 9
    operation_only = {r.id for r in kb.roles if r.views == ("operation",)}
    assert {"kombit-spoc", "infrastruktur-systemejer", "systemejer-it-systemet"} <= operation_only
    added = {r.id for r in kb.roles if "tilføjet i version 1.3" in r.version_note}
    assert added == {"oeir-koordinator", "organisationsadministrator"}
    assert {r.scope for r in kb.roles} == {"system-specific", "cross-cutting"}


def _copy(knowledge_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir, target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_all_problems_are_reported_with_file_entry_and_field(knowledge_dir, tmp_path):
    kdir = _copy(knowledge_dir, tmp_path)
    _append(
        kdir / "events.yaml",
        """
  - id: broken-event
    title: Broken
    date: 2021-13-40
    time: "15:00-13:00"
  - id: two-whens
    title: Both
    date: 2021-04-01
    month: 2021-04
  - id: bad-month
    title: Month
    month: 2021-13
  - id: bad-quarter
    title: Quarter
    quarter: 2021-Q5
  - id: unknown-contact
    title: Contact
    date: 2021-04-01
    contact: nobody
    descripton: typo
""",
    )
    _append(
        kdir / "roles.yaml",
        """
  - id: ky-webinar
    name: Duplicate id
    description: Same id as an event.
    views: [implementation, planning]
    scope: everywhere
""",
    )
    with pytest.raises(KnowledgeError) as info:
        load(kdir)
    text = str(info.value)
    assert "events.yaml: entry 'broken-event': field 'date': '2021-13-40' is not a date" in text
    assert "events.yaml: entry 'two-whens': field 'date': give exactly one of" in text
    assert "events.yaml: entry 'bad-month': field 'month'" in text
    assert "events.yaml: entry 'bad-quarter': field 'quarter'" in text
    assert "events.yaml: entry 'unknown-contact': field 'contact': 'nobody'" in text
    assert "events.yaml: entry 'unknown-contact': field 'descripton': unknown field" in text
    assert "roles.yaml: entry 'ky-webinar': field 'views': 'planning' is not one of" in text
    assert "roles.yaml: entry 'ky-webinar': field 'scope': 'everywhere' is not one of" in text
    assert len(info.value.problems) >= 8


def test_time_validation_and_duplicates(knowledge_dir, tmp_path):
    kdir = _copy(knowledge_dir, tmp_path)
    _append(
        kdir / "events.yaml",
        """
  - id: backwards
    title: Backwards
    date: 2021-04-01
    time: "15:00-13:00"
  - id: ky-webinar
    title: Duplicate
    date: 2021-04-01
""",
    )
    with pytest.raises(KnowledgeError) as info:
        load(kdir)
    text = str(info.value)
    assert "entry 'backwards': field 'time': end time is not after start time" in text
    assert "entry 'ky-webinar': field 'id': duplicate id" in text


def test_invalid_yaml_and_municipality_count(knowledge_dir, tmp_path):
    kdir = _copy(knowledge_dir, tmp_path)
    (kdir / "facts.yaml").write_text("facts: [unclosed\n", encoding="utf-8")
    _append(kdir / "municipalities.yaml", "  - name: Atlantis\n")
    ok, message = validate(kdir)
    assert not ok
    assert "facts.yaml: invalid YAML" in message
    assert "expected 98 municipalities, found 99" in message


def test_unquoted_time_is_read_as_clock_time(knowledge_dir, tmp_path):
    kdir = _copy(knowledge_dir, tmp_path)
    # YAML 1.1 turns an unquoted 13:30 into the number 810; the loader reads it back.
    _append(
        kdir / "events.yaml",
        "\n  - id: unquoted\n    title: U\n    date: 2021-05-03\n    time: 13:30\n",
    )
    event = next(e for e in load(kdir).events if e.id == "unquoted")
    assert event.when.sessions[0].start_time.strftime("%H:%M") == "13:30"


def test_every_entry_has_users_questions_in_both_languages(knowledge_dir):
    kb = load(knowledge_dir)
    for entry in kb.entries():
        assert entry.questions and entry.questions_en, entry.id


def test_users_questions_are_validated(knowledge_dir, tmp_path):
    kdir = _copy(knowledge_dir, tmp_path)
    _append(
        kdir / "contacts.yaml",
        """
  - id: bad-questions
    name: Somebody
    type: person
    questions: ["hvem er det?", "Hvor er Somebody", "hvor er somebody?"]
    questions_en: "what is it"
  - id: not-a-list
    name: Nobody
    type: person
    questions: {a: b}
""",
    )
    with pytest.raises(KnowledgeError) as caught:
        load(kdir)
    problems = "\n".join(caught.value.problems)
    assert (
        "contacts.yaml: entry 'bad-questions': field 'questions': 'hvem er det?' has no word"
        in problems
    )
    assert "field 'questions': 'hvor er somebody?' is listed twice" in problems
    assert "entry 'bad-questions': field 'questions_en': 'what is it' has no word" in problems
    assert "entry 'not-a-list': field 'questions': must be a list of texts" in problems
