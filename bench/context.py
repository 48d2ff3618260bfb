"""The run's shared state (`Context`), its constants, statistics and the step guard."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
SETTINGS = "strategy_tracker.settings.dev"  # with DEBUG=false: no debug toolbar, no SQL log
PASSWORD = "bench-Password-2019"  # noqa: S105
# Gunicorn kills a worker stuck longer than this; the client gives up a little later.
WORKER_TIMEOUT = 100


class NotAvailable(Exception):
    """A measurement cannot run here and now (no broker, a process that did not start, …)."""


def log(message: str) -> None:
    print(message, flush=True)


def loadavg() -> list[float]:
    """Return the machine's load average over 1, 5 and 15 minutes."""
    return [round(x, 2) for x in os.getloadavg()]


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(seconds: list[float]) -> dict:
    """Return n, median, p95 and max in milliseconds."""
    if not seconds:
        return {"n": 0}
    return {
        "n": len(seconds),
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
    }


@dataclass
class Page:
    key: str
    path: str
    headers: dict[str, str]
    client_kwargs: dict
    user: object


@dataclass
class Context:
    args: argparse.Namespace
    bench_url: str
    redis_url: str
    env: dict[str, str]
    workdir: Path
    strategy: object = None
    users: dict = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    memory: dict = field(default_factory=dict)
    too_slow: set[str] = field(default_factory=set)
    submitted: list[int] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    @property
    def quick(self) -> bool:
        return self.args.quick

    @property
    def reviewer(self):
        return self.users["bench-reviewer"]

    def take_submitted(self, n: int) -> list:
        """Return n submitted updates, picked at random, not handed out before."""
        from reporting.models import IndicatorUpdate

        if not self.submitted:
            ids = list(
                IndicatorUpdate.objects.filter(
                    status=IndicatorUpdate.Status.SUBMITTED, indicator__code__startswith="BENCH."
                ).values_list("pk", flat=True)
            )
            self.rng.shuffle(ids)
            self.submitted = ids
        chosen, self.submitted = self.submitted[:n], self.submitted[n:]
        if len(chosen) < n:
            raise NotAvailable(f"only {len(chosen)} submitted updates left to approve")
        return list(
            IndicatorUpdate.objects.filter(pk__in=chosen).select_related(
                "indicator", "office", "period"
            )
        )

    def periods(self) -> list:
        """Return the strategy's reporting periods in order (exports cover all of them)."""
        from reporting.models import ReportingPeriod

        return list(ReportingPeriod.objects.filter(strategy=self.strategy).order_by("start_date"))


def guarded(name: str, fn: Callable[[], dict]) -> dict:
    """Run one measurement; one that cannot run or fails becomes {"available": False, ...}."""
    log(f"\n== {name}")
    started = time.perf_counter()
    at_start = loadavg()
    try:
        result = fn()
    except NotAvailable as reason:
        log(f"  not available: {reason}")
        return {"available": False, "reason": str(reason), "loadavg_at_start": at_start}
    except Exception as error:  # one broken measurement must not stop the others
        traceback.print_exc()
        return {
            "available": False,
            "reason": f"failed: {error!r}"[:1000],
            "loadavg_at_start": at_start,
        }
    log(f"  ({time.perf_counter() - started:.1f} s)")
    return {"available": True, **result, "loadavg_at_start": at_start}
