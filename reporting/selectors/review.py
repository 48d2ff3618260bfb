"""Reads for the review queue: updates waiting for (or sent back by) the reviewer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from offices.permissions import offices_for_review
from reporting.models import IndicatorUpdate

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from deliverables.models import Deliverable
    from offices.models import Office
    from outcomes.models import InstitutionalOutput
    from reporting.models import ReportingPeriod


def review_queue(
    *,
    user: AbstractBaseUser,
    status: str = IndicatorUpdate.Status.SUBMITTED,
    office: Office | None = None,
    period: ReportingPeriod | None = None,
    deliverable: Deliverable | None = None,
    output: InstitutionalOutput | None = None,
) -> QuerySet[IndicatorUpdate]:
    """Return the updates in the user's review scope with this status, oldest submission first,
    narrowed by office, period and deliverable or institutional output."""
    updates = IndicatorUpdate.objects.filter(office__in=offices_for_review(user), status=status)
    if office is not None:
        updates = updates.filter(office=office)
    if period is not None:
        updates = updates.filter(period=period)
    if deliverable is not None:
        updates = updates.filter(indicator__deliverable=deliverable)
    if output is not None:
        updates = updates.filter(indicator__output=output)
    return updates.select_related(
        "indicator__deliverable__outcome",
        "indicator__output",
        "office",
        "period",
        "submitted_by",
        "reviewed_by",
    ).order_by("submitted_at", "period__start_date", "office__name", "indicator__code", "pk")
