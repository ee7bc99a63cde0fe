"""Bot state as plain JSON instead of jsonpickle; answers remember the tenant they were given in.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Rows written by jsonpickle are rewritten by `storage.state_codec.from_jsonpickle`, which reads
them as data and maps only the allowed SDK types. A row it cannot convert (a type not on the
list) is deleted: it can only be a dialog in progress, which the user starts again.
"""

import sqlalchemy as sa
from alembic import op

from storage.state_codec import from_jsonpickle

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kb_answers") as table:
        table.add_column(sa.Column("tenant_id", sa.String(100), nullable=False, server_default=""))
    connection = op.get_bind()
    state = sa.table("bot_state", sa.column("key"), sa.column("document"))
    rows = connection.execute(sa.select(state.c.key, state.c.document)).all()
    for key, document in rows:
        if "py/" not in document:
            continue  # already plain (user preferences are plain dictionaries)
        converted = from_jsonpickle(document)
        if converted is None:
            connection.execute(sa.delete(state).where(state.c.key == key))
        else:
            connection.execute(
                sa.update(state).where(state.c.key == key).values(document=converted)
            )


def downgrade() -> None:
    with op.batch_alter_table("kb_answers") as table:
        table.drop_column("tenant_id")
