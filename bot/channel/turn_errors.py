"""The turn error handler: log the failure with ids (no secrets, no payload), tell the user."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityEventNames, ActivityTypes

from bot.channel.mentions import text_without_bot_mention
from bot.channel.outbound import RETRYABLE_STATUSES, DeliveryError
from bot.channel.wording import say
from bot.domain.language import detect_language
from bot.metrics import Metrics

log = logging.getLogger(__name__)
CONTINUE_CONVERSATION = ActivityEventNames.continue_conversation.value
INVOKE_ERROR_BODY = {
    "statusCode": 500,
    "type": "application/vnd.microsoft.error",
    "value": {"code": "InternalError", "message": "Noget gik galt / something went wrong"},
}


def turn_error_handler(metrics: Metrics) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """The adapter's on_turn_error, counting failures in `metrics`."""

    async def handle(context: TurnContext, error: Exception) -> None:
        metrics.turn_failures.inc()
        await on_turn_error(context, error)

    return handle


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    activity = context.activity
    if activity.type == ActivityTypes.event and activity.name == CONTINUE_CONVERSATION:
        # A proactive send (a reminder): its caller must learn it failed, e.g. bot removed.
        raise error
    unreachable = _connector_unreachable(error)
    if unreachable:
        # The transport logged one warning with the reason; a traceback would add nothing.
        log.debug("turn ended undelivered: type=%s activity=%s", activity.type, activity.id)
    else:
        log.error(
            "turn failed: type=%s activity=%s conversation=%s",
            activity.type,
            activity.id,
            activity.conversation.id if activity.conversation else None,
            exc_info=error,
        )
    if activity.type == ActivityTypes.invoke:
        # The invoke's answer is the HTTP response; Teams shows the message to the user.
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=_invoke_error())
        )
        return
    if activity.type != ActivityTypes.message or unreachable:
        return  # an apology would only fail the same way, after the same retries
    try:
        lang = detect_language(text_without_bot_mention(activity))
    except Exception:  # the message that broke the turn may break this too; Danish it is
        lang = "da"
    try:
        await context.send_activity(say("error.turn", lang))
    except Exception:  # the connector may be what failed; the log above already has the cause
        log.warning(
            "could not tell conversation %s about the failure",
            activity.conversation.id if activity.conversation else None,
        )


def _connector_unreachable(error: Exception) -> bool:
    """The connector could not be reached, refused the conversation, or stayed overloaded.

    Other delivery errors (400, 401, ...) point at our own reply or set-up: those keep the
    traceback.
    """
    if not isinstance(error, DeliveryError):
        return False
    return error.status is None or error.status in (403, 404) or error.status in RETRYABLE_STATUSES


def _invoke_error() -> InvokeResponse:
    return InvokeResponse(status=200, body=INVOKE_ERROR_BODY)
