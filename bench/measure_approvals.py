"""Approval → dashboard through real Celery workers on Redis, alone and while an export runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bench.context import Context, NotAvailable, log, summary
from bench.processes import celery_workers
from exports.services.jobs import membership_update_export_create
from jobs.models import Job
from reporting.services.workflow import update_approve
from rollups.models import Rollup

# An approval whose roll-up has not changed after this long counts as a timeout.
POLL_TIMEOUT = 15
# While an export runs, a single worker takes the roll-up only after the export.
POLL_TIMEOUT_DURING_EXPORT = 120


def approvals_time(
    ctx: Context,
    updates: list,
    *,
    timeout: float,
    before: Callable[[], None] = lambda: None,
    counts: Callable[[], bool] = lambda: True,
) -> tuple[list[float], int, int]:
    """Approve each update, then poll its global Rollup row every 5 ms until it changes.

    `before()` runs ahead of each approval; a sample is kept when `counts()` (asked right after
    the approval) is true. Return (seconds kept, timeouts, samples left out).
    """
    seconds, timeouts, left_out = [], 0, 0
    budget_at = time.perf_counter() + ctx.args.budget
    for update in updates:
        if len(seconds) >= 10 and time.perf_counter() > budget_at:
            break  # keep the run bounded at a large scale
        before()
        row = Rollup.objects.filter(
            indicator_id=update.indicator_id,
            period_id=update.period_id,
            span=Rollup.Span.PERIOD,
            scope=Rollup.Scope.GLOBAL,
        )
        previous = row.values_list("computed_at", flat=True).first()
        started = time.perf_counter()
        update_approve(user=ctx.reviewer, update=update)
        kept = counts()
        while row.values_list("computed_at", flat=True).first() == previous:
            if time.perf_counter() - started > timeout:
                timeouts += 1
                break
            time.sleep(0.005)
        else:
            if kept:
                seconds.append(time.perf_counter() - started)
            else:
                left_out += 1
        # Let the worker finish the notification task before the next approval.
        time.sleep(0.05)
    return seconds, timeouts, left_out


def measure_approval_to_dashboard(ctx: Context) -> dict:
    """Approve, then poll the global Rollup row until the worker's recompute changes it."""
    n = 10 if ctx.quick else 30
    updates = ctx.take_submitted(n)
    with celery_workers(ctx, "approvals") as workers:
        seconds, timeouts, _left_out = approvals_time(ctx, updates, timeout=POLL_TIMEOUT)
        ctx.memory["celery_worker_mb"] = workers.peak_mb(workers.rollup_worker)
    return {
        **summary(seconds),
        "timeouts": timeouts,
        "stopped_by_time_budget": len(seconds) + timeouts < n,
        "workers": workers.plan.workers,
        "note": "update_approve in this process → on commit → Redis → celery worker "
        "(--pool=solo) → rollup_recompute; polled the global Rollup row every 5 ms until its "
        "computed_at changed",
    }


class ExportKeeper:
    """Keep a membership update PDF job running on the workers: start the next when one ends."""

    def __init__(self, ctx: Context):
        periods = ctx.periods()
        self.ctx, self.first, self.last = ctx, periods[0].code, periods[-1].code
        self.job: Job | None = None
        self.finished: list[Job] = []

    def _status(self) -> str | None:
        if self.job is None:
            return None
        return Job.objects.filter(pk=self.job.pk).values_list("status", flat=True).first()

    def ensure_running(self) -> None:
        """Start an export unless one is running; return once a worker has it running."""
        deadline = time.monotonic() + 60
        while (status := self._status()) != Job.Status.RUNNING:
            if status in {None, Job.Status.DONE, Job.Status.FAILED}:
                # None yet, or over (perhaps before we saw it run, at a tiny scale): start one.
                self._finish()
                self.job = membership_update_export_create(
                    user=self.ctx.users["bench-hq"],
                    strategy=self.ctx.strategy,
                    period_from=self.first,
                    period_to=self.last,
                    format="pdf",
                )
                deadline = time.monotonic() + 60
            elif time.monotonic() > deadline:
                raise NotAvailable(f"no worker took the export job {self.job.pk} within 60 s")
            else:
                time.sleep(0.01)

    def running(self) -> bool:
        return self._status() == Job.Status.RUNNING

    def _finish(self) -> None:
        if self.job is None:
            return
        self.job.refresh_from_db()
        if self.job.status == Job.Status.FAILED:
            raise RuntimeError(f"the export job failed: {self.job.error}")
        self.finished.append(self.job)
        self.job = None

    def wait(self, timeout: float) -> None:
        """Wait for the running export to end (so the workers stop cleanly)."""
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        if self._status() in {Job.Status.DONE, Job.Status.FAILED}:
            self._finish()

    def seconds(self) -> list[float]:
        return [
            (job.finished_at - job.started_at).total_seconds()
            for job in self.finished
            if job.status == Job.Status.DONE and job.started_at and job.finished_at
        ]


def measure_approval_during_export(ctx: Context) -> dict:
    """The approval → dashboard measurement while a membership update PDF job (jobs app) runs
    on the workers: on the long queue's worker when routes exist, else on the one worker."""
    n = 10 if ctx.quick else 30
    updates = ctx.take_submitted(n)
    with celery_workers(ctx, "during-export") as workers:
        keeper = ExportKeeper(ctx)
        seconds, timeouts, left_out = approvals_time(
            ctx,
            updates,
            timeout=POLL_TIMEOUT_DURING_EXPORT,
            before=keeper.ensure_running,
            counts=keeper.running,
        )
        keeper.wait(POLL_TIMEOUT_DURING_EXPORT)
        ctx.memory["celery_export_worker_mb"] = workers.peak_mb(workers.export_worker)
        ctx.memory["celery_worker_during_export_mb"] = workers.peak_mb(workers.rollup_worker)
    if not seconds:
        raise NotAvailable(f"no approval overlapped an export ({left_out} finished first)")
    exports = keeper.seconds()
    log(f"  {len(seconds)} approvals during {len(keeper.finished)} PDF export jobs")
    return {
        **summary(seconds),
        "timeouts": timeouts,
        "left_out_export_over_first": left_out,
        "stopped_by_time_budget": len(seconds) + timeouts + left_out < n,
        "workers": workers.plan.workers,
        "export_jobs": len(keeper.finished),
        "export_job_median_s": round(statistics.median(exports), 2) if exports else None,
        "note": "as approval_to_dashboard, each approval made while a membership update PDF "
        "job (membership_update_export_create, whole strategy) was running on a worker; one "
        "kept only if the export was still running just after the approval committed",
    }
