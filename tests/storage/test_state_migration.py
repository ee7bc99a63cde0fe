"""Migration 0004 rewrites jsonpickle state as plain JSON and drops what it cannot read."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonpickle
from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogInstance, DialogState, PromptOptions
from sqlalchemy import insert, select

from storage import state_codec
from storage.engine import create_engine
from storage.migrate import upgrade
from storage.tables import bot_state


def _old_dialog_state() -> str:
    instance = DialogInstance()
    instance.id = "language.prompt"
    instance.state = {"options": PromptOptions(prompt=MessageFactory.text("Hvilket sprog?"))}
    state = DialogState()
    state.dialog_stack.append(instance)
    return jsonpickle.encode({"dialogs": state}, make_refs=False)


async def test_old_rows_are_converted_or_dropped(database_url):
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0003")
        now = datetime(2026, 11, 30, tzinfo=UTC)
        rows = {
            "user": '{"preferences": {"lang": "en"}}',
            "dialog": _old_dialog_state(),
            "hostile": '{"x": {"py/object": "subprocess.Popen", "args": ["id"]}}',
        }
        async with engine.begin() as connection:
            for key, document in rows.items():
                await connection.execute(
                    insert(bot_state).values(key=key, etag="e", document=document, updated_at=now)
                )
        await upgrade(engine)
        async with engine.connect() as connection:
            found = dict(
                (await connection.execute(select(bot_state.c.key, bot_state.c.document))).all()
            )
        assert set(found) == {"user", "dialog"}
        assert state_codec.loads(found["user"]) == {"preferences": {"lang": "en"}}
        [instance] = state_codec.loads(found["dialog"])["dialogs"].dialog_stack
        assert instance.state["options"].prompt.text == "Hvilket sprog?"
    finally:
        await engine.dispose()
