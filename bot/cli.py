"""The `moedebot` command line: run the bot, manage the database and the knowledge base."""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.domain.feedback import EntryRating, UnansweredSummary

_T = TypeVar("_T")
Command = Callable[[argparse.Namespace], int]

EXIT_STATUS = """exit status: 0 done; 1 the check found problems (kb validate, kb reload, db current
behind head); 2 the command could not run: the reason is one line on stderr (the traceback too
with LOG_LEVEL=DEBUG)"""
NOT_MIGRATED = "run `moedebot db upgrade` or start the bot first"


class CliError(Exception):
    """A command could not do its job; the message is the one line the operator reads."""


class NotMigrated(CliError):
    """The database does not exist yet, or has no tables."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)


def _one_line_errors(handler: Command) -> Command:
    """Failures become one line on stderr and exit status 2 (operators need the reason, not
    our call stack); LOG_LEVEL=DEBUG adds the traceback and the libraries' debug logs."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        debug = _debugging()
        if debug:
            logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
        try:
            return handler(args)
        except Exception as error:
            if debug:
                traceback.print_exc()
            reason = str(error) if isinstance(error, CliError) else _reason(error)
            print(f"moedebot: error: {reason}", file=sys.stderr)
            return 2

    return run


def _debugging() -> bool:
    level = os.environ.get("LOG_LEVEL")
    if level is None:
        try:  # .env may set it; a broken setting is reported by the command itself
            level = Settings.load().log_level
        except Exception:
            return False
    return level.strip().upper() == "DEBUG"


def _reason(error: BaseException) -> str:
    """The first line of an unexpected error: SQL and its parameters (user text) stay out."""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    lines = str(cause).strip().splitlines()
    text = lines[0] if lines else ""
    return f"{type(cause).__name__}: {text}"[:300] if text else type(cause).__name__


def _settings() -> Settings:
    from pydantic import ValidationError

    try:
        return Settings.load()
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "settings"
        # The message only: the rejected value could be a secret.
        raise CliError(f"invalid setting {name}: {first['msg']}") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moedebot", description="Mødebot, a Teams meeting bot", epilog=EXIT_STATUS
    )
    commands = parser.add_subparsers(title="commands")

    run = commands.add_parser("run", help="serve /api/messages (settings from env / .env)")
    run.set_defaults(handler=_run)

    db = commands.add_parser("db", help="database schema").add_subparsers(title="db commands")
    upgrade = db.add_parser("upgrade", help="apply migrations (also done at start-up)")
    upgrade.add_argument("--revision", default="head")
    upgrade.set_defaults(handler=_one_line_errors(_db_upgrade))
    current = db.add_parser("current", help="print the schema revision of the database")
    current.set_defaults(handler=_one_line_errors(_db_current))

    kb = commands.add_parser("kb", help="knowledge base").add_subparsers(title="kb commands")
    validate = kb.add_parser("validate", help="check the knowledge files (file, entry, field)")
    validate.add_argument("--dir", help="knowledge folder (default: KNOWLEDGE_DIR)")
    validate.set_defaults(handler=_one_line_errors(_kb_validate))
    evaluate = kb.add_parser(
        "eval", help="top-1 accuracy and abstention on every evaluation set, and how blind each is"
    )
    evaluate.add_argument("--dir", help="knowledge folder (default: KNOWLEDGE_DIR)")
    evaluate.add_argument(
        "--questions", help="one evaluation file (default: tests/domain/knowledge/eval_*.yaml)"
    )
    evaluate.set_defaults(handler=_one_line_errors(_kb_eval))
    report = kb.add_parser("report", help="unanswered questions and ratings from the database")
    report.add_argument("--limit", type=int, default=30)
    report.set_defaults(handler=_one_line_errors(_kb_report))
    reload = kb.add_parser("reload", help="validate, then make the running bot reload")
    reload.add_argument("--url", help="the bot's base URL (default: http://127.0.0.1:PORT)")
    reload.set_defaults(handler=_one_line_errors(_kb_reload))
    return parser


def _run(_args: argparse.Namespace) -> int:
    from app import main as run_app

    run_app()
    return 0


def _on_database(work: Callable[[AsyncEngine], Awaitable[_T]], *, existing: bool = False) -> _T:
    """Run `work(engine)` against the configured database and close the engine afterwards.

    `existing`: the database must exist and be migrated; it is never created for a read.
    """
    from storage.engine import create_engine

    url = _settings().database_url
    shown = _shown_url(url)
    if existing:
        _require_file(url, shown)

    async def go() -> _T:
        engine = create_engine(url)
        try:
            if existing:
                await _require_schema(engine, shown)
            return await work(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(go())
    except CliError:
        raise
    except Exception as error:
        raise CliError(f"could not use the database {shown}: {_reason(error)}") from error


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable DATABASE_URL)"


def _require_file(url: str, shown: str) -> None:
    """SQLite creates a missing file on connect; a report must not leave an empty one behind."""
    from sqlalchemy.engine import make_url

    from storage.engine import is_sqlite, normalise_url

    try:
        url = normalise_url(url)
    except Exception as error:
        raise CliError(f"DATABASE_URL {shown}: {_reason(error)}") from error
    database = make_url(url).database
    if is_sqlite(url) and database and database != ":memory:" and not Path(database).is_file():
        raise NotMigrated(f"no database at {database}: {NOT_MIGRATED}")


