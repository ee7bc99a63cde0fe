"""Builders for Teams-shaped activities (after shared/docs/teams-payloads), as plain JSON dicts."""

from __future__ import annotations

import itertools
from typing import Any

BOT_ID = "28:00000000-0000-0000-0000-00000000b0t1"
BOT_NAME = "Mødebot"
TENANT = "tenant-1"
_ids = itertools.count(1)


def user(number: int = 1, name: str = "Bruger") -> dict[str, Any]:
    return {"id": f"29:user-{number}", "name": name, "aadObjectId": f"00000000-aad-{number:04d}"}


def _base(
    kind: str, service_url: str, conversation: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    activity = {
        "type": kind,
        "id": f"f:{next(_ids)}",
        "timestamp": "2026-11-26T13:28:32.617Z",
        "localTimestamp": "2026-11-26T14:28:32.617+01:00",
        "localTimezone": "Europe/Copenhagen",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": user(),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": conversation,
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "da-DK",
    }
    activity.update(extra)
    return activity


def personal_conversation(number: int = 1) -> dict[str, Any]:
    return {"id": f"a:personal-{number}", "conversationType": "personal", "tenantId": TENANT}


def group_conversation(name: str = "meeting") -> dict[str, Any]:
    return {
        "id": f"19:{name}@thread.v2",
        "conversationType": "groupChat",
        "isGroup": True,
        "tenantId": TENANT,
    }


def channel_conversation(team: str = "team-a") -> dict[str, Any]:
    return {
        "id": f"19:{team}@thread.tacv2;messageid=1700000000001",
        "conversationType": "channel",
        "isGroup": True,
        "tenantId": TENANT,
    }


def personal_message(
    service_url: str, text: str, *, sender: int = 1, conversation: int = 1, locale: str = "da-DK"
) -> dict[str, Any]:
    return _base(
        "message",
        service_url,
        personal_conversation(conversation),
        text=text,
        textFormat="plain",
        locale=locale,
        **{"from": user(sender)},
    )


def group_message(
    service_url: str, text: str, *, sender: int = 1, mention: bool = False, chat: str = "meeting"
) -> dict[str, Any]:
    activity = _base(
        "message",
        service_url,
        group_conversation(chat),
        textFormat="plain",
        **{"from": user(sender)},
    )
    activity["text"] = f"<at>{BOT_NAME}</at> {text}" if mention else text
    if mention:
        activity["entities"] = [_mention()]
    return activity


def channel_message(
    service_url: str, text: str, *, sender: int = 1, team: str = "team-a"
) -> dict[str, Any]:
    """Teams only delivers channel messages that @mention the bot."""
    activity = _base(
        "message",
        service_url,
        channel_conversation(team),
        textFormat="plain",
        text=f"<at>{BOT_NAME}</at> {text}",
        **{"from": user(sender)},
    )
    activity["entities"] = [
        _mention(),
        {"type": "clientInfo", "locale": "da-DK", "country": "DK", "timezone": "Europe/Copenhagen"},
    ]
    activity["channelData"] = {
        "teamsChannelId": f"19:{team}@thread.tacv2",
        "teamsTeamId": f"19:{team}-team@thread.tacv2",
        "tenant": {"id": TENANT},
        "team": {"id": f"19:{team}-team@thread.tacv2"},
        "channel": {"id": f"19:{team}@thread.tacv2"},
    }
    return activity


def _mention() -> dict[str, Any]:
    return {
        "type": "mention",
        "mentioned": {"id": BOT_ID, "name": BOT_NAME},
        "text": f"<at>{BOT_NAME}</at>",
    }


def card_submit(
    service_url: str,
    value: dict[str, Any],
    *,
    reply_to_id: str,
    conversation: dict[str, Any] | None = None,
    sender: int = 1,
) -> dict[str, Any]:
    """Action.Submit: a message without text, data and inputs merged in `value`."""
    return _base(
        "message",
        service_url,
        conversation or group_conversation(),
        value=value,
        replyToId=reply_to_id,
        **{"from": user(sender)},
    )


def card_invoke(
    service_url: str,
    verb: str,
    data: dict[str, Any],
    *,
    reply_to_id: str = "1",
    conversation: dict[str, Any] | None = None,
    sender: int = 1,
) -> dict[str, Any]:
    """Action.Execute arrives as an `adaptiveCard/action` invoke."""
    return _base(
        "invoke",
        service_url,
        conversation or group_conversation(),
        name="adaptiveCard/action",
        replyToId=reply_to_id,
        value={
            "action": {"type": "Action.Execute", "verb": verb, "data": data},
            "trigger": "manual",
        },
        **{"from": user(sender)},
    )


def bot_added(
    service_url: str,
    conversation: dict[str, Any],
    *,
    locale: str = "da-DK",
    with_channel_data: bool = True,
) -> dict[str, Any]:
    activity = _base(
        "conversationUpdate",
        service_url,
        conversation,
        locale=locale,
        membersAdded=[{"id": BOT_ID}],
    )
    if not with_channel_data:
        activity.pop("channelData")
    return activity


def bot_removed(service_url: str, conversation: dict[str, Any]) -> dict[str, Any]:
    return _base("conversationUpdate", service_url, conversation, membersRemoved=[{"id": BOT_ID}])


def installation_update(
    service_url: str, conversation: dict[str, Any], action: str = "add", *, locale: str = "da-DK"
) -> dict[str, Any]:
    return _base("installationUpdate", service_url, conversation, action=action, locale=locale)


def meeting_event(
    service_url: str,
    kind: str = "End",
    title: str = "Programledermøde",
    at: str = "2026-11-26T13:00:00Z",
) -> dict[str, Any]:
    key = "EndTime" if kind == "End" else "StartTime"
    activity = _base(
        "event",
        service_url,
        group_conversation("meeting_abc"),
        name=f"application/vnd.microsoft.meeting{kind}",
        value={
            "Id": "MCMxOTptZWV0aW5n",
            "JoinUrl": "https://teams.example/l/meetup-join/x",
            "Title": title,
            "MeetingType": "Scheduled",
            key: at,
        },
    )
    activity["channelData"]["meeting"] = {"id": "MCMxOTptZWV0aW5n"}
    return activity
