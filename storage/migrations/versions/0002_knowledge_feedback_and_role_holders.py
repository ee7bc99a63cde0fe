"""Knowledge feedback (answers, ratings, unanswered questions) and role holders.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from storage.tables import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_answers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("card", sa.JSON),
        sa.Column("answered_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_answers"),
    )
    op.create_index("ix_kb_answers_entry_id", "kb_answers", ["entry_id"])
    op.create_table(
        "kb_ratings",
        sa.Column("answer_id", sa.String(64), nullable=False),
        sa.Column("rater_key", sa.String(64), nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("rated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["kb_answers.id"],
            ondelete="CASCADE",
            name="fk_kb_ratings_answer_id_kb_answers",
        ),
        sa.PrimaryKeyConstraint("answer_id", "rater_key", name="pk_kb_ratings"),
    )
    op.create_table(
        "kb_unanswered",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("normalised", sa.String(500), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("suggestions", sa.JSON, nullable=False),
        sa.Column("asked_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_unanswered"),
    )
    op.create_index("ix_kb_unanswered_normalised", "kb_unanswered", ["normalised"])
    op.create_table(
        "role_holders",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("role_id", sa.String(200), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("user_name", sa.String(200)),
        sa.Column("aad_object_id", sa.String(100)),
        sa.Column("tenant_id", sa.String(100)),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_role_holders"),
        sa.UniqueConstraint(
            "role_id", "municipality", "user_id", name="uq_role_holders_role_place_user"
        ),
    )


def downgrade() -> None:
    op.drop_table("role_holders")
    op.drop_index("ix_kb_unanswered_normalised", "kb_unanswered")
    op.drop_table("kb_unanswered")
    op.drop_table("kb_ratings")
    op.drop_index("ix_kb_answers_entry_id", "kb_answers")
    op.drop_table("kb_answers")
