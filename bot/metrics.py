"""Prometheus metrics, one registry per app (no process-wide globals), served on GET /metrics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bot.channel.outbound.stats import DeliverySnapshot


class DeliveryCounters(Protocol):
    def snapshot(self) -> DeliverySnapshot: ...


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.activities = Counter(
            "moedebot_activities_total",
            "Activities received, by type",
            ["type"],
            registry=self.registry,
        )
        self.rejected = Counter(
            "moedebot_requests_rejected_total",
            "Requests refused before a turn ran, by status",
            ["status"],
            registry=self.registry,
        )
        self.turn_failures = Counter(
            "moedebot_turn_failures_total", "Turns that raised", registry=self.registry
        )
        self.turn_seconds = Histogram(
            "moedebot_turn_seconds",
            "Time to run one turn (including replies)",
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )

    def watch_deliveries(self, stats: DeliveryCounters) -> None:
        """Expose the outbound client's counters (any object with `snapshot()`)."""
        self.registry.register(_DeliveryCollector(stats))

    def handler(self) -> Handler:
        async def metrics(_request: web.Request) -> web.Response:
            response = web.Response(body=generate_latest(self.registry))
            response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
            return response

        return metrics


class _DeliveryCollector(Collector):
    def __init__(self, stats: DeliveryCounters) -> None:
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        snapshot = self._stats.snapshot()
        sent = CounterMetricFamily(
            "moedebot_deliveries_sent", "Outbound connector calls that succeeded", labels=["op"]
        )
        for operation, count in sorted(snapshot["sent_by_operation"].items()):
            sent.add_metric([operation], count)
        yield sent
        for name, counts, help_text in (
            (
                "moedebot_deliveries_retried",
                snapshot["retried"],
                "Outbound attempts retried, by reason",
            ),
            (
                "moedebot_deliveries_failed",
                snapshot["failed"],
                "Outbound calls failed for good, by reason",
            ),
        ):
            family = CounterMetricFamily(name, help_text, labels=["reason"])
            for reason, count in sorted(counts.items()):
                family.add_metric([reason], count)
            yield family
