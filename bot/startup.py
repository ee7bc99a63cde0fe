"""A start-up that fails says why in one line on stderr and exits 2; the traceback only at DEBUG."""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import ValidationError

from bot.domain.knowledge import KnowledgeError

EXIT_STARTUP_FAILED = 2
_MAX_REASON = 300
# user:password@ in a database URL that an error message repeats.
_URL_CREDENTIALS = re.compile(r"(://[^/@\s:]*):[^@\s/]*@")
_SECRET_NAMES = ("PASSWORD", "SECRET", "TOKEN", "KEY")
_DATABASE_PACKAGES = frozenset(("sqlalchemy", "alembic", "asyncpg", "aiosqlite", "sqlite3"))


@contextmanager
def one_line_startup_errors() -> Iterator[None]:
    """Around everything before serving (settings, app, bind, migrations): an exception
    becomes `moedebot: error: <reason>` on stderr and SystemExit(2)."""
    try:
        yield
    except Exception as error:
        if _debugging():
            traceback.print_exc()
        print(f"moedebot: error: {describe(error)}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_STARTUP_FAILED) from None


def describe(error: BaseException) -> str:
    """What an operator must read: which setting, file or resource, and why; never a secret."""
    if isinstance(error, ValidationError):
        reason = _invalid_setting(error)
    elif isinstance(error, KnowledgeError):
        count = len(error.problems)
        first = error.problems[0] if error.problems else ""
        reason = (
            f"the knowledge files have {count} problem(s), first: {first} "
            "(see `moedebot kb validate`)"
        )
    else:
        # SQLAlchemy wraps the driver's error; the driver's says what went wrong.
        cause = getattr(error, "orig", None) or error
        lines = str(cause).strip().splitlines()
        text = lines[0] if lines else ""
        if _raised_by_database(error):
            reason = f"database (DATABASE_URL): {text or type(cause).__name__}"
        elif isinstance(cause, ValueError | OSError) and text:
            reason = text  # ours (settings, listening) or the OS's: already a sentence
        else:
            reason = f"{type(cause).__name__}: {text}" if text else type(cause).__name__
    return _redacted(reason)[:_MAX_REASON]


def _raised_by_database(error: BaseException) -> bool:
    for frame, _ in traceback.walk_tb(error.__traceback__):
        if frame.f_globals.get("__name__", "").partition(".")[0] in _DATABASE_PACKAGES:
            return True
    return False


def _invalid_setting(error: ValidationError) -> str:
    problems = error.errors()
    first = problems[0]
    name = ".".join(str(part) for part in first["loc"]) or "settings"
    # The message only: the rejected value could be a secret.
    message = first["msg"].removeprefix("Value error, ")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"invalid setting {name}: {message}{more}"


def _redacted(text: str) -> str:
    text = _URL_CREDENTIALS.sub(r"\1:***@", text)
    for name, value in os.environ.items():
        if len(value) >= 4 and any(word in name.upper() for word in _SECRET_NAMES):
            text = text.replace(value, "***")
    return text


def _debugging() -> bool:
    level = os.environ.get("LOG_LEVEL")
    if level is None:
        try:  # .env may set it; a broken .env is the error being reported
            from bot.settings import Settings

            level = Settings.load().log_level
        except Exception:
            return False
    return level.strip().upper() == "DEBUG"
