"""Who benefits: an indicator's breakdown by sex, age and population group for the page's span
and scope (global, a region, an office), its trend over the range, and its coverage; and the
marker pages' lead (the share of women and girls; population groups and age). Every figure is
read through rollups.selectors.breakdown_figures, which the membership update reads too.

Where some updates gave no breakdown, the part they leave out is shown as "not broken down",
never folded into the categories: the covered part is not presented as the whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from dashboards.selectors.figures import indicators_filtered
from dashboards.selectors.filters import DashboardFilters
from deliverables.models import Indicator
from offices.models import Office, Region
from outcomes.models import Marker
from rollups.models import BREAKDOWN_DIMENSIONS, Rollup
from rollups.selectors import (
    Breakdown,
    DimensionBreakdown,
    Part,
    breakdown_figures,
    breakdown_indicators,
    category_labels,
    dimension_label,
)

Scope, Span = Rollup.Scope, Rollup.Span

# What each marker's page leads with: the dimensions (and the category for a headline share).
MARKER_LEADS: dict[str, tuple[str, ...]] = {
    "gender": ("sex",),
    "inequalities": ("population", "age"),
}
GREY = "#6c757d"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else value * 100


@dataclass(frozen=True)
class PartRow:
    """A category's figure with its share of what was broken down and of the whole figure."""

    label: str
    value: Decimal | None
    share_of_covered: Decimal | None  # percent
    share_of_total: Decimal | None  # percent


@dataclass(frozen=True)
class RegionShare:
    """A region's breakdown in one dimension (None: the region has no figure)."""

    region: Region
    dim: DimensionBreakdown | None
    rows: list[PartRow]


@dataclass(frozen=True)
class DimensionSection:
    """One dimension's section on an indicator page: the table, two charts, the coverage, and
    (on the global page) each region's own breakdown."""

    dim: DimensionBreakdown
    rows: list[PartRow]
    composition_chart: dict[str, Any]
    trend_chart: dict[str, Any]
    trend_table: list[dict[str, Any]]
    regions: list[RegionShare] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.dim.dimension

    @property
    def covered_percent(self) -> Decimal | None:
        return _percent(self.dim.covered_share)

    @property
    def uncovered_percent(self) -> Decimal | None:
        if not self.dim.total or self.dim.uncovered is None:
            return None
        return self.dim.uncovered / self.dim.total * 100

    @property
    def uncovered_updates(self) -> int:
        return max(self.dim.updates - self.dim.covered_updates, 0)


@dataclass(frozen=True)
class IndicatorBreakdowns:
    """An indicator's breakdowns section: one DimensionSection per dimension it asks for."""

    indicator: Indicator
    scope: str
    where: str  # "global", the region's or the office's name
    span: str  # the trend's span
    sections: list[DimensionSection] = field(default_factory=list)
    has_figure: bool = False

    @property
    def ratio(self) -> bool:
        return self.indicator.measure == Indicator.Measure.PERCENTAGE

    @property
    def trend_label(self) -> str:
        """Return what each period's bar of the trend covers."""
        return {
            Span.PERIOD: _("each quarter's own figure"),
            Span.YEAR_TO_DATE: _("year to date at each quarter"),
            Span.STRATEGY_TO_DATE: _("strategy to date at each quarter"),
        }[self.span]


def _rows(dim: DimensionBreakdown) -> list[PartRow]:
    return [
        PartRow(
            label=p.label,
            value=p.value,
            share_of_covered=_percent(p.share_of(dim.covered_total)),
            share_of_total=_percent(p.share_of(dim.total)),
        )
        for p in dim.parts
    ]


def _datasets(dims: list[DimensionBreakdown | None], template: DimensionBreakdown) -> list[dict]:
    """Stacked datasets, one per category and one for what was not broken down (grey)."""
    out = [
        {
            "label": part.label,
            "data": [_number(d.parts[n].value) if d else None for d in dims],
        }
        for n, part in enumerate(template.parts)
    ]
    out.append(
        {
            "label": _("Not broken down"),
            "data": [_number(d.uncovered) if d else None for d in dims],
            "color": GREY,
        }
    )
    return out


