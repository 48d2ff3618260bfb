"""An indicator's drill-down: its headline figure, a trend over the range, and each region's and
office's figure within the viewer's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dashboards.selectors.figures import IndicatorFigure, headline
from dashboards.selectors.filters import DashboardFilters
from deliverables.models import Assignment, Indicator
from offices.models import Office, Region
from offices.permissions import offices_visible
from rollups.models import Rollup
from rollups.selectors import rollup_figures

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Scope, Span = Rollup.Scope, Rollup.Span
TREND_SPANS = (Span.PERIOD, Span.YEAR_TO_DATE, Span.STRATEGY_TO_DATE)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicator_trend(
    *,
    filters: DashboardFilters,
    indicator: Indicator,
    span: str = Span.PERIOD,
    region: Region | None = None,
    office: Office | None = None,
) -> dict[str, Any]:
    """Return chart data and table rows: actual, provisional and target per period of the
    range, for one scope (global, a region or an office) and span (one query)."""
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
    return {
        "table": table,
        "chart": {
            "type": "line",
            "labels": [p.code for p in filters.periods],
            "datasets": [
                {
                    "label": _("Actual (approved)"),
                    "data": [_number(t["row"] and t["row"].actual) for t in table],
                },
                {
                    "label": _("Provisional (incl. submitted)"),
                    "data": [_number(t["row"] and t["row"].provisional_actual) for t in table],
                    "dashed": True,
                },
                {
                    "label": _("Target"),
                    "data": [_number(t["row"] and t["row"].target) for t in table],
                    "dashed": True,
                },
            ],
        },
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


def dashboard_indicator(
    *,
    user: AbstractBaseUser,
    filters: DashboardFilters,
    indicator: Indicator,
    span: str = Span.PERIOD,
    office_code: str = "",
) -> IndicatorDetail:
    """Return an indicator's drill-down: the headline figure (global, or the chosen region's),
    the trend, each region's figure (regions in the viewer's scope) and each office's
    (offices in the viewer's scope, within the chosen region)."""
    one = [indicator]
    found = headline(filters=filters, indicators=one)
    figure = IndicatorFigure(indicator=indicator, row=found[0] if found else None)

    by_region = {
        f.region_id: f for f in headline(filters=filters, indicators=one, scope=Scope.REGION)
    }
    regions = [{"region": r, "row": by_region.get(r.pk)} for r in filters.regions]

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
    offices = [{"office": a.office, "row": by_office.get(a.office_id)} for a in assigned]

    office = None
    if office_code:
        office = next((o["office"] for o in offices if o["office"].code == office_code), None)
        if office is None:
            raise PermissionDenied(_("This office is outside your scope."))
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
    )
