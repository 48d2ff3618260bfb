"""An indicator's drill-down: its headline figure (global, a region's or an office's own), a
trend over the range, each region's and office's figure within the viewer's scope with its
share of the global figure, and the map of its country offices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dashboards.selectors.figures import IndicatorFigure, headline, reported_in_period
from dashboards.selectors.filters import DashboardFilters
from dashboards.selectors.maps import map_indicator
from deliverables.models import Assignment, Indicator
from offices.models import Office, Region
from offices.permissions import offices_visible
from rollups.models import Rollup
from rollups.selectors import Figure, offices_expected, rollup_figures
from rollups.wording import count_text, period_mark, value_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Scope, Span = Rollup.Scope, Rollup.Span
Measure = Indicator.Measure
TREND_SPANS = (Span.PERIOD, Span.YEAR_TO_DATE, Span.STRATEGY_TO_DATE)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def value_axis_label(indicator: Indicator) -> str:
    """Return what a chart of the indicator plots, in its unit."""
    if indicator.measure == Measure.YES_NO:
        return _("% of reporting offices answering yes")
    if indicator.measure == Measure.ORDINAL:
        return _("% of reporting offices at or above the target level")
    if indicator.measure == Measure.PERCENTAGE:
        return _("%")
    return indicator.unit or _("Number")


def indicator_trend(
    *,
    filters: DashboardFilters,
    indicator: Indicator,
    span: str = Span.PERIOD,
    region: Region | None = None,
    office: Office | None = None,
) -> dict[str, Any]:
    """Return chart data and table rows: the figure in its unit (a share for yes/no and
    ordinal measures), provisional and target in the same unit per period of the range, for
    one scope (global, a region or an office) and span (one query). Periods still open are
    marked (`open`: the chart draws their points hollow)."""
    scope = Scope.OFFICE if office else Scope.REGION if region else Scope.GLOBAL
    figures = {
        f.period_id: f
        for f in rollup_figures(
            indicators=[indicator],
            windows={span: filters.periods},
            scope=scope,
            region=None if office else region,
            office=office,
        )
    }
    table = [{"period": p, "row": figures.get(p.pk)} for p in filters.periods]
    datasets = [
        {
            "label": _("Actual (approved)"),
            "data": [_number(t["row"] and t["row"].value) for t in table],
        }
    ]
    if indicator.measure in (Measure.NUMBER, Measure.PERCENTAGE):
        datasets.append(
            {
                "label": _("Provisional (incl. submitted)"),
                "data": [_number(t["row"] and t["row"].provisional_actual) for t in table],
                "dashed": True,
            }
        )
    datasets.append(
        {
            "label": _("Target"),
            "data": [_number(t["row"] and t["row"].target_value) for t in table],
            "dashed": True,
        }
    )
    return {
        "table": table,
        "chart": {
            "type": "line",
            "labels": [p.code for p in filters.periods],
            "datasets": datasets,
            "open": [p.state == p.State.OPEN for p in filters.periods],
            "openLabel": _("open: offices still reporting"),
            "yLabel": value_axis_label(indicator),
            "percent": indicator.measure != Measure.NUMBER,
        },
    }


def _share(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """Return part / whole in percent, None without both."""
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def _shares(row: Figure | None, total: Figure | None) -> dict[str, Decimal | None]:
    """Return a region's or office's share of the global actual (a number's sum, a
    percentage's denominator, the offices answering yes or at the level) and of the global
    reporting offices."""
    if row is None or total is None:
        return {"of_actual": None, "of_offices": None}
    if row.measure == Measure.NUMBER:
        part, whole = row.actual, total.actual
    else:
        part, whole = row.numerator, total.numerator
    return {
        "of_actual": _share(part, whole),
        "of_offices": _share(row.offices_count, total.offices_count),
    }


@dataclass(frozen=True)
class IndicatorDetail:
    indicator: Indicator
    headline: IndicatorFigure
    trend: dict[str, Any]
    span: str
    regions: list[dict[str, Any]]
    offices: list[dict[str, Any]]
    office: Office | None
    as_of: dt.datetime | None
    global_headline: Figure | None = None
    map: dict[str, Any] = field(default_factory=dict)


def dashboard_indicator(
    *,
    user: AbstractBaseUser,
    filters: DashboardFilters,
    indicator: Indicator,
    span: str = Span.PERIOD,
    office_code: str = "",
) -> IndicatorDetail:
    """Return an indicator's drill-down: the headline figure (global, the chosen region's or
    the chosen office's own), the trend of the same scope, each region's figure (regions in
    the viewer's scope) and each office's (offices in the viewer's scope, within the chosen
    region), with their shares of the global figure."""
    one = [indicator]
    expected = offices_expected(indicator_ids=[indicator.pk])
    found_global = headline(filters=filters, indicators=one, scope=Scope.GLOBAL)
    total = found_global[0] if found_global else None

    by_region = {
        f.region_id: f for f in headline(filters=filters, indicators=one, scope=Scope.REGION)
    }
    regions = [
        _drill_row(by_region.get(r.pk), total, indicator, expected.get((indicator.pk, r.pk), 0))
        | {"region": r}
        for r in filters.regions
    ]

    visible = offices_visible(user).filter(is_active=True)
    if filters.region:
        visible = visible.filter(region=filters.region)
    assigned = (
        Assignment.objects.filter(indicator=indicator, office__in=visible.values("pk"))
        .select_related("office__region")
        .order_by("office__region__city", "office__name")
    )
    by_office = {
        f.office_id: f
        for f in headline(
            filters=filters, indicators=one, scope=Scope.OFFICE, offices=visible.values("pk")
        )
    }
    offices = [
        _drill_row(by_office.get(a.office_id), total, indicator, 1) | {"office": a.office}
        for a in assigned
    ]

    office = None
    if office_code:
        office = next((o["office"] for o in offices if o["office"].code == office_code), None)
        if office is None:
            raise PermissionDenied(_("This office is outside your scope."))
    reported = reported_in_period(filters=filters, indicators=one).get(indicator.pk)
    if reported is None and filters.period_open and filters.span != Span.PERIOD:
        reported = 0
    if office is not None:
        figure = IndicatorFigure(indicator=indicator, row=by_office.get(office.pk), expected=1)
    elif filters.region:
        figure = IndicatorFigure(
            indicator=indicator,
            row=by_region.get(filters.region.pk),
            expected=expected.get((indicator.pk, filters.region.pk), 0),
            reported=reported,
        )
    else:
        figure = IndicatorFigure(
            indicator=indicator,
            row=total,
            expected=expected.get((indicator.pk, None), 0),
            reported=reported,
        )
    span = span if span in TREND_SPANS else Span.PERIOD
    trend = indicator_trend(
        filters=filters, indicator=indicator, span=span, region=filters.region, office=office
    )
    return IndicatorDetail(
        indicator=indicator,
        headline=figure,
        trend=trend,
        span=span,
        regions=regions,
        offices=offices,
        office=office,
        as_of=figure.row.computed_at if figure.row else None,
        global_headline=total,
        map=map_indicator(
            user=user,
            figures=by_office,
            assigned={a.office_id for a in assigned},
            values={o["office"].pk: o["value"] for o in offices},
            title=_("%(code)s by country office: each office's own figure and band")
            % {"code": indicator.code},
            region=filters.region,
        ),
    )


def _drill_row(
    row: Figure | None, total: Figure | None, indicator: Indicator, expected: int
) -> dict[str, Any]:
    return {
        "row": row,
        "value": value_text(row, indicator=indicator),
        "count": count_text(row, indicator=indicator),
        "mark": period_mark(row, expected=expected),
        "expected": expected,
        **_shares(row, total),
    }
