"""Celery tasks of the reporting app: thin wrappers that re-fetch by id and call one service."""

import datetime as dt

from celery import shared_task

from reporting.models import IndicatorUpdate
from reporting.services.notifications import notification_digest_send, notification_send
from reporting.services.reminders import deadline_reminders_send, review_digests_send


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


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notification_digest_task(kind: str, update_ids: list[int]) -> int:
    updates = list(
        IndicatorUpdate.objects.select_related("indicator", "office", "period", "submitted_by")
        .filter(pk__in=update_ids)
        .order_by("office__name", "period__start_date", "indicator__code")
    )
    return notification_digest_send(kind=kind, updates=updates)


def _day(today: str | None) -> dt.date | None:
    return dt.date.fromisoformat(today) if today else None


@shared_task
def deadline_reminders_task(today: str | None = None) -> int:
    """Daily (beat): field staff hear of what is not yet submitted before a deadline.
    `today` (ISO date) replays a given day; by default the site's today."""
    return deadline_reminders_send(today=_day(today))


@shared_task
def review_digests_task(today: str | None = None) -> int:
    """Daily (beat): reviewers get the updates that have waited too long for them."""
    return review_digests_send(today=_day(today))
