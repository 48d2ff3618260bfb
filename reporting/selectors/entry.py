"""Reads for the data entry page ("My reporting"): which periods an office may report on, and
every assigned indicator with what a person entering its figure needs to see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office
from offices.permissions import offices_for_entry
from reporting.models import IndicatorUpdate, ReportingPeriod, UpdateEvidence
from reporting.selectors.updates import updates_reported_before

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Status = IndicatorUpdate.Status
State = ReportingPeriod.State


@dataclass
class EntryRow:
    """One assigned indicator on the entry page, with its update for the period (if any)."""

    indicator: Indicator
    update: IndicatorUpdate | None
    target: Decimal | None
    target_is_office: bool
    previous_value: Decimal | None
    evidence: list[UpdateEvidence] = field(default_factory=list)


def entry_offices(*, user: AbstractBaseUser) -> QuerySet[Office]:
    """Return the offices the user may enter updates for, in name order."""
    return offices_for_entry(user).select_related("region").order_by("name")


def entry_period_default(*, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """Return the latest open period of the list (newest first), else the latest of any."""
    for period in periods:
        if period.state == State.OPEN:
            return period
    return periods[0] if periods else None


def entry_rows(*, office: Office, period: ReportingPeriod) -> list[EntryRow]:
    """Return every indicator assigned to the office, in code order, with its target for the
    period's year (the office's own if set, else the global one), its update and evidence for
    the period, and its previous reported value.

    Runs a fixed number of queries (four) whatever the number of indicators or of periods
    of history.
    """
    previous = (
        updates_reported_before(office=office, period=period)
        .filter(indicator_id=OuterRef("indicator_id"))
        .order_by("-period__start_date")
        .values("value")[:1]
    )
    assignments = list(
        Assignment.objects.filter(
            office=office,
            is_active=True,
            indicator__is_active=True,
            indicator__strategy_id=period.strategy_id,
        )
        .select_related("indicator")
        .annotate(previous_value=Subquery(previous))
        .order_by("indicator__code")
    )
    indicator_ids = [a.indicator_id for a in assignments]
    targets: dict[int, tuple[Decimal, bool]] = {}
    for target in IndicatorTarget.objects.filter(
        Q(office__isnull=True) | Q(office=office), indicator_id__in=indicator_ids, year=period.year
    ).order_by("office_id"):
        # The office's own target wins over the global one.
        if target.office_id or target.indicator_id not in targets:
            targets[target.indicator_id] = (target.value, bool(target.office_id))
    updates = {
        u.indicator_id: u
        for u in IndicatorUpdate.objects.filter(
            office=office, period=period, indicator_id__in=indicator_ids
        ).prefetch_related("evidence")
    }
    rows = []
    for assignment in assignments:
        indicator = assignment.indicator
        update = updates.get(indicator.pk)
        if update is not None:
            # Spare the template a query per row for what it already has.
            update.indicator, update.office, update.period = indicator, office, period
        target, is_office = targets.get(indicator.pk, (None, False))
        rows.append(
            EntryRow(
                indicator=indicator,
                update=update,
                target=target,
                target_is_office=is_office,
                previous_value=assignment.previous_value,
                evidence=list(update.evidence.all()) if update else [],
            )
        )
    return rows
