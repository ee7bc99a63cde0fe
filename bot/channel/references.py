"""Conversation references: from an activity to a stored record and back, keeping the tenant."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.channel.outbound.errors import MissingServiceUrl
from bot.channel.schema_codec import from_json, to_json
from bot.domain.conversations import ConversationRecord

__all__ = [
    "MissingServiceUrl",
    "conversation_key",
    "record_from_activity",
    "reference_from_record",
    "tenant_of",
]


def tenant_of(activity: Activity) -> str | None:
    """Teams sends `tenantId`, which the SDK's model drops; look where it really is."""
    conversation = activity.conversation
    if conversation is not None:
        if conversation.tenant_id:
            return conversation.tenant_id
        extra = getattr(conversation, "additional_properties", None) or {}
        if extra.get("tenantId"):
            return str(extra["tenantId"])
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant") or {}
    return str(tenant["id"]) if isinstance(tenant, dict) and tenant.get("id") else None


def team_of(activity: Activity) -> str | None:
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = channel_data.get("team") or {}
    return str(team["id"]) if isinstance(team, dict) and team.get("id") else None


def conversation_key(conversation_id: str, conversation_type: str | None) -> str:
    """A channel, not one thread of it: `19:…@thread.tacv2;messageid=…` → `19:…@thread.tacv2`.

    Every channel message starts a thread with its own id; storing each would grow the table
    without end, and a proactive message belongs in the channel, not in an old thread.
    """
    if conversation_type == "channel":
        return conversation_id.split(";messageid=", 1)[0]
    return conversation_id


def record_from_activity(activity: Activity) -> ConversationRecord:
    if not activity.service_url:
        raise MissingServiceUrl("activity has no serviceUrl")
    reference = to_json(TurnContext.get_conversation_reference(activity))
    conversation = reference.setdefault("conversation", {})
    key = conversation_key(activity.conversation.id, activity.conversation.conversation_type)
    conversation["id"] = key
    tenant = tenant_of(activity)
    if tenant:
        conversation["tenantId"] = tenant
    # The reference is for proactive messages: no single user or message belongs in it.
    reference.pop("activityId", None)
    reference.pop("user", None)
    return ConversationRecord(
        id=key,
        channel_id=activity.channel_id or "",
        service_url=activity.service_url,
        tenant_id=tenant,
        conversation_type=activity.conversation.conversation_type,
        team_id=team_of(activity),
        bot_id=activity.recipient.id if activity.recipient else None,
        reference=reference,
    )


def reference_from_record(record: ConversationRecord) -> ConversationReference:
    if not record.service_url:
        raise MissingServiceUrl(f"stored reference for {record.id!r} has no serviceUrl")
    data: dict[str, Any] = dict(record.reference)
    data["serviceUrl"] = record.service_url
    reference = from_json(ConversationReference, data)
    if record.tenant_id and reference.conversation is not None:
        reference.conversation.tenant_id = record.tenant_id
        extra = dict(getattr(reference.conversation, "additional_properties", None) or {})
        extra["tenantId"] = record.tenant_id
        reference.conversation.additional_properties = extra
    return reference
