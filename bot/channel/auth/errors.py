"""The one exception inbound authentication raises, so the edge can answer 401."""

from __future__ import annotations


class AuthenticationFailed(PermissionError):
    """An inbound request could not be authenticated; answer 401 and run no bot logic.

    `reason` is short and safe to log: it never contains the token. A PermissionError, because
    that is what the SDK's own `CloudAdapter.process` (and existing handlers) map to 401.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
