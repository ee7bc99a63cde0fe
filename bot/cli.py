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
    return parser


def _run(_args: argparse.Namespace) -> int:
    from app import main as run_app

    run_app()
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from storage.engine import create_engine
    from storage.migrate import upgrade

    async def go() -> str:
        engine = create_engine(Settings.load().database_url)
        try:
            return await upgrade(engine, args.revision)
        finally:
            await engine.dispose()

    print(f"database at revision {asyncio.run(go())}")
    return 0


def _db_current(_args: argparse.Namespace) -> int:
    from storage.engine import create_engine
    from storage.migrate import current_revision, head_revision

    async def go() -> str:
        engine = create_engine(Settings.load().database_url)
        try:
            return await current_revision(engine)
        finally:
            await engine.dispose()

    current = asyncio.run(go())
    print(f"current: {current or '(empty)'}  head: {head_revision()}")
    return 0 if current == head_revision() else 1


if __name__ == "__main__":
    sys.exit(main())
