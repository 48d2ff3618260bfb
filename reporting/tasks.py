"""Celery tasks of the reporting app: thin wrappers that re-fetch by id and call one service."""

from celery import shared_task

from reporting.models import IndicatorUpdate
from reporting.services.notifications import notification_send


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notification_send_task(kind: str, update_id: int) -> int:
    update = (
        IndicatorUpdate.objects.select_related("indicator", "office", "period", "submitted_by")
        .filter(pk=update_id)
        .first()
    )
    if update is None:
        return 0
    return notification_send(kind=kind, update=update)


@shared_task
def evidence_orphans_remove_task() -> int:
    """Beat, nightly: remove evidence files whose row was never saved."""
    from reporting.services.evidence import evidence_orphans_remove

    return evidence_orphans_remove()
