"""Reads for the review queue: updates waiting for (or sent back by) the reviewer, with what a
reviewer weighs them against (the previous period's value, this year's target, the change)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from deliverables.models import IndicatorTarget
from offices.permissions import offices_for_review
from reporting.models import IndicatorUpdate
from reporting.selectors.updates import previous_value_subquery

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from deliverables.models import Deliverable
    from offices.models import Office
    from outcomes.models import InstitutionalOutput
    from reporting.models import ReportingPeriod

QUEUE_ORDER = ("submitted_at", "period__start_date", "office__name", "indicator__code", "pk")


def _target_subquery(office: bool) -> Subquery:
    targets = IndicatorTarget.objects.filter(
        indicator_id=OuterRef("indicator_id"), year=OuterRef("period__year")
    )
    targets = (
        targets.filter(office_id=OuterRef("office_id"))
        if office
        else targets.filter(office__isnull=True)
    )
    return Subquery(targets.values("value")[:1])


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
    narrowed by office, period and deliverable or institutional output. Each carries
    `previous_value` and `target` (the office's own for the period's year, else the global)."""
    updates = IndicatorUpdate.objects.filter(office__in=offices_for_review(user), status=status)
    if office is not None:
        updates = updates.filter(office=office)
    if period is not None:
        updates = updates.filter(period=period)
    if deliverable is not None:
        updates = updates.filter(indicator__deliverable=deliverable)
    if output is not None:
        updates = updates.filter(indicator__output=output)
    return (
        updates.select_related(
            "indicator__deliverable__outcome",
            "indicator__output",
            "office",
            "period",
            "submitted_by",
            "reviewed_by",
        )
        .annotate(
            previous_value=previous_value_subquery(),
            target=Coalesce(_target_subquery(office=True), _target_subquery(office=False)),
        )
        .order_by(*QUEUE_ORDER)
    )


def review_queue_next(*, user: AbstractBaseUser, after: IndicatorUpdate) -> IndicatorUpdate | None:
    """Return the update waiting for this reviewer after `after` in the queue's order (the
    first one again at the end of the queue), or None when nothing else waits."""
    waiting = review_queue(user=user).exclude(pk=after.pk)
    if after.submitted_at is not None:
        later = waiting.filter(
            Q(submitted_at__gt=after.submitted_at)
            | Q(submitted_at=after.submitted_at, pk__gt=after.pk)
        ).first()
        if later is not None:
            return later
    return waiting.first()
