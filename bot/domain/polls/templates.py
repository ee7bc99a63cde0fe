"""Poll templates (the meeting evaluation and the organisers' own), as loaded from YAML."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.polls.drafts import PollDraft
from bot.domain.polls.model import Lang, PollKind, PollSettings, ResultsVisibility, Statement
from bot.domain.polls.text import same_text_key

Texts = dict[Lang, str]  # the same text in Danish and English


@dataclass(frozen=True)
class TemplateStatement:
    id: str
    texts: Texts


@dataclass(frozen=True)
class PollTemplate:
    id: str
    kind: PollKind
    question: Texts
    names: tuple[str, ...] = ()  # what may follow `evaluering` besides the id
    options: tuple[Texts, ...] = ()
    statements: tuple[TemplateStatement, ...] = ()
    anonymous: bool = True
    results: ResultsVisibility = "live"
    default: bool = False  # the one plain `evaluering` / `evaluation` makes

    def draft(self, lang: Lang, settings: PollSettings | None = None) -> PollDraft:
        """A draft in `lang`; `settings` given on the command line override the template's."""
        chosen = settings or PollSettings(anonymous=self.anonymous, results=self.results)
        return PollDraft(
            kind=self.kind,
            question=self.question[lang],
            options=tuple(o[lang] for o in self.options),
            statements=tuple(Statement(s.id, s.texts[lang]) for s in self.statements),
            settings=chosen,
            lang=lang,
            template_id=self.id,
        )


class PollTemplates:
    """The loaded templates, found by id or name (case and spacing ignored)."""

    def __init__(self, templates: list[PollTemplate]) -> None:
        self.all = tuple(templates)
        self._by_name: dict[str, PollTemplate] = {}
        for template in templates:
            for name in (template.id, *template.names):
                self._by_name.setdefault(same_text_key(name), template)

    def find(self, name: str) -> PollTemplate | None:
        return self._by_name.get(same_text_key(name))

    @property
    def default(self) -> PollTemplate | None:
        return next((t for t in self.all if t.default), self.all[0] if self.all else None)
