"""Where the bot can speak: one stored record per conversation, and the port that keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ConversationRecord:
    """The latest conversation reference, kept as plain JSON so the domain stays SDK-free."""

    id: str
    channel_id: str
    service_url: str
    tenant_id: str | None = None
    conversation_type: str | None = None
    team_id: str | None = None
    bot_id: str | None = None
    reference: dict[str, Any] = field(default_factory=dict)
    installed: bool = True


class ConversationRepository(Protocol):
    async def save(self, record: ConversationRecord) -> None: ...

    def save_behind(self, record: ConversationRecord) -> None:
        """Store without waiting; only for what the next turn would write again if lost."""
        ...

    async def get(self, conversation_id: str) -> ConversationRecord | None: ...

    async def mark_removed(self, conversation_id: str) -> None: ...

    async def claim_welcome(self, conversation_id: str) -> bool: ...
