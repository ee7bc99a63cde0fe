"""ProactiveNotifier: messages the bot starts (job handlers), connector errors as job outcomes."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias

from botbuilder.core import CardFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)

from bot.channel.outbound import (
    ConversationForbidden,
    ConversationNotFound,
    DeliveryError,
    MissingServiceUrl,
    MoedebotConnectorFactory,
)
from bot.channel.outbound.conversations import ConversationsOperations
from bot.channel.references import reference_from_record
from bot.domain.conversations import ConversationRecord, ConversationRepository
from bot.domain.scheduling import DeliveryGone, RetryLater

log = logging.getLogger(__name__)

Message: TypeAlias = Activity | str | dict[str, Any]  # an activity, text, or an Adaptive Card
# Worth another try later: throttling, a stale token, a precondition race, server trouble.
_TRANSIENT = frozenset({401, 408, 412, 429})


@dataclass(frozen=True)
class PersonalDelivery:
    conversation_id: str
    activity_id: str | None


@dataclass(frozen=True)
class Member:
    id: str
    name: str | None
    aad_object_id: str | None


class ProactiveNotifier:
    """Sends through the same authenticated outbound path as replies (the framework
    authentication's connector factory: one ClientSession, cached AAD token, per-conversation
    pacing, bounded retries), addressed from the stored conversation reference. 403/404 and
    refusals raise DeliveryGone; throttling, 5xx and timeouts raise RetryLater."""

    def __init__(
        self,
        conversations: ConversationRepository,
        connectors: MoedebotConnectorFactory,
        *,
        bot_id: str = "",
        personal_memo_size: int = 10_000,
    ) -> None:
        self._conversations = conversations
        self._connectors = connectors
        self._bot_id = bot_id  # "28:<app id>": who a new 1:1 conversation is with
        self._personal: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._memo_size = personal_memo_size

    async def send(self, conversation_id: str, message: Message) -> str | None:
        """Post a new message; returns the connector's activity id (None if it gave none)."""
        record, reference, operations = await self._target(conversation_id)
        activity = _addressed(_activity(message), reference)
        async with _outcomes("send"):
            response = await operations.send_to_conversation(record.id, activity)
        return response.id if response is not None and response.id else None

    async def update(self, conversation_id: str, activity_id: str, card: Message) -> None:
        """Replace a message the bot sent (a poll's tally, a reminder's buttons)."""
        record, reference, operations = await self._target(conversation_id)
        activity = _addressed(_activity(card), reference)
        activity.id = activity_id
        async with _outcomes("update"):
            await operations.update_activity(record.id, activity_id, activity)

    async def send_personal(
        self,
        user_id: str,
        tenant_id: str,
        service_url: str,
        message: Message,
        *,
        bot_id: str | None = None,
    ) -> PersonalDelivery:
        """Post in the user's 1:1 chat with the bot, creating that conversation if needed."""
        conversation_id = await self.personal_conversation(
            user_id, tenant_id, service_url, bot_id=bot_id
        )
        try:
            activity_id = await self.send(conversation_id, message)
        except DeliveryGone:
            self._personal.pop((tenant_id, user_id), None)
            raise
        return PersonalDelivery(conversation_id, activity_id)

    async def personal_conversation(
        self, user_id: str, tenant_id: str, service_url: str, *, bot_id: str | None = None
    ) -> str:
        """The 1:1 conversation's id; the connector answers with the existing one if there is."""
        known = self._personal.get((tenant_id, user_id))
        if known is not None:
            self._personal.move_to_end((tenant_id, user_id))
            return known
        bot = bot_id or self._bot_id
        if not bot:
            raise DeliveryGone("no bot id to open a personal conversation with")
        if not service_url:
            raise DeliveryGone("no serviceUrl to open a personal conversation at")
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=bot),
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant_id,
            # The SDK writes the tenant as `tenantID`, which Teams ignores; this is where it looks.
            channel_data={"tenant": {"id": tenant_id}},
        )
        operations = self._connectors.client_for(service_url).conversations
        async with _outcomes("create_conversation"):
            created = await operations.create_conversation(parameters)
        if created is None or not created.id:
            raise RetryLater(None, "the connector created a conversation without an id")
        if await self._conversations.get(created.id) is None:
            await self._conversations.save(
                _personal_record(created.id, tenant_id, service_url, bot)
            )
        self._personal[(tenant_id, user_id)] = created.id
        while len(self._personal) > self._memo_size:
            self._personal.popitem(last=False)
        return str(created.id)

    async def members(self, conversation_id: str) -> list[Member]:
        """The conversation's members, as the connector lists them (breakout groups)."""
        record, _, operations = await self._target(conversation_id)
        async with _outcomes("get_members"):
            accounts = await operations.get_conversation_members(record.id)
        return [Member(a.id, a.name, a.aad_object_id) for a in accounts if a.id]

    async def _target(
        self, conversation_id: str
    ) -> tuple[ConversationRecord, ConversationReference, ConversationsOperations]:
        record = await self._conversations.get(conversation_id)
        if record is None:
            raise DeliveryGone("no conversation reference")
        if not record.installed:
            raise DeliveryGone("the bot was removed from the conversation")
        try:
            reference = reference_from_record(record)
            operations = self._connectors.client_for(record.service_url).conversations
        except MissingServiceUrl as error:
            raise DeliveryGone(str(error)) from error
        return record, reference, operations


