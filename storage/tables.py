"""The schema, as SQLAlchemy Core tables; migrations in storage/migrations create it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, also on SQLite (which stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def as_utc(value: datetime) -> datetime:
    """A datetime read back from the database, in UTC; a naive one (SQLite) is taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# The latest conversation reference per conversation, for proactive messages.
conversations = Table(
    "conversations",
    metadata,
    Column("id", String(400), primary_key=True),
    Column("channel_id", String(64), nullable=False),
    Column("service_url", String(500), nullable=False),
    Column("tenant_id", String(100)),
    Column("conversation_type", String(32)),
    Column("team_id", String(400)),
    Column("bot_id", String(200)),
    Column("reference", JSON, nullable=False),
    Column("installed", Boolean, nullable=False, default=True),
    Column("welcomed_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# botbuilder state (dialog stacks, user preferences) with an eTag for optimistic concurrency.
bot_state = Table(
    "bot_state",
    metadata,
    Column("key", String(1024), primary_key=True),
    Column("etag", String(64), nullable=False),
    Column("document", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Knowledge feedback: answers given (rateable), one rating per pseudonymous rater, and the
# questions the bot could not answer, for the knowledge owner.
kb_answers = Table(
    "kb_answers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("entry_id", String(200), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("lang", String(8), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("card", JSON),
    Column("answered_at", UtcDateTime(), nullable=False),
    Column("tenant_id", String(100), nullable=False, server_default=""),
)

kb_ratings = Table(
    "kb_ratings",
    metadata,
    Column(
        "answer_id", String(64), ForeignKey("kb_answers.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("rater_key", String(64), primary_key=True),
    Column("helpful", Boolean, nullable=False),
    Column("rated_at", UtcDateTime(), nullable=False),
)

kb_unanswered = Table(
    "kb_unanswered",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", Text, nullable=False),
    Column("normalised", String(500), nullable=False, index=True),
    Column("lang", String(8), nullable=False),
    Column("suggestions", JSON, nullable=False),
    Column("asked_at", UtcDateTime(), nullable=False),
)

# Who holds which role in which municipality, as people registered themselves.
role_holders = Table(
    "role_holders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("role_id", String(200), nullable=False),
    Column("municipality", String(100), nullable=False),
    Column("user_id", String(200), nullable=False),
    Column("user_name", String(200)),
    Column("aad_object_id", String(100)),
    Column("tenant_id", String(100), nullable=False, server_default=""),
    Column("registered_at", UtcDateTime(), nullable=False),
    UniqueConstraint(
        "tenant_id",
        "role_id",
        "municipality",
        "user_id",
        name="uq_role_holders_tenant_role_place_user",
    ),
    Index("ix_role_holders_tenant_place", "tenant_id", "municipality"),
)

# --- Polls (migration 0006) ------------------------------------------------------------------
# One row per poll; its question and settings as JSON. The card columns coordinate card
# updates across replicas (see bot/domain/polls/ports.py): a vote sets card_dirty, a claim
# clears it and sets card_updated_at, at most once per interval.
polls = Table(
    "polls",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("conversation_id", String(400), nullable=False),
    Column("tenant_id", String(100), nullable=False, server_default=""),
    Column("creator_id", String(200), nullable=False),
    Column("creator_name", String(200)),
    Column("kind", String(16), nullable=False),
    Column("template_id", String(64)),
    Column("spec", JSON, nullable=False),
    Column("state", String(8), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("closes_at", UtcDateTime()),
    Column("closed_at", UtcDateTime()),
    Column("card_activity_id", String(200)),
    Column("card_dirty", Boolean, nullable=False, server_default="0"),
    Column("card_updated_at", UtcDateTime()),
    Column("results_token", String(64), unique=True),
    Column("results_token_expires_at", UtcDateTime()),
    Index("ix_polls_conversation_state", "conversation_id", "state"),
    Index("ix_polls_conversation_template", "conversation_id", "template_id", "closed_at"),
    Index("ix_polls_state_closes_at", "state", "closes_at"),
)

# One row per (poll, voter): a changed answer replaces the row, so a tally counts rows.
# Anonymous polls leave voter_id and voter_name NULL; voter_key is a keyed hash.
poll_votes = Table(
    "poll_votes",
    metadata,
    Column("poll_id", String(32), ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True),
    Column("voter_key", String(64), primary_key=True),
    Column("voter_id", String(200)),
    Column("voter_name", String(200)),
    Column("answer", JSON, nullable=False),
    Column("voted_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Per conversation: whether the meeting evaluation is posted when a meeting ends.
poll_settings = Table(
    "poll_settings",
    metadata,
    Column("conversation_id", String(400), primary_key=True),
    Column("tenant_id", String(100), nullable=False, server_default=""),
    Column("evaluate_after_meetings", Boolean, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# --- Scheduled jobs (migration 0005) ---------------------------------------------------------
# One durable scheduler for the whole bot (reminders, breakout timers, polls' auto-close): one
# row per occurrence. A claim sets claimed_by/lease_until; a lease that ran out is claimable
# again (the process died). dedupe_key makes re-scheduling idempotent per kind; NULLs repeat.
scheduled_jobs = Table(
    "scheduled_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("intended_at", UtcDateTime(), nullable=False),
    Column("conversation_id", String(400), nullable=False),
    Column("owner_key", String(200)),
    Column("payload", JSON, nullable=False),
    Column("rrule", Text),
    Column("timezone", String(64)),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("dedupe_key", String(200)),
    Column("claimed_by", String(64)),
    Column("claimed_at", UtcDateTime()),
    Column("lease_until", UtcDateTime()),
    Column("activity_id", String(200)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    UniqueConstraint("kind", "dedupe_key", name="uq_scheduled_jobs_kind_dedupe_key"),
    Index("ix_scheduled_jobs_state_due_at", "state", "due_at"),
    Index("ix_scheduled_jobs_conversation_id", "conversation_id"),
    Index("ix_scheduled_jobs_owner_key", "owner_key"),
)

# --- Event subscriptions (migration 0007) ----------------------------------------------------
# One row per conversation that ever subscribed to the knowledge base's event reminders; a new
# subscription after `afmeld` reuses the row with a new subscription_id (the reminders' jobs
# are keyed by it, so the old subscription's cancelled jobs never block the new one's).
event_subscriptions = Table(
    "event_subscriptions",
    metadata,
    Column("conversation_id", String(400), primary_key=True),
    Column("subscription_id", String(32), nullable=False),
    Column("tenant_id", String(100), nullable=False, server_default=""),
    Column("lang", String(2), nullable=False),
    Column("subscribed_by", String(200), nullable=False, server_default=""),
    Column("subscribed_at", UtcDateTime(), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("ended_at", UtcDateTime()),
    Index("ix_event_subscriptions_active", "active"),
)
