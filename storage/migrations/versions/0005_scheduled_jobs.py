"""Scheduled jobs: the one durable scheduler's rows (reminders, breakout timers, auto-close).

Revision ID: 0005_scheduled_jobs
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from storage.tables import UtcDateTime

revision = "0005_scheduled_jobs"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduled_jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("intended_at", UtcDateTime(), nullable=False),
        sa.Column("conversation_id", sa.String(400), nullable=False),
        sa.Column("owner_key", sa.String(200)),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("rrule", sa.Text),
        sa.Column("timezone", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("dedupe_key", sa.String(200)),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_at", UtcDateTime()),
        sa.Column("lease_until", UtcDateTime()),
        sa.Column("activity_id", sa.String(200)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_jobs"),
        sa.UniqueConstraint("kind", "dedupe_key", name="uq_scheduled_jobs_kind_dedupe_key"),
    )
    op.create_index("ix_scheduled_jobs_state_due_at", "scheduled_jobs", ["state", "due_at"])
    op.create_index("ix_scheduled_jobs_conversation_id", "scheduled_jobs", ["conversation_id"])
    op.create_index("ix_scheduled_jobs_owner_key", "scheduled_jobs", ["owner_key"])


def downgrade() -> None:
    op.drop_index("ix_scheduled_jobs_owner_key", "scheduled_jobs")
    op.drop_index("ix_scheduled_jobs_conversation_id", "scheduled_jobs")
    op.drop_index("ix_scheduled_jobs_state_due_at", "scheduled_jobs")
    op.drop_table("scheduled_jobs")
