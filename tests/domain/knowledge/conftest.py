"""Shared fixtures: the shipped knowledge files, loaded once per test session."""

from datetime import datetime
from pathlib import Path

import pytest

from bot.domain.clock import COPENHAGEN
from bot.domain.knowledge import KnowledgeService

REPO = Path(__file__).resolve().parents[3]
KNOWLEDGE = REPO / "knowledge"
EVAL_DIR = Path(__file__).parent  # eval_*.yaml: tune, dev and the blind sets
# The meeting the knowledge comes from took place in March 2021.
MEETING_NOW = datetime(2021, 3, 24, 10, 0, tzinfo=COPENHAGEN)


@pytest.fixture(scope="session")
def service() -> KnowledgeService:
    return KnowledgeService(KNOWLEDGE)


@pytest.fixture
def now() -> datetime:
    return MEETING_NOW


@pytest.fixture
def knowledge_dir() -> Path:
    return KNOWLEDGE


@pytest.fixture
def eval_dir() -> Path:
    return EVAL_DIR


@pytest.fixture
def tune_file() -> Path:
    return EVAL_DIR / "eval_tune.yaml"


@pytest.fixture
def dev_file() -> Path:
    return EVAL_DIR / "eval_dev.yaml"
