"""Typed outcomes of outbound calls to the Bot Framework connector."""

from __future__ import annotations


class DeliveryError(Exception):
    """An outbound call failed for good (after any retries).

    `status` is the last HTTP status (None for connection errors, timeouts, token failures);
    `retry_after` the seconds the connector's last answer asked to wait (429/503), if it did.
    """

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        conversation_id: str | None = None,
        activity_id: str | None = None,
        operation: str | None = None,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.conversation_id = conversation_id
        self.activity_id = activity_id
        self.operation = operation
        self.attempts = attempts
        self.retry_after = retry_after

    def __str__(self) -> str:
        return (
            f"{self.reason} (operation={self.operation}, status={self.status}, "
            f"conversation={self.conversation_id}, activity={self.activity_id}, "
            f"attempts={self.attempts})"
        )


class ConversationForbidden(DeliveryError):
    """403: the bot was removed from the conversation or blocked; stop sending there."""


# The name reminders use when they decide to drop a conversation.
BotRemovedError = ConversationForbidden


class ConversationNotFound(DeliveryError):
    """404: the conversation (or the activity to update/delete) does not exist."""


class TokenAcquisitionError(Exception):
    """The AAD token endpoint did not give us a token; `transient` says whether to retry."""

    def __init__(self, reason: str, *, transient: bool, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.status = status


class MissingServiceUrl(ValueError):
    """An activity or reference has no serviceUrl; we refuse to guess one."""
