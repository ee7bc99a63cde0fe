"""Counters of outbound deliveries, for metrics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TypedDict


class DeliverySnapshot(TypedDict):
    sent: int
    sent_by_operation: dict[str, int]
    retried: dict[str, int]
    failed: dict[str, int]


@dataclass
class DeliveryStats:
    """`sent`: successful calls; `retried`/`failed`: by reason label ("429", "503", "timeout",
    "connection", "token", ...). `failed` counts calls that failed for good, not attempts."""

    sent: int = 0
    sent_by_operation: Counter[str] = field(default_factory=Counter)
    retried: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    def record_sent(self, operation: str) -> None:
        self.sent += 1
        self.sent_by_operation[operation] += 1

    def record_retry(self, label: str) -> None:
        self.retried[label] += 1

    def record_failure(self, label: str) -> None:
        self.failed[label] += 1

    def snapshot(self) -> DeliverySnapshot:
        return {
            "sent": self.sent,
            "sent_by_operation": dict(self.sent_by_operation),
            "retried": dict(self.retried),
            "failed": dict(self.failed),
        }
