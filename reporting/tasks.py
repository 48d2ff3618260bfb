"""Celery tasks of the reporting app: thin wrappers that re-fetch by id and call one service."""

from celery import shared_task

from reporting.models import IndicatorUpdate


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notification_send_task(kind: str, update_id: int) -> int:
    from reporting.services.notifications import notification_send

    update = (
        IndicatorUpdate.objects.select_related("indicator", "office", "period", "submitted_by")
        .filter(pk=update_id)
        .first()
    )
    if update is None:
        return 0
    return notification_send(kind=kind, update=update)


@shared_task(acks_late=True, retry_backoff=True, max_retries=5)
def rollup_recompute_task(indicator_id: int, period_id: int) -> None:
    """Recompute the roll-ups an approval (or return, reopen, submission) touched."""
    from reporting.services import rollups

    rollups.rollup_recompute_by_ids(indicator_id=indicator_id, period_id=period_id)


@shared_task(acks_late=True)
def membership_update_export_task(job_id: int) -> str:
    """Make a membership update file; the service records progress, the file and any failure.

    Failures are not retried automatically (a bad range fails the same way twice); the page
    shows the message and offers a retry.
    """
    from reporting.models import Job
    from reporting.services.exports.jobs import membership_update_export

    job = Job.objects.filter(pk=job_id, kind=Job.Kind.MEMBERSHIP_UPDATE).first()
    if job is None or job.status == Job.Status.DONE:
        return "skipped"  # deleted, or already made (a redelivered message)
    return membership_update_export(job=job).status


@shared_task(acks_late=True)
def rollup_rebuild_task(job_id: int) -> str:
    """Rebuild every roll-up for a Job (kind rollup_rebuild), recording progress and failure.

    `job.params` may hold {"strategy_id": …} to rebuild one strategy only.
    """
    from reporting.services.rollups import rollup_rebuild_job

    return rollup_rebuild_job(job_id=job_id)


@shared_task(acks_late=True)
def rollup_rebuild_nightly_task() -> str:
    """Celery beat's nightly rebuild: create a Job and rebuild (numbers identical by design)."""
    from reporting.models import Job
    from reporting.services.rollups import rollup_rebuild_job

    job = Job.objects.create(kind=Job.Kind.ROLLUP_REBUILD, message="Nightly rebuild")
    return rollup_rebuild_job(job_id=job.pk)
