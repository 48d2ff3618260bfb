"""The headline rule: which span of figures stands for a range of periods, and which indicators
count in a result's mean and its "n of m". The dashboards and the membership update both read
their figures through it."""

from __future__ import annotations

from django.db.models import QuerySet

from deliverables.models import Indicator
from outcomes.models import Marker, StrategicPriority, Strategy
from reporting.models import ReportingPeriod
from rollups.models import Rollup

Span = Rollup.Span


def range_span(
    *, strategy: Strategy, period_from: ReportingPeriod, period_to: ReportingPeriod
) -> str | None:
    """Return the span whose figures cover exactly the range, or None when no span does.

    Roll-ups hold a quarter, a year to date and the strategy to date, so a range is one
    quarter, from a year's first quarter within that year, or from the strategy's first quarter.
    """
    if period_from.start_date > period_to.start_date:
        return None
    if period_from.pk == period_to.pk:
        return Span.PERIOD
    first = strategy.periods.order_by("start_date").values_list("pk", flat=True).first()
    if period_from.pk == first:
        return Span.STRATEGY_TO_DATE
    if period_from.year == period_to.year and period_from.quarter == 1:
        return Span.YEAR_TO_DATE
    return None


def headline_span(
    *, strategy: Strategy, period_from: ReportingPeriod, period_to: ReportingPeriod
) -> str:
    """Return the span of a range's headline figures: the one covering the range, else the
    strategy to date at the range's end."""
    return (
        range_span(strategy=strategy, period_from=period_from, period_to=period_to)
        or Span.STRATEGY_TO_DATE
    )


def indicator_counts(indicator: Indicator) -> bool:
    """Return whether an indicator counts in results' means and "n of m": an active,
    quantitative one (a qualitative indicator has narratives, not progress)."""
    return indicator.is_active and indicator.measure != Indicator.Measure.QUALITATIVE


def headline_indicators(
    *,
    strategy: Strategy,
    marker: Marker | None = None,
    priority: StrategicPriority | None = None,
) -> QuerySet[Indicator]:
    """Return the strategy's indicators that count (`indicator_counts`), narrowed to a marker's
    and a strategic priority's; through a pk subquery, so later joins are not doubled."""
    qs = Indicator.objects.filter(strategy=strategy, is_active=True).exclude(
        measure=Indicator.Measure.QUALITATIVE
    )
    if marker is not None:
        qs = qs.filter(markers=marker)
    if priority is not None:
        qs = qs.filter(priorities=priority)
    return Indicator.objects.filter(pk__in=qs.values("pk"))
