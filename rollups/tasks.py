"""Celery tasks of the roll-ups: thin wrappers that re-fetch by id and call one service."""

from celery import shared_task
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.runner import job_run
from rollups.services import rollup_recompute_by_ids


@shared_task(acks_late=True, retry_backoff=True, max_retries=5)
def rollup_recompute_task(
    indicator_id: int, period_id: int | None = None, office_id: int | None = None
) -> None:
    """Recompute the roll-ups a change touched: an office's update in a period (its bucket's
    windows), or a whole indicator (no period: its targets, baseline or assignments moved)."""
    rollup_recompute_by_ids(indicator_id=indicator_id, period_id=period_id, office_id=office_id)


@shared_task(acks_late=True)
def rollup_rebuild_nightly_task() -> str:
    """Celery beat's nightly rebuild: create a Job and rebuild (numbers identical by design)."""
    job = Job.objects.create(kind=Job.Kind.ROLLUP_REBUILD, message=_("Nightly rebuild"))
    return job_run(job=job).status