async def _require_schema(engine: AsyncEngine, shown: str) -> None:
    from storage.migrate import current_revision, head_revision

    current, head = await current_revision(engine), head_revision()
    if not current:
        raise NotMigrated(f"the database {shown} has no tables yet: {NOT_MIGRATED}")
    if current != head:
        raise CliError(
            f"the database {shown} is at schema {current}, this version needs {head}: "
            "run `moedebot db upgrade`"
        )


def _db_upgrade(args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    print(f"database at revision {_on_database(lambda e: upgrade(e, args.revision))}")
    return 0


def _db_current(_args: argparse.Namespace) -> int:
    from storage.migrate import current_revision, head_revision

    try:
        current = _on_database(current_revision, existing=True)
    except NotMigrated:
        current = ""  # no database, or no tables yet: that is the answer, not a failure
    print(f"current: {current or '(empty)'}  head: {head_revision()}")
    return 0 if current == head_revision() else 1


def _knowledge_dir(given: str | None) -> Path:
    folder = Path(given or _settings().knowledge_dir)
    if not folder.is_dir():
        raise CliError(f"no knowledge folder at {folder} (set KNOWLEDGE_DIR or give --dir)")
    return folder


def _kb_validate(args: argparse.Namespace) -> int:
    from bot.domain.knowledge_cli import validate

    ok, message = validate(_knowledge_dir(args.dir))
    print(message)
    return 0 if ok else 1


def _kb_eval(args: argparse.Namespace) -> int:
    from bot.domain.knowledge.loader import KnowledgeError
    from bot.domain.knowledge_cli import eval_report

    if args.questions and not Path(args.questions).is_file():
        raise CliError(f"no evaluation questions at {args.questions} (give --questions FILE)")
    folder = _knowledge_dir(args.dir)
    try:
        print(eval_report(folder, args.questions))
    except FileNotFoundError as exc:  # run outside a checkout: no evaluation sets
        raise CliError(str(exc)) from exc
    except KnowledgeError as exc:
        problems = len(exc.problems)
        raise CliError(
            f"{problems} problem{'s' * (problems != 1)} in {folder}: run `moedebot kb validate`"
        ) from exc
    return 0


GAP_QUESTIONS = 500  # unanswered questions read for the shared unknown words


def _kb_report(args: argparse.Namespace) -> int:
    from storage.knowledge_feedback import SqlFeedbackRepository

    async def read(engine: AsyncEngine) -> tuple[list[UnansweredSummary], list[EntryRating]]:
        feedback = SqlFeedbackRepository(engine)
        # More than are shown: the shared words come from all recent unanswered questions.
        return await feedback.unanswered(max(args.limit, GAP_QUESTIONS)), await feedback.ratings()

    everything, ratings = _on_database(read, existing=True)
    unanswered = everything[: args.limit]
    print(f"Unanswered questions ({len(unanswered)} shown, most asked first):")
    for item in unanswered:
        print(f"  {item.times:4d} x  {item.question}  (last {item.last_asked:%Y-%m-%d %H:%M} UTC)")
    _print_gaps([(item.question, item.times) for item in everything])
    print("\nRatings per entry (most 👎 first):")
    for rating in ratings:
        print(f"  {rating.entry_id:40s} 👍 {rating.helpful:4d}   👎 {rating.unhelpful:4d}")
    return 0


def _print_gaps(unanswered: list[tuple[str, int]]) -> None:
    """The words unanswered questions share and no entry has (see knowledge/README.md)."""
    from bot.domain.knowledge.gaps import vocabulary_gaps
    from bot.domain.knowledge.loader import KnowledgeError
    from bot.domain.knowledge.service import KnowledgeService

    print("\nWords unanswered questions share and no entry has (synonyms.yaml or `questions`):")
    try:
        service = KnowledgeService(_knowledge_dir(None))
    except (CliError, KnowledgeError) as error:
        print(f"  (not computed: the knowledge files could not be read: {error})")
        return
    gaps = vocabulary_gaps(unanswered, service)
    if not gaps:
        print("  (none asked in two or more questions)")
    for gap in gaps:
        print(f"  {gap.word:24s} {gap.questions:3d} questions {gap.times:4d} x  e.g. {gap.example}")


def _kb_reload(args: argparse.Namespace) -> int:
    import json
    import urllib.error
    import urllib.request

    from bot.domain.knowledge_cli import validate

    settings = _settings()
    ok, message = validate(_knowledge_dir(None))
    print(message)
    if not ok:
        return 1
    try:  # the bot's own secret: never make up a new one here, it could not match
        token = settings.admin_token(create=False)
    except FileNotFoundError as error:
        raise CliError(str(error)) from error
    url = (args.url or f"http://127.0.0.1:{settings.port}").rstrip("/")
    request = urllib.request.Request(
        url + "/admin/knowledge/reload",
        method="POST",
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            outcome = json.load(response)
    except urllib.error.HTTPError as error:
        raise CliError(
            f"the bot at {url} refused: HTTP {error.code} (is MOEDEBOT_HASH_SECRET the same?)"
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CliError(f"could not reach the bot at {url}: {reason} (is it running?)") from error
    except ValueError as error:
        raise CliError(f"the bot at {url} did not answer JSON: is that the bot?") from error
    if not outcome.get("reloaded"):
        problems = "; ".join(str(p) for p in outcome.get("problems") or ()) or "no reason given"
        raise CliError(f"the bot at {url} kept its old knowledge: {problems}")
    print("reloaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
