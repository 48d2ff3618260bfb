"""Reads behind the Excel round-trip: an office's assigned indicators with what it reported."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.updates import updates_reported_before


@dataclass
class OfficeIndicatorRow:
    """One assigned indicator of an office in a period, with the context a reporter needs."""

    indicator: Indicator
    update: IndicatorUpdate | None
    target: Decimal | None
    previous_value: Decimal | None


def office_indicators_for_period(
    *, office: Office, period: ReportingPeriod, with_context: bool = True
) -> list[OfficeIndicatorRow]:
    """Return the indicators assigned to the office (active, of the period's strategy), by code.

    Each row carries the office's update for the period (or None), this year's target (the
    office's own when it has one, otherwise the global one) and the latest value reported in an
    earlier period. A fixed number of queries however many indicators; without `with_context`
    the target and previous value are left empty.
    """
    indicators = Indicator.objects.filter(
        pk__in=Assignment.objects.filter(office=office, is_active=True).values("indicator"),
        strategy_id=period.strategy_id,
        is_active=True,
    ).order_by("code")
    if with_context:
        previous = (
            updates_reported_before(office=office, period=period)
            .filter(indicator=OuterRef("pk"))
            .order_by("-period__start_date")
            .values("value")[:1]
        )
        indicators = indicators.annotate(previous_value=Subquery(previous))
    indicators = list(indicators)
    updates = {
        u.indicator_id: u
        for u in IndicatorUpdate.objects.filter(
            office=office, period=period, indicator__in=indicators
        )
    }
    targets: dict[int, Decimal] = {}
    if with_context:
        # Global targets first, so an office's own target replaces the global one.
        for target in IndicatorTarget.objects.filter(
            indicator__in=indicators, year=period.year
        ).order_by("office_id"):
            if target.office_id is None or target.office_id == office.pk:
                if target.office_id is None and target.indicator_id in targets:
                    continue
                targets[target.indicator_id] = target.value
    return [
        OfficeIndicatorRow(
            indicator=indicator,
            update=updates.get(indicator.pk),
            target=targets.get(indicator.pk),
            previous_value=getattr(indicator, "previous_value", None),
        )
        for indicator in indicators
    ]
