"""Reads of the audit log."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from audit.models import AuditEvent


def audit_events_list(
    *,
    action: str = "",
    who: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the events, newest first, filtered by action, actor or target text, and dates."""
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if who:
        events = events.filter(Q(actor_label__icontains=who) | Q(target__icontains=who))
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events
