"""The `moedebot` command line: run the bot, manage the database and the knowledge base."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="moedebot", description="Mødebot, a Teams meeting bot")
    commands = parser.add_subparsers(title="commands")

    run = commands.add_parser("run", help="serve /api/messages (settings from env / .env)")
    run.set_defaults(handler=_run)

    db = commands.add_parser("db", help="database schema").add_subparsers(title="db commands")
    upgrade = db.add_parser("upgrade", help="apply migrations (also done at start-up)")
    upgrade.add_argument("--revision", default="head")
    upgrade.set_defaults(handler=_db_upgrade)
    current = db.add_parser("current", help="print the schema revision of the database")
    current.set_defaults(handler=_db_current)

    kb = commands.add_parser("kb", help="knowledge base").add_subparsers(title="kb commands")
    validate = kb.add_parser("validate", help="check the knowledge files (file, entry, field)")
    validate.add_argument("--dir", help="knowledge folder (default: KNOWLEDGE_DIR)")
    validate.set_defaults(handler=_kb_validate)
    evaluate = kb.add_parser(
        "eval", help="top-1 accuracy and abstention on every evaluation set, and how blind each is"
    )
    evaluate.add_argument("--dir", help="knowledge folder (default: KNOWLEDGE_DIR)")
    evaluate.add_argument(
        "--questions", help="one evaluation file (default: tests/domain/knowledge/eval_*.yaml)"
    )
    evaluate.set_defaults(handler=_kb_eval)
    report = kb.add_parser("report", help="unanswered questions and ratings from the database")
    report.add_argument("--limit", type=int, default=30)
    report.set_defaults(handler=_kb_report)
    reload = kb.add_parser("reload", help="validate, then make the running bot reload")
    reload.add_argument("--url", help="the bot's base URL (default: http://127.0.0.1:PORT)")
    reload.set_defaults(handler=_kb_reload)
    return parser


def _run(_args: argparse.Namespace) -> int:
    from app import main as run_app

    run_app()
    return 0


def _on_database(work):
    """Run `work(engine)` against the configured database and close the engine afterwards."""
    from storage.engine import create_engine

    async def go():
        engine = create_engine(Settings.load().database_url)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _db_upgrade(args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    print(f"database at revision {_on_database(lambda e: upgrade(e, args.revision))}")
    return 0


def _db_current(_args: argparse.Namespace) -> int:
    from storage.migrate import current_revision, head_revision

    current = _on_database(current_revision)
    print(f"current: {current or '(empty)'}  head: {head_revision()}")
    return 0 if current == head_revision() else 1


def _kb_validate(args: argparse.Namespace) -> int:
    from bot.domain.knowledge_cli import validate

    ok, message = validate(args.dir or Settings.load().knowledge_dir)
    print(message)
    return 0 if ok else 1


def _kb_eval(args: argparse.Namespace) -> int:
    from bot.domain.knowledge_cli import eval_report

    print(eval_report(args.dir or Settings.load().knowledge_dir, args.questions))
    return 0


def _kb_report(args: argparse.Namespace) -> int:
    from storage.knowledge_feedback import SqlFeedbackRepository

    async def read(engine):
        feedback = SqlFeedbackRepository(engine)
        return await feedback.unanswered(args.limit), await feedback.ratings()

    unanswered, ratings = _on_database(read)
    print(f"Unanswered questions ({len(unanswered)} shown, most asked first):")
    for item in unanswered:
        print(f"  {item.times:4d} x  {item.question}  (last {item.last_asked:%Y-%m-%d %H:%M} UTC)")
    print("\nRatings per entry (most 👎 first):")
    for rating in ratings:
        print(f"  {rating.entry_id:40s} 👍 {rating.helpful:4d}   👎 {rating.unhelpful:4d}")
    return 0


def _kb_reload(args: argparse.Namespace) -> int:
    import json
    import urllib.error
    import urllib.request

    from bot.domain.knowledge_cli import validate

    settings = Settings.load()
    ok, message = validate(settings.knowledge_dir)
    print(message)
    if not ok:
        return 1
    try:  # the bot's own secret: never make up a new one here, it could not match
        token = settings.admin_token(create=False)
    except FileNotFoundError as error:
        print(error)
        return 1
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
        print(f"the bot at {url} refused: HTTP {error.code} (is MOEDEBOT_HASH_SECRET the same?)")
        return 1
    except (urllib.error.URLError, OSError) as error:
        print(f"could not reach the bot at {url}: {error}")
        return 1
    print("reloaded" if outcome.get("reloaded") else f"refused: {outcome.get('problems')}")
    return 0 if outcome.get("reloaded") else 1


if __name__ == "__main__":
    sys.exit(main())
