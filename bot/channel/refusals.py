"""Refused requests are logged without flooding: one DEBUG line each, a WARNING summary a minute."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class RefusalLog:
    """Anyone can send bad tokens as fast as the network allows, so a refusal costs one DEBUG
    line; operators still hear of them: the first refusal of a quiet spell is a WARNING, and
    later ones are counted into a WARNING at most once per `interval` (told on the next one)."""

    def __init__(
        self, what: str, *, interval: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._what = what
        self._interval = interval
        self._clock = clock
        self._window_start: float | None = None
        self._unreported = 0

    def refused(self, reason: str) -> None:
        log.debug("refused %s: %s", self._what, reason)
        now = self._clock()
        start = self._window_start
        if start is None or now - start >= self._interval:
            if self._unreported and start is not None:  # it counts only inside a window
                log.warning(
                    "refused %d %s in the last %.0f s (latest: %s)",
                    self._unreported + 1,
                    self._what,
                    now - start,
                    reason,
                )
            else:
                log.warning("refused %s: %s (more are summarised)", self._what, reason)
            self._window_start = now
            self._unreported = 0
        else:
            self._unreported += 1
