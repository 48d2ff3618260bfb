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
