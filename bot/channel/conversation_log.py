"""ConversationLog: keeps the latest reference of every conversation the bot hears from."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict

from botbuilder.schema import Activity

from bot.channel.references import MissingServiceUrl, conversation_key, record_from_activity
from bot.domain.conversations import ConversationRecord, ConversationRepository

log = logging.getLogger(__name__)
_MEMBERSHIP = frozenset({"conversationUpdate", "installationUpdate"})


class ConversationLog:
    """Writes a reference when it changed; a bounded memo avoids a write on every turn."""

    def __init__(self, repository: ConversationRepository, memo_size: int = 10_000) -> None:
        self._repository = repository
        self._memo: OrderedDict[str, str] = OrderedDict()
        self._memo_size = memo_size

    async def remember(self, activity: Activity) -> ConversationRecord | None:
        if activity.conversation is None or not activity.conversation.id:
            return None
        try:
            record = record_from_activity(activity)
        except MissingServiceUrl:
            log.warning("activity %s without serviceUrl; reference not stored", activity.id)
            return None
        fingerprint = _fingerprint(record)
        # Installs and removals always write: another replica may have marked it removed.
        membership = activity.type in _MEMBERSHIP
        if not membership and self._memo.get(record.id) == fingerprint:
            self._memo.move_to_end(record.id)
            return record
        if membership:
            await self._repository.save(record)  # the welcome claim that follows needs the row
        else:
            self._repository.save_behind(record)
        self._memo[record.id] = fingerprint
        self._memo.move_to_end(record.id)
        while len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)
        return record

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


def _fingerprint(record: ConversationRecord) -> str:
    payload = json.dumps(
        [record.service_url, record.tenant_id, record.team_id, record.bot_id, record.reference],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()
