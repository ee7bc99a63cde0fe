"""The connector's conversation operations: the SDK's URLs and return types, over our transport."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationResourceResponse,
    PagedMembersResult,
    ResourceResponse,
)
from botbuilder.schema.teams import TeamsPagedMembersResult

from ..schema_codec import from_json, to_json, to_json_bytes
from .transport import ConnectorTransport


def _seg(value: str) -> str:
    # Same as msrest's Serializer.url: every reserved character is escaped (Teams ids carry
    # ':', ';', '@' and sometimes '/').
    return quote(str(value), safe="")


class ConversationsOperations:
    """Duck-type of botframework.connector's ConversationsOperations for one service url.

    Sends, replies and updates are paced per conversation; reads and deletes are not.
    """

    def __init__(self, transport: ConnectorTransport, base_url: str) -> None:
        self._transport = transport
        self._base = base_url.rstrip("/")

    async def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        return await self._transport.call(method, url, service_url=self._base + "/", **kwargs)

    def _url(self, conversation_id: str, *tail: str) -> str:
        return "/".join([self._base, "v3", "conversations", _seg(conversation_id), *tail])

    async def send_to_conversation(
        self, conversation_id: str, activity: Activity, **_: Any
    ) -> ResourceResponse | None:
        payload = await self._call(
            "POST",
            self._url(conversation_id, "activities"),
            operation="send",
            conversation_id=conversation_id,
            activity_id=activity.reply_to_id,
            body=to_json_bytes(activity),
            paced=True,
        )
        return _resource(payload)

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> ResourceResponse | None:
        payload = await self._call(
            "POST",
            self._url(conversation_id, "activities", _seg(activity_id)),
            operation="reply",
            conversation_id=conversation_id,
            activity_id=activity_id,
            body=to_json_bytes(activity),
            paced=True,
        )
        return _resource(payload)

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> ResourceResponse | None:
        payload = await self._call(
            "PUT",
            self._url(conversation_id, "activities", _seg(activity_id)),
            operation="update",
            conversation_id=conversation_id,
            activity_id=activity_id,
            body=to_json_bytes(activity),
            paced=True,
        )
        return _resource(payload)

    async def delete_activity(self, conversation_id: str, activity_id: str, **_: Any) -> None:
        await self._call(
            "DELETE",
            self._url(conversation_id, "activities", _seg(activity_id)),
            operation="delete",
            conversation_id=conversation_id,
            activity_id=activity_id,
        )

    async def get_conversation_members(
        self, conversation_id: str, **_: Any
    ) -> list[ChannelAccount]:
        payload = await self._call(
            "GET",
            self._url(conversation_id, "members"),
            operation="get_members",
            conversation_id=conversation_id,
        )
        return [ChannelAccount.deserialize(m) for m in payload or [] if isinstance(m, dict)]

    async def get_conversation_member(
        self, conversation_id: str, member_id: str, **_: Any
    ) -> ChannelAccount | None:
        payload = await self._call(
            "GET",
            self._url(conversation_id, "members", _seg(member_id)),
            operation="get_member",
            conversation_id=conversation_id,
        )
        return ChannelAccount.deserialize(payload) if isinstance(payload, dict) else None

    async def get_activity_members(
        self, conversation_id: str, activity_id: str, **_: Any
    ) -> list[ChannelAccount]:
        payload = await self._call(
            "GET",
            self._url(conversation_id, "activities", _seg(activity_id), "members"),
            operation="get_activity_members",
            conversation_id=conversation_id,
            activity_id=activity_id,
        )
        return [ChannelAccount.deserialize(m) for m in payload or [] if isinstance(m, dict)]

    async def get_conversation_paged_members(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
        **_: Any,
    ) -> PagedMembersResult | None:
        payload = await self._paged(conversation_id, page_size, continuation_token)
        return PagedMembersResult.deserialize(payload) if isinstance(payload, dict) else None

    async def get_teams_conversation_paged_members(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
        **_: Any,
    ) -> TeamsPagedMembersResult | None:
        # TeamsInfo.get_paged_members calls this one.
        payload = await self._paged(conversation_id, page_size, continuation_token)
        return TeamsPagedMembersResult.deserialize(payload) if isinstance(payload, dict) else None

    async def _paged(
        self, conversation_id: str, page_size: int | None, continuation_token: str | None
    ) -> Any:
        params: dict[str, str] = {}
        if page_size is not None:
            params["pageSize"] = str(int(page_size))
        if continuation_token is not None:
            params["continuationToken"] = continuation_token
        return await self._call(
            "GET",
            self._url(conversation_id, "pagedmembers"),
            operation="get_paged_members",
            conversation_id=conversation_id,
            params=params or None,
        )

    async def create_conversation(
        self, parameters: ConversationParameters, **_: Any
    ) -> ConversationResourceResponse | None:
        payload = await self._call(
            "POST",
            f"{self._base}/v3/conversations",
            operation="create_conversation",
            conversation_id="",
            body=to_json(parameters),
        )
        if not isinstance(payload, dict):
            return None
        return from_json(ConversationResourceResponse, payload)


def _resource(payload: Any) -> ResourceResponse | None:
    # The SDK returns None for an empty body; CloudAdapterBase then fills in an empty id.
    if isinstance(payload, dict):
        return from_json(ResourceResponse, payload)
    return None
