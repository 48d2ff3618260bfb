"""Reads of the roll-up table for dashboards, exports and the API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import F, Max, QuerySet, Value
from django.db.models.functions import Greatest, Least

from deliverables.models import Indicator
from offices.models import Office, Region
from reporting.models import ReportingPeriod
from rollups.models import Rollup
from rollups.services import statement_params
from rollups.services.sql import OUTPUT_COLUMNS, office_rows_sql

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
) -> QuerySet[Rollup] | list[Rollup]:
    """Return roll-up rows of one span and scope, ordered by indicator code and period.

    Region rows of `region`, office rows of `office` (or, with `region`, of its offices: those
    are computed from the offices' updates, `office_figures`).
    """
    if scope == Scope.OFFICE:
        offices = [office] if office else Office.objects.filter(region=region).order_by("name")
        figures = office_figures(
            indicators=[indicator] if indicator else (indicators or []),
            offices=offices,
            periods=[period] if period else (periods or []),
            spans=[span],
        )
        names = {o.pk: o for o in offices}
        for row in figures:
            row.office = names[row.office_id]
        return sorted(figures, key=lambda r: (r.indicator_id, r.period_id, r.office.name))
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


def office_figures(
    *,
    indicators: Iterable[Indicator],
    offices: Iterable[Office],
    periods: Iterable[ReportingPeriod],
    spans: Iterable[str] = (Span.PERIOD, Span.YEAR_TO_DATE, Span.STRATEGY_TO_DATE),
) -> list[Rollup]:
    """Return the offices' own figures (unsaved Rollup rows of scope "office") for these
    indicators, periods and spans, computed from their updates by the roll-ups' own statement
    (an office is never stored). A row exists where the office has an approved or submitted
    figure in the window. One query."""
    indicator_ids = sorted({i.pk for i in indicators})
    office_ids = sorted({o.pk for o in offices})
    period_ids = sorted({p.pk for p in periods})
    spans = sorted(set(spans))
    if not (indicator_ids and office_ids and period_ids and spans):
        return []
    params: dict[str, object] = {}

    def placeholders(prefix: str, values: list) -> str:
        names = []
        for n, value in enumerate(values):
            params[f"{prefix}{n}"] = value
            names.append(f"%({prefix}{n})s")
        return ", ".join(names)

    ind_filter = "{col} IN (" + placeholders("i", indicator_ids).replace("%", "%%") + ")"
    ind_filter = ind_filter.replace("%%", "%")
    sql = office_rows_sql(
        vendor=connection.vendor,
        ind_filter=ind_filter,
        win_filter=(
            f"per.per_id IN ({placeholders('p', period_ids)})"
            f" AND spans.span IN ({placeholders('s', spans)})"
        ),
        office_filter="{col} IN (" + placeholders("o", office_ids) + ")",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, statement_params(params))
        rows = cursor.fetchall()
    fields = [Rollup._meta.get_field(_field_name(c)) for c in OUTPUT_COLUMNS]
    figures = []
    for values in rows:
        row = Rollup()
        for model_field, value in zip(fields, values, strict=True):
            setattr(row, model_field.attname, model_field.to_python(_from_db(model_field, value)))
        figures.append(row)
    return figures


def _field_name(column: str) -> str:
    return column[: -len("_id")] if column.endswith("_id") else column


def _from_db(model_field, value):
    """Values as the database returns them: JSON text on SQLite, REAL for decimals."""
    if value is None:
        return None
    if model_field.get_internal_type() == "JSONField" and isinstance(value, str):
        return json.loads(value)
    if model_field.get_internal_type() == "DecimalField" and isinstance(value, float):
        return Decimal(str(round(value, 4)))
    return value
