"""ConversationLog: keeps the latest reference of every conversation the bot hears from."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from botbuilder.schema import Activity

from bot.channel.references import (
    MissingServiceUrl,
    conversation_key,
    record_from_activity,
    team_of,
    tenant_of,
)
from bot.domain.conversations import ConversationRepository

log = logging.getLogger(__name__)
_MEMBERSHIP = frozenset({"conversationUpdate", "installationUpdate"})


class ConversationLog:
    """Writes a reference when it changed; a bounded memo avoids a write on every turn."""

    def __init__(self, repository: ConversationRepository, memo_size: int = 10_000) -> None:
        self._repository = repository
        self._memo: OrderedDict[str, tuple[Any, ...]] = OrderedDict()
        self._memo_size = memo_size

    async def remember(self, activity: Activity) -> None:
        conversation = activity.conversation
        if conversation is None or not conversation.id:
            return
        key = conversation_key(conversation.id, conversation.conversation_type)
        # What the stored reference is made of, read straight off the activity: building the
        # record costs more than the rest of a known conversation's bookkeeping.
        seen = _reference_fields(activity)
        # Installs and removals always write: another replica may have marked it removed.
        membership = activity.type in _MEMBERSHIP
        if not membership and self._memo.get(key) == seen:
            self._memo.move_to_end(key)
            return
        try:
            record = record_from_activity(activity)
        except MissingServiceUrl:
            log.warning("activity %s without serviceUrl; reference not stored", activity.id)
            return
        if membership:
            await self._repository.save(record)  # the welcome claim that follows needs the row
        else:
            self._repository.save_behind(record)
        self._memo[key] = seen
        self._memo.move_to_end(key)
        while len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)

    async def forget(self, activity: Activity) -> None:
        conversation_id = conversation_key(
            activity.conversation.id, activity.conversation.conversation_type
        )
        self._memo.pop(conversation_id, None)
        await self._repository.mark_removed(conversation_id)
        log.info("bot removed from conversation %s", conversation_id)

    async def claim_welcome(self, activity: Activity) -> bool:
        return await self._repository.claim_welcome(
            conversation_key(activity.conversation.id, activity.conversation.conversation_type)
        )


def _reference_fields(activity: Activity) -> tuple[Any, ...]:
    """Every field of the activity that goes into its conversation's stored reference."""
    conversation, bot = activity.conversation, activity.recipient
    return (
        activity.service_url,
        activity.channel_id,
        activity.locale,
        conversation.name,
        conversation.is_group,
        conversation.tenant_id,
        conversation.role,
        conversation.aad_object_id,
        bot.id if bot else None,
        bot.name if bot else None,
        bot.role if bot else None,
        bot.aad_object_id if bot else None,
        tenant_of(activity),
        team_of(activity),
    )
