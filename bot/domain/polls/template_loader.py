"""Load knowledge/poll_templates.yaml; every problem names file, template and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import yaml

from bot.domain.polls.drafts import PollCommandError, check_draft
from bot.domain.polls.model import RESULTS_VISIBILITIES, Lang, PollKind, ResultsVisibility
from bot.domain.polls.templates import PollTemplate, PollTemplates, TemplateStatement, Texts
from bot.domain.polls.text import same_text_key

FILE_NAME = "poll_templates.yaml"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_FIELDS = {
    "id",
    "default",
    "names",
    "kind",
    "anonymous",
    "results",
    "question",
    "options",
    "statements",
}
_LANGS: tuple[Lang, ...] = get_args(Lang)


class TemplateError(Exception):
    """All problems found in the templates file, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def load_templates(path: str | Path) -> PollTemplates:
    """Read and validate the templates file; raise TemplateError listing every problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError([f"{path.name}: file is missing"]) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise TemplateError([f"{path.name}: invalid YAML: {exc}".replace("\n", " ")]) from None
    items = data.get("templates") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise TemplateError([f"{path.name}: expected a top-level 'templates:' list"])
    problems: list[str] = []
    templates: list[PollTemplate] = []
    for position, item in enumerate(items, 1):
        reader = _Reader(path.name, item, position, problems)
        template = reader.template()
        if template is not None:
            templates.append(template)
    _cross_checks(path.name, templates, problems)
    if problems:
        raise TemplateError(problems)
    return PollTemplates(templates)


def _cross_checks(file: str, templates: list[PollTemplate], problems: list[str]) -> None:
    seen: dict[str, str] = {}
    ids: set[str] = set()
    for template in templates:
        if template.id in ids:
            problems.append(f"{file}: template '{template.id}': the id is used twice")
            continue
        ids.add(template.id)
        for key in {same_text_key(n) for n in (template.id, *template.names)}:
            owner = seen.setdefault(key, template.id)
            if owner != template.id:
                problems.append(f"{file}: template '{template.id}': name '{key}' is '{owner}''s")
    if sum(t.default for t in templates) > 1:
        problems.append(f"{file}: more than one template has 'default: true'")


class _Reader:
    def __init__(self, file: str, item: Any, position: int, problems: list[str]) -> None:
        self.file, self.item, self.problems = file, item, problems
        name = item.get("id") if isinstance(item, dict) else None
        shown = f"template '{name}'" if isinstance(name, str) else f"template #{position}"
        self.where = f"{file}: {shown}"

    def problem(self, field: str, message: str) -> None:
        self.problems.append(f"{self.where}: field '{field}': {message}")

    def template(self) -> PollTemplate | None:
        if not isinstance(self.item, dict):
            self.problems.append(f"{self.where}: expected a mapping of fields")
            return None
        before = len(self.problems)
        for unknown in sorted(set(map(str, self.item)) - _FIELDS):
            self.problem(unknown, "unknown field")
        template_id = self.item.get("id")
        if not isinstance(template_id, str) or not _ID.fullmatch(template_id):
            self.problem("id", "lower-case letters, digits and hyphens, at most 64")
        kind = self._kind()
        question = self._texts("question", self.item.get("question"))
        template = PollTemplate(
            id=str(template_id),
            kind=kind or PollKind.SINGLE,
            question=question or {},
            names=tuple(self._names()),
            options=tuple(self._options()),
            statements=tuple(self._statements()),
            anonymous=self._flag("anonymous", True),
            results=self._results(),
            default=self._flag("default", False),
        )
        if len(self.problems) > before or kind is None or question is None:
            return None
        for lang in _LANGS:
            checked = check_draft(template.draft(lang))
            if isinstance(checked, PollCommandError):
                limit = f" (limit {checked.limit})" if checked.limit else ""
                self.problems.append(f"{self.where} ({lang}): {checked.reason.value}{limit}")
            elif checked.missing_parts:
                self.problem(checked.missing_parts[0], f"a {kind.value} template needs it")
        return template if len(self.problems) == before else None

    def _kind(self) -> PollKind | None:
        value = self.item.get("kind")
        try:
            return PollKind(value)
        except ValueError:
            self.problem("kind", f"one of {', '.join(k.value for k in PollKind)}")
            return None

    def _texts(self, field: str, value: Any) -> Texts | None:
        if not isinstance(value, dict) or set(value) != set(_LANGS):
            self.problem(field, "give the text as 'da:' and 'en:' (both, nothing else)")
            return None
        texts: Texts = {}
        for lang in _LANGS:
            text = value[lang]
            if not isinstance(text, str) or not text.strip():
                self.problem(f"{field}.{lang}", "must be non-empty text")
                return None
            texts[lang] = text
        return texts

    def _names(self) -> list[str]:
        names = self.item.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            self.problem("names", "must be a list of texts")
            return []
        return names

    def _options(self) -> list[Texts]:
        options = self._list("options")
        found = [self._texts(f"options[{i}]", o) for i, o in enumerate(options, 1)]
        return [o for o in found if o is not None]

    def _statements(self) -> list[TemplateStatement]:
        statements: list[TemplateStatement] = []
        ids: set[str] = set()
        for i, entry in enumerate(self._list("statements"), 1):
            field = f"statements[{i}]"
            sid = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(sid, str) or not _ID.fullmatch(sid) or sid in ids:
                self.problem(f"{field}.id", "a unique id: lower-case letters, digits, hyphens")
                continue
            ids.add(sid)
            texts = self._texts(field, {k: v for k, v in entry.items() if k != "id"})
            if texts is not None:
                statements.append(TemplateStatement(sid, texts))
        return statements

    def _list(self, field: str) -> list[Any]:
        value = self.item.get(field, [])
        if not isinstance(value, list):
            self.problem(field, "must be a list")
            return []
        return value

    def _flag(self, field: str, default: bool) -> bool:
        value = self.item.get(field, default)
        if not isinstance(value, bool):
            self.problem(field, "must be true or false")
            return default
        return value

    def _results(self) -> ResultsVisibility:
        value = self.item.get("results", "live")
        for known in RESULTS_VISIBILITIES:
            if value == known:
                return known
        self.problem("results", "'live', 'hidden' or 'creator' (only the creator sees them)")
        return "live"
