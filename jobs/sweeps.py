"""The stale-job sweeper (beat runs it every minute): no job stays "running" or "queued" for
ever when its worker was killed or no worker ever took it."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import Job, OutboxTask

logger = logging.getLogger(__name__)

JOB_TASK = "jobs.tasks.job_run_task"  # the task that runs a job, as kept in the outbox


def jobs_sweep_stale(*, now: dt.datetime | None = None) -> int:
    """Fail the jobs nobody is working on any more, so none stays "running" or "queued" for
    ever: running with no progress for JOB_STALE_SECONDS (its worker was killed or restarted
    mid-job), or queued for JOB_QUEUED_MAX_SECONDS and not waiting in the outbox for the
    broker. The page then offers a retry. Return how many were failed."""
    now = now or timezone.now()
    running_before = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    queued_before = now - dt.timedelta(seconds=settings.JOB_QUEUED_MAX_SECONDS)
    waiting = {
        row.args[0]
        for row in OutboxTask.objects.filter(task=JOB_TASK)
        if row.args and isinstance(row.args[0], int)
    }
    stale = Job.objects.filter(
        Q(status=Job.Status.RUNNING, updated_at__lt=running_before)
        | Q(status=Job.Status.QUEUED, updated_at__lt=queued_before)
    ).exclude(pk__in=waiting)
    failed = 0
    for job in stale:
        was_running = job.status == Job.Status.RUNNING
        # Only if it is still in that state (a worker may have just finished it).
        changed = Job.objects.filter(
            pk=job.pk, status=job.status, updated_at=job.updated_at
        ).update(
            status=Job.Status.FAILED,
            message=_("Failed"),
            error=(
                _(
                    "The background worker stopped while making this (it was restarted or ran "
                    "out of memory). Retry it."
                )
                if was_running
                else _("No background worker picked this up in time. Retry it.")
            ),
            finished_at=now,
            updated_at=now,
        )
        if changed:
            logger.warning(
                "Job %s (%s) marked failed: stale while %s", job.pk, job.kind, job.status
            )
            failed += changed
    return failed
