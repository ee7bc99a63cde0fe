"""Conversations (references for proactive messages) and botbuilder state.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from storage.tables import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(400), primary_key=True),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("service_url", sa.String(500), nullable=False),
        sa.Column("tenant_id", sa.String(100)),
        sa.Column("conversation_type", sa.String(32)),
        sa.Column("team_id", sa.String(400)),
        sa.Column("bot_id", sa.String(200)),
        sa.Column("reference", sa.JSON, nullable=False),
        sa.Column("installed", sa.Boolean, nullable=False),
        sa.Column("welcomed_at", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
    )
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(1024), nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_bot_state"),
    )


def downgrade() -> None:
    op.drop_table("bot_state")
    op.drop_table("conversations")
