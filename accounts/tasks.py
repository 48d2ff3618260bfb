"""Celery tasks of the accounts app (thin: each calls one service)."""

from celery import shared_task
from django.conf import settings

from accounts.services import users_deactivate_stale


@shared_task
def users_deactivate_stale_task() -> int:
    """Nightly: deactivate people not seen for STALE_USER_DAYS days (0 turns it off)."""
    if not settings.STALE_USER_DAYS:
        return 0
    return len(users_deactivate_stale(days=settings.STALE_USER_DAYS))