def _section(
    *,
    dim: DimensionBreakdown,
    trend: list[tuple[str, DimensionBreakdown | None]],
    regions: list[RegionShare],
) -> DimensionSection:
    composition = {
        "type": "bar",
        "stacked": True,
        "horizontal": True,
        "labels": [dim.label],
        "datasets": _datasets([dim], dim),
    }
    trend_chart = {
        "type": "bar",
        "stacked": True,
        "labels": [code for code, _d in trend],
        "datasets": _datasets([d for _code, d in trend], dim),
    }
    trend_table = [
        {
            "period": code,
            "parts": [p.value for p in d.parts] if d else [None] * len(dim.parts),
            "uncovered": d.uncovered if d else None,
            "total": d.total if d else None,
            "covered_updates": d.covered_updates if d else 0,
            "updates": d.updates if d else 0,
        }
        for code, d in trend
    ]
    return DimensionSection(
        dim=dim,
        rows=_rows(dim),
        composition_chart=composition,
        trend_chart=trend_chart,
        trend_table=trend_table,
        regions=regions,
    )


def _empty(dimension: str) -> DimensionBreakdown:
    return DimensionBreakdown(
        dimension=dimension,
        label=dimension_label(dimension),
        parts=[
            Part(category=c, label=label, value=None) for c, label in category_labels(dimension)
        ],
        total=None,
        updates=0,
        covered_updates=0,
        covered_total=None,
    )


def indicator_breakdowns(
    *,
    filters: DashboardFilters,
    indicator: Indicator,
    span: str = Span.PERIOD,
    office: Office | None = None,
) -> IndicatorBreakdowns | None:
    """Return the indicator's breakdowns in the page's scope (the office's, else the filters'
    region's, else global): for the headline span at the range's end, and their trend over
    the range's periods in `span` (one query; an office's through office_figures); on the
    global page, each region's own too (one more). None when the indicator asks for none."""
    if not breakdown_indicators([indicator]):
        return None
    if office is not None:
        scope, where = Scope.OFFICE, str(office)
    elif filters.region is not None:
        scope, where = Scope.REGION, str(filters.region)
    else:
        scope, where = Scope.GLOBAL, _("global")
    windows: dict[str, list] = {span: list(filters.periods)}
    if filters.span != span:
        windows[filters.span] = [filters.period_to]
    elif filters.period_to not in windows[span]:
        windows[span].append(filters.period_to)
    found = breakdown_figures(
        indicators=[indicator],
        windows=windows,
        scope=scope,
        region=filters.region if scope == Scope.REGION else None,
        office=office,
    )
    at: dict[tuple[str, int], Breakdown] = {(b.span, b.period_id): b for b in found}
    by_region: dict[int, Breakdown] = {}
    if scope == Scope.GLOBAL and filters.regions:
        by_region = {
            b.region_id: b
            for b in breakdown_figures(
                indicators=[indicator],
                windows={filters.span: [filters.period_to]},
                scope=Scope.REGION,
                regions=filters.regions,
            )
        }
    now = at.get((filters.span, filters.period_to.pk))
    result = IndicatorBreakdowns(
        indicator=indicator, scope=scope, where=where, span=span, has_figure=now is not None
    )
    for dimension in (d for d in BREAKDOWN_DIMENSIONS if d in indicator.disaggregations):
        dim = (now.get(dimension) if now else None) or _empty(dimension)
        trend = [
            (p.code, b.get(dimension) if (b := at.get((span, p.pk))) else None)
            for p in filters.periods
        ]
        regions = []
        for region in filters.regions if by_region else []:
            own = by_region[region.pk].get(dimension) if region.pk in by_region else None
            regions.append(RegionShare(region=region, dim=own, rows=_rows(own) if own else []))
        result.sections.append(_section(dim=dim, trend=trend, regions=regions))
    return result


@dataclass(frozen=True)
class MarkerIndicatorShare:
    indicator: Indicator
    dim: DimensionBreakdown
    rows: list[PartRow]


