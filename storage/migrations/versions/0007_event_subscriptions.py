"""Event subscriptions: the conversations reminded of the knowledge base's events.

Revision ID: 0007_event_subscriptions
Revises: 0006_polls
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.tables import UtcDateTime

revision = "0007_event_subscriptions"
down_revision = "0006_polls"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_subscriptions",
        sa.Column("conversation_id", sa.String(400), nullable=False),
        sa.Column("subscription_id", sa.String(32), nullable=False),
        sa.Column("tenant_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("subscribed_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("subscribed_at", UtcDateTime(), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("ended_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_event_subscriptions"),
    )
    op.create_index("ix_event_subscriptions_active", "event_subscriptions", ["active"])


def downgrade() -> None:
    op.drop_index("ix_event_subscriptions_active", "event_subscriptions")
    op.drop_table("event_subscriptions")
