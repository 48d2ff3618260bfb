"""The full rebuild: every roll-up recomputed from the updates, in chunks of indicators of one
shape, on as many database sessions as the machine has cores (PostgreSQL)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, connections
from django.db.models import Count
from django.utils.translation import gettext as _

from deliverables.models import Indicator
from jobs.models import Job
from jobs.runner import ProgressCallback
from rollups.models import Rollup
from rollups.services.running import indicator_shape, replace_indicators
from rollups.services.sql import Shape

if TYPE_CHECKING:
    from outcomes.models import Strategy

# Indicators per statement and transaction in a full rebuild.
REBUILD_CHUNK = 60


@dataclass
class RebuildReport:
    indicators: int = 0
    rows: int = 0
    chunks: int = 0
    seconds: float = 0.0
    by_scope: dict[str, int] = field(default_factory=dict)


def rollup_rebuild_full(
    *,
    strategy: Strategy | None = None,
    progress: ProgressCallback | None = None,
    chunk: int = REBUILD_CHUNK,
) -> RebuildReport:
    """Recompute every roll-up (of one strategy, or of all); return what was written.

    Indicators are done in chunks of one shape (what the statement computes for them), each
    replaced in its own transaction under the indicators' locks, so an incremental
    recomputation running meanwhile waits rather than interleaves; `progress(percent,
    message)` hears of each chunk. The chunks run side by side on `rebuild_sessions()`
    database sessions.
    """
    started = time.perf_counter()
    indicators = Indicator.objects.order_by("pk")
    if strategy is not None:
        indicators = indicators.filter(strategy=strategy)
    by_shape: dict[Shape, list[int]] = {}
    for indicator in indicators.only("pk", "measure", "cumulative", "disaggregations"):
        by_shape.setdefault(indicator_shape(indicator), []).append(indicator.pk)
    batches = [
        (shape, ids[i : i + chunk])
        for shape, ids in sorted(by_shape.items(), key=lambda item: item[1][0])
        for i in range(0, len(ids), chunk)
    ]
    report = RebuildReport(indicators=sum(len(ids) for ids in by_shape.values()))
    report_progress = progress or (lambda _percent, _message: None)
    report_progress(0, _("Rebuilding the roll-ups of %(n)s indicators") % {"n": report.indicators})
    for rows in _run_batches(batches):
        report.rows += rows
        report.chunks += 1
        report_progress(
            min(99, round(100 * report.chunks / len(batches))),
            _("%(n)s of %(m)s batches: %(rows)s roll-up rows")
            % {"n": report.chunks, "m": len(batches), "rows": report.rows},
        )
    report.seconds = time.perf_counter() - started
    report.by_scope = dict(
        Rollup.objects.filter(indicator__in=indicators)
        .values_list("scope")
        .annotate(n=Count("pk"))
        .values_list("scope", "n")
    )
    return report


def rebuild_sessions() -> int:
    """Return how many database sessions a rebuild uses: one per core (ROLLUP_REBUILD_SESSIONS
    caps it) on PostgreSQL, outside any transaction (other sessions would not see what it has
    not committed); one on SQLite, which writes one transaction at a time."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    wanted = getattr(settings, "ROLLUP_REBUILD_SESSIONS", None) or os.cpu_count() or 1
    return max(1, int(wanted))


def _run_batches(batches: list[tuple[Shape, list[int]]]):
    """Yield the rows each batch wrote, as the batches finish."""
    sessions = min(rebuild_sessions(), len(batches))
    if sessions <= 1:
        for shape, batch in batches:
            yield replace_indicators(shape, batch)
        return
    # The largest first, so that the sessions finish together.
    ordered = sorted(batches, key=lambda item: -len(item[1]))
    with ThreadPoolExecutor(max_workers=sessions, thread_name_prefix="rollup-rebuild") as pool:
        futures = [pool.submit(_in_own_session, replace_indicators, *item) for item in ordered]
        for future in as_completed(futures):
            yield future.result()


def _in_own_session(work: Callable[..., int], *args) -> int:
    """Run `work` on this thread's own database session, closed afterwards."""
    try:
        return work(*args)
    finally:
        connections.close_all()


def rollup_rebuild_run(*, job: Job, progress: ProgressCallback) -> str:
    """The runner of a full rebuild job (jobs.runner); `job.params` may name one strategy."""
    from outcomes.models import Strategy

    strategy_id = (job.params or {}).get("strategy_id")
    strategy = Strategy.objects.get(pk=strategy_id) if strategy_id else None
    report = rollup_rebuild_full(strategy=strategy, progress=progress)
    return _("%(rows)s roll-up rows for %(n)s indicators in %(s).2f s") % {
        "rows": report.rows,
        "n": report.indicators,
        "s": report.seconds,
    }