@dataclass(frozen=True)
class MarkerDimensionLead:
    """A marker page's lead for one dimension: each category pooled over the marker's
    indicators that count people (number measures), with their coverage."""

    dimension: str
    label: str
    rows: list[PartRow]  # pooled over the indicators
    total: Decimal | None
    covered_total: Decimal | None
    indicators: list[MarkerIndicatorShare]
    chart: dict[str, Any]

    @property
    def covered_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (self.covered_total or Decimal(0)) / self.total * 100

    @property
    def complete(self) -> bool:
        return all(i.dim.complete for i in self.indicators)

    def share(self, category: str) -> Decimal | None:
        """Return the pooled share (percent of what was broken down) of one category."""
        return next(
            (
                r.share_of_covered
                for r, c in zip(self.rows, self._codes, strict=True)
                if c == category
            ),
            None,
        )

    @property
    def _codes(self) -> list[str]:
        return [c for c, _label in category_labels(self.dimension)]


@dataclass(frozen=True)
class MarkerLead:
    code: str
    name: str
    dimensions: list[MarkerDimensionLead]
    women_share: Decimal | None = None  # gender: percent of people broken down by sex


def _pool(dimension: str, items: list[tuple[Indicator, DimensionBreakdown]]) -> MarkerDimensionLead:
    sums: dict[str, Decimal] = {}
    total = covered = Decimal(0)
    any_total = False
    for _indicator, dim in items:
        if dim.total is not None:
            total += dim.total
            any_total = True
        covered += dim.covered_total or 0
        for part in dim.parts:
            if part.value is not None:
                sums[part.category] = sums.get(part.category, Decimal(0)) + part.value
    pooled = DimensionBreakdown(
        dimension=dimension,
        label=dimension_label(dimension),
        parts=[
            Part(category=c, label=label, value=sums.get(c))
            for c, label in category_labels(dimension)
        ],
        total=total if any_total else None,
        updates=sum(d.updates for _i, d in items),
        covered_updates=sum(d.covered_updates for _i, d in items),
        covered_total=covered if items else None,
    )
    return MarkerDimensionLead(
        dimension=dimension,
        label=pooled.label,
        rows=_rows(pooled),
        total=pooled.total,
        covered_total=pooled.covered_total,
        indicators=[MarkerIndicatorShare(indicator=i, dim=d, rows=_rows(d)) for i, d in items],
        chart={
            "type": "bar",
            "stacked": True,
            "horizontal": True,
            "labels": [pooled.label],
            "datasets": _datasets([pooled], pooled),
        },
    )


def marker_breakdowns(*, filters: DashboardFilters) -> list[MarkerLead]:
    """Return the lead of each marker page that has one (MARKER_LEADS): the gender marker's
    share of women and girls, the inequalities marker's population groups and age, pooled over
    the marker's number indicators that ask for that breakdown, for the page's span and scope
    (one query for the markers, one for the figures)."""
    markers = {m.code: m for m in filters.markers if m.code in MARKER_LEADS}
    if not markers:
        return []
    indicators = [
        i
        for i in indicators_filtered(filters=filters, prefetch=("markers",))
        if i.measure == Indicator.Measure.NUMBER and i.disaggregations
    ]
    found = {
        b.indicator_id: b
        for b in breakdown_figures(
            indicators=indicators,
            windows={filters.span: [filters.period_to]},
            scope=Scope.REGION if filters.region else Scope.GLOBAL,
            region=filters.region,
        )
    }
    leads = []
    for code, dims in MARKER_LEADS.items():
        marker: Marker | None = markers.get(code)
        if marker is None:
            continue
        tagged = [i for i in indicators if any(m.pk == marker.pk for m in i.markers.all())]
        sections = []
        for dimension in dims:
            items = [
                (i, found[i.pk].dimensions[dimension])
                for i in tagged
                if dimension in i.disaggregations
                and i.pk in found
                and dimension in found[i.pk].dimensions
            ]
            sections.append(_pool(dimension, items))
        women = sections[0].share("female") if code == "gender" else None
        leads.append(
            MarkerLead(code=code, name=marker.name, dimensions=sections, women_share=women)
        )
    return leads
