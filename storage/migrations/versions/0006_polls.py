"""Polls, their votes (one row per poll and voter) and per-conversation poll settings.

Revision ID: 0006_polls
Revises: 0005_scheduled_jobs
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from storage.tables import UtcDateTime

revision = "0006_polls"
down_revision = "0005_scheduled_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("conversation_id", sa.String(400), nullable=False),
        sa.Column("tenant_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("creator_id", sa.String(200), nullable=False),
        sa.Column("creator_name", sa.String(200)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("template_id", sa.String(64)),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("closes_at", UtcDateTime()),
        sa.Column("closed_at", UtcDateTime()),
        sa.Column("card_activity_id", sa.String(200)),
        sa.Column("card_dirty", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("card_updated_at", UtcDateTime()),
        sa.Column("results_token", sa.String(64)),
        sa.Column("results_token_expires_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_polls"),
        sa.UniqueConstraint("results_token", name="uq_polls_results_token"),
    )
    op.create_index("ix_polls_conversation_state", "polls", ["conversation_id", "state"])
    op.create_index(
        "ix_polls_conversation_template", "polls", ["conversation_id", "template_id", "closed_at"]
    )
    op.create_index("ix_polls_state_closes_at", "polls", ["state", "closes_at"])
    op.create_table(
        "poll_votes",
        sa.Column("poll_id", sa.String(32), nullable=False),
        sa.Column("voter_key", sa.String(64), nullable=False),
        sa.Column("voter_id", sa.String(200)),
        sa.Column("voter_name", sa.String(200)),
        sa.Column("answer", sa.JSON, nullable=False),
        sa.Column("voted_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], ondelete="CASCADE", name="fk_poll_votes_poll_id_polls"
        ),
        # The unique (poll, voter) key every vote is an upsert on.
        sa.PrimaryKeyConstraint("poll_id", "voter_key", name="pk_poll_votes"),
    )
    op.create_table(
        "poll_settings",
        sa.Column("conversation_id", sa.String(400), nullable=False),
        sa.Column("tenant_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("evaluate_after_meetings", sa.Boolean, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_poll_settings"),
    )


def downgrade() -> None:
    op.drop_table("poll_settings")
    op.drop_table("poll_votes")
    op.drop_index("ix_polls_state_closes_at", "polls")
    op.drop_index("ix_polls_conversation_template", "polls")
    op.drop_index("ix_polls_conversation_state", "polls")
    op.drop_table("polls")
