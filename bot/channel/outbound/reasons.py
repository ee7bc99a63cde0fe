"""Short, secret-free words for why an outbound call failed, for logs and DeliveryError."""

from __future__ import annotations

import aiohttp
import yarl

# What the operator reads: "could not deliver reply to …" (operation names are ours).
_DOING = {
    "send": "deliver message",
    "reply": "deliver reply",
    "update": "update message",
    "delete": "delete message",
    "create_conversation": "create conversation",
}


def doing(operation: str) -> str:
    return _DOING.get(operation, operation.replace("_", " "))


def transport_failure(exc: BaseException, timeout: float) -> tuple[str, str]:
    """(metrics label, reason) for an exception raised while sending; no payload, no token."""
    if isinstance(exc, TimeoutError):
        return "timeout", f"no answer within {timeout:g} s"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "connection", "host name not found"
    if isinstance(exc, aiohttp.ClientConnectorError):
        if is_refused(exc):
            return "connection", "connection refused"
        cause = exc.os_error.strerror or type(exc.os_error).__name__
        return "connection", f"cannot connect ({cause})"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "connection", "server closed the connection"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "connection", "incomplete response"
    return "connection", f"connection failed ({type(exc).__name__})"


def is_refused(exc: BaseException) -> bool:
    """Nothing listens at the service url: a restart takes seconds, so retry only briefly."""
    return isinstance(exc, aiohttp.ClientConnectorError) and isinstance(
        exc.os_error, ConnectionRefusedError
    )


def safe_service_url(url: str) -> str:
    """The service url without credentials or query, which could carry secrets."""
    try:
        parsed = yarl.URL(url, encoded=True)
    except ValueError:
        return "(unparsable service url)"
    return str(parsed.with_user(None).with_query(None).with_fragment(None))
