"""What an inbound activity must carry before a turn may run; anything less is a 400."""

from __future__ import annotations

from urllib.parse import urlsplit

from botbuilder.schema import Activity

# Bot Framework service URLs are short (https://smba.trafficmanager.net/emea/...).
MAX_SERVICE_URL_LENGTH = 2048
# Teams ids are under 200 characters (a channel thread id with its message id is the
# longest); the database keeps conversation ids up to 400 and user/bot ids up to 200.
MAX_CONVERSATION_ID_LENGTH = 400
MAX_ACCOUNT_ID_LENGTH = 200
MAX_CHANNEL_ID_LENGTH = 64


def activity_problem(activity: Activity) -> str | None:
    """None when a turn can run on `activity`; else a fixed reason, safe to show the caller.

    Every activity a channel sends names its type, channel, conversation, sender and
    recipient (the bot), and where to reply: state is keyed by channel, conversation and
    sender, and replies go from the recipient to the serviceUrl, so none of them is optional
    for any type (conversationUpdate and installationUpdate have a sender too).
    """
    if not activity.type:
        return "activity has no type"
    if not activity.channel_id:
        return "activity has no channelId"
    if activity.conversation is None or not activity.conversation.id:
        return "activity has no conversation id"
    if activity.from_property is None or not activity.from_property.id:
        return "activity has no from.id"
    if activity.recipient is None or not activity.recipient.id:
        return "activity has no recipient.id"
    if not is_valid_service_url(activity.service_url):
        return "activity has no valid serviceUrl"
    if (
        len(activity.channel_id) > MAX_CHANNEL_ID_LENGTH
        or len(activity.conversation.id) > MAX_CONVERSATION_ID_LENGTH
        or len(activity.from_property.id) > MAX_ACCOUNT_ID_LENGTH
        or len(activity.recipient.id) > MAX_ACCOUNT_ID_LENGTH
    ):
        return "activity has an id longer than any channel sends"
    return None


def is_valid_service_url(url: object) -> bool:
    """An absolute http(s) URL with a host, in plain ASCII, that urllib and aiohttp can use."""
    if not isinstance(url, str) or not 0 < len(url) <= MAX_SERVICE_URL_LENGTH:
        return False
    # Printable ASCII only: no spaces, controls or look-alike characters (http://a＃b/).
    if not url.isascii() or not url.isprintable() or " " in url:
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number in range
        host = parts.hostname
    except ValueError:  # 'http://[::1', 'http://]/'
        return False
    return parts.scheme in ("http", "https") and bool(host)