def _activity(message: Message) -> Activity:
    if isinstance(message, Activity):
        return message
    if isinstance(message, str):
        return Activity(type=ActivityTypes.message, text=message)
    if isinstance(message, dict):
        return Activity(
            type=ActivityTypes.message, attachments=[CardFactory.adaptive_card(message)]
        )
    raise TypeError(f"cannot send a {type(message).__name__}")


def _addressed(activity: Activity, reference: ConversationReference) -> Activity:
    TurnContext.apply_conversation_reference(activity, reference)
    activity.reply_to_id = None  # a new message, not a reply to an old one
    if not activity.type:
        activity.type = ActivityTypes.message
    return activity


def _personal_record(
    conversation_id: str, tenant_id: str, service_url: str, bot_id: str
) -> ConversationRecord:
    reference = {
        "bot": {"id": bot_id},
        "conversation": {
            "id": conversation_id,
            "conversationType": "personal",
            "tenantId": tenant_id,
        },
        "channelId": "msteams",
        "serviceUrl": service_url,
    }
    return ConversationRecord(
        id=conversation_id,
        channel_id="msteams",
        service_url=service_url,
        tenant_id=tenant_id,
        conversation_type="personal",
        bot_id=bot_id,
        reference=reference,
    )


@asynccontextmanager
async def _outcomes(operation: str) -> AsyncIterator[None]:
    # The conversation is not marked removed on a 403 here: the removal event does that, and
    # a mark this process's ConversationLog memo never clears could silence it for good.
    try:
        yield
    except DeliveryError as error:
        raise outcome_of(error, operation) from error
    except (TimeoutError, OSError) as error:
        raise RetryLater(None, f"{operation}: {type(error).__name__}") from error


def outcome_of(error: DeliveryError, operation: str) -> DeliveryGone | RetryLater:
    """What a failed connector call means for a scheduled delivery."""
    reason = f"{operation}: {error.reason}"
    if isinstance(error, ConversationForbidden | ConversationNotFound):
        return DeliveryGone(reason)
    status = error.status
    if status is None or status in _TRANSIENT or status >= 500:
        # The transport honoured Retry-After within its own attempts; a value it passes on
        # (`retry_after`) is the floor for the scheduler's next try.
        return RetryLater(error.retry_after, reason)
    return DeliveryGone(reason)  # 400, 413, …: the same message will be refused again
