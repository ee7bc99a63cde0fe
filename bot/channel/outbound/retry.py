"""When and how long to wait before retrying an outbound call."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from bot.domain.clock import SystemClock

# Throttling, precondition races (Teams answers 412 under load) and gateway trouble; every
# other status is final, notably 400/401/403/404.
RETRYABLE_STATUSES = frozenset({412, 429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    deadline: float = 60.0  # from the first attempt; no retry may start later than this
    retry_after_cap: float = 30.0
    # A refused connection means nothing listens there: worth a quick retry (a restarting
    # proxy) but not the full deadline, while the user and the inbound request wait.
    refused_deadline: float = 1.0

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        """Exponential back-off with full jitter after the `attempt`-th (1-based) failure."""
        return rng() * min(self.max_delay, self.base_delay * 2 ** (attempt - 1))

    def delay(self, attempt: int, retry_after: float | None, rng: Callable[[], float]) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_cap)
        return self.backoff(attempt, rng)


def _wall_seconds() -> float:
    return SystemClock().now().timestamp()


def parse_retry_after(value: str | None, now: Callable[[], float] = _wall_seconds) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - now(), 0.0)
