"""Reads of the roll-up table for dashboards, exports and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, Max, QuerySet, Value
from django.db.models.functions import Greatest, Least

from deliverables.models import Indicator
from offices.models import Office, Region
from reporting.models import ReportingPeriod
from rollups.models import Rollup

Scope, Span = Rollup.Scope, Rollup.Span

# A result's (deliverable's, output's, outcome's, marker's, region's) progress is the mean of its
# indicators' progress, each counted between 0% and 100%: one indicator far past its target must
# not hide another that is off track. An indicator's own progress is never capped.
PROGRESS_FLOOR, PROGRESS_CAP = Decimal(0), Decimal(1)


def progress_for_mean():
    """Return the database expression of one indicator's share in a result's mean progress."""
    return Least(Greatest(F("progress"), Value(PROGRESS_FLOOR)), Value(PROGRESS_CAP))


def progress_mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """Return the mean of these indicators' progress as `progress_for_mean` counts it in SQL."""
    counted = [min(max(v, PROGRESS_FLOOR), PROGRESS_CAP) for v in values if v is not None]
    return sum(counted, Decimal(0)) / len(counted) if counted else None


def rollup_rows(
    *,
    indicator: Indicator | None = None,
    indicators: Iterable[Indicator] | None = None,
    period: ReportingPeriod | None = None,
    periods: Iterable[ReportingPeriod] | None = None,
    span: str = Span.PERIOD,
    scope: str = Scope.GLOBAL,
    region: Region | None = None,
    office: Office | None = None,
) -> QuerySet[Rollup]:
    """Return roll-up rows of one span and scope, ordered by indicator code and period.

    Region rows of `region`, office rows of `office` (or, with `region`, of its offices).
    """
    rows = Rollup.objects.filter(span=span, scope=scope).select_related(
        "indicator", "period", "region", "office"
    )
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    if indicators is not None:
        rows = rows.filter(indicator__in=list(indicators))
    if period is not None:
        rows = rows.filter(period=period)
    if periods is not None:
        rows = rows.filter(period__in=list(periods))
    if region is not None:
        rows = rows.filter(region=region)
    if office is not None:
        rows = rows.filter(office=office)
    return rows.order_by("indicator__code", "period__start_date", "region__city", "office__name")


def rollup_get(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    span: str = Span.PERIOD,
    region: Region | None = None,
    office: Office | None = None,
) -> Rollup | None:
    """Return the one row of an indicator and period: the office's, the region's or global."""
    scope = Scope.OFFICE if office else Scope.REGION if region else Scope.GLOBAL
    rows = Rollup.objects.filter(indicator=indicator, period=period, span=span, scope=scope)
    if office is not None:
        rows = rows.filter(office=office)
    elif region is not None:
        rows = rows.filter(region=region)
    return rows.select_related("indicator", "period").first()


def rollup_series(
    *,
    indicator: Indicator,
    span: str = Span.PERIOD,
    region: Region | None = None,
    office: Office | None = None,
) -> QuerySet[Rollup]:
    """Return an indicator's rows over the periods, oldest first (a trend chart's data)."""
    scope = Scope.OFFICE if office else Scope.REGION if region else Scope.GLOBAL
    rows = Rollup.objects.filter(indicator=indicator, span=span, scope=scope)
    if office is not None:
        rows = rows.filter(office=office)
    elif region is not None:
        rows = rows.filter(region=region)
    return rows.select_related("period").order_by("period__start_date")


def rollups_computed_at(*, indicators: Iterable[Indicator] | None = None) -> dt.datetime | None:
    """Return when the newest of these indicators' roll-ups was computed ("data as of")."""
    rows = Rollup.objects.all()
    if indicators is not None:
        rows = rows.filter(indicator__in=list(indicators))
    return rows.aggregate(at=Max("computed_at"))["at"]
