"""Knowledge capability: roles, dates and contacts answered from human-editable YAML files."""

from bot.domain.knowledge.answers import Answer, Suggestion
from bot.domain.knowledge.engine import Candidate
from bot.domain.knowledge.evaluation import EvalReport, evaluate, load_questions, tune_threshold
from bot.domain.knowledge.ics import event_to_ics
from bot.domain.knowledge.loader import KnowledgeError, load
from bot.domain.knowledge.model import (
    Contact,
    Event,
    Fact,
    KnowledgeBase,
    Municipality,
    Role,
    Session,
    When,
)
from bot.domain.knowledge.questions import QuestionType, detect
from bot.domain.knowledge.roleholder_parsing import RoleHolderIntent, parse_role_holder
from bot.domain.knowledge.roleholders import (
    InMemoryRoleHolderRepository,
    RoleHolder,
    RoleHolderRepository,
    RoleHolderService,
)
from bot.domain.knowledge.service import DEFAULT_THRESHOLD, KnowledgeResult, KnowledgeService
from bot.domain.knowledge.timewindow import TimeWindow, parse_window

__all__ = [
    "DEFAULT_THRESHOLD",
    "Answer",
    "Candidate",
    "Contact",
    "EvalReport",
    "Event",
    "Fact",
    "InMemoryRoleHolderRepository",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeResult",
    "KnowledgeService",
    "Municipality",
    "QuestionType",
    "Role",
    "RoleHolder",
    "RoleHolderIntent",
    "RoleHolderRepository",
    "RoleHolderService",
    "Session",
    "Suggestion",
    "TimeWindow",
    "When",
    "detect",
    "evaluate",
    "event_to_ics",
    "load",
    "load_questions",
    "parse_role_holder",
    "parse_window",
    "tune_threshold",
]
