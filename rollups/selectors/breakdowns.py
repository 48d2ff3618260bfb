"""Reads of the breakdowns by sex, age and population group: the roll-ups' part and coverage
columns as `Breakdown` values, for the dashboards, the membership update and the API alike (so
they cannot disagree). Stored scopes are read from the roll-up rows; an office's are computed on
request by `office_figures`, like its totals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet

from deliverables.models import Indicator
from offices.models import Office, Region
from reporting.models import ReportingPeriod
from rollups.models import BREAKDOWN_DIMENSIONS, BREAKDOWN_PARTS, Rollup
from rollups.selectors.offices import office_figures

Scope, Span = Rollup.Scope, Rollup.Span

# Measures whose figure is a count that can be split by category: a number, or a percentage's
# numerator. An answer or a level has no parts.
BREAKDOWN_MEASURES: tuple[str, ...] = (Indicator.Measure.NUMBER, Indicator.Measure.PERCENTAGE)

_KEYS = ("indicator_id", "period_id", "span", "scope", "region_id", "office_id")
_TOTALS = ("actual", "numerator", "updates_count")
_COLUMNS = (
    *_KEYS,
    *_TOTALS,
    *(col for _dim, _cat, col in BREAKDOWN_PARTS),
    *(f"covered_{dim}_{what}" for dim in BREAKDOWN_DIMENSIONS for what in ("updates", "total")),
)
_ORDER = ("indicator__code", "period__start_date", "span", "region__city")


def dimension_label(dimension: str) -> str:
    return str(Indicator.Dimension(dimension).label)


def category_labels(dimension: str) -> list[tuple[str, str]]:
    """Return the dimension's categories as (code, label), in their fixed order."""
    return [(cat, str(label)) for cat, label in Indicator.DIMENSION_CATEGORIES[dimension]]


@dataclass(frozen=True)
class Part:
    category: str
    label: str
    value: Decimal | None

    def share_of(self, whole: Decimal | None) -> Decimal | None:
        """Return the part as a fraction of `whole` (1.0 = 100%), None without both."""
        if self.value is None or not whole:
            return None
        return self.value / whole


@dataclass(frozen=True)
class DimensionBreakdown:
    """One dimension of a figure: its categories' parts and how much of the figure they cover.

    `total` is the figure being broken down (a number's actual, a percentage's numerator) and
    `updates` the updates it counts; `covered_updates` of them gave this breakdown, for
    `covered_total` of the total ("12,000, of which 9,500 broken down by sex")."""

    dimension: str
    label: str
    parts: list[Part]
    total: Decimal | None
    updates: int
    covered_updates: int
    covered_total: Decimal | None

    @property
    def complete(self) -> bool:
        """Return whether every update counted gave this breakdown."""
        return self.covered_updates >= self.updates and (
            self.total is None or (self.covered_total or 0) >= self.total
        )

    @property
    def uncovered(self) -> Decimal | None:
        """Return the part of the total no breakdown says anything about."""
        if self.total is None:
            return None
        return max(self.total - (self.covered_total or 0), Decimal(0))

    @property
    def covered_share(self) -> Decimal | None:
        """Return the covered part of the total as a fraction (1.0 = all of it)."""
        if not self.total:
            return None
        return (self.covered_total or Decimal(0)) / self.total

    def part(self, category: str) -> Part | None:
        return next((p for p in self.parts if p.category == category), None)


@dataclass(frozen=True)
class Breakdown:
    """An indicator's breakdowns in one scope over a span of periods ending at `period_id`."""

    indicator_id: int
    period_id: int
    period_code: str
    span: str
    scope: str
    region_id: int | None
    office_id: int | None
    dimensions: dict[str, DimensionBreakdown]

    def get(self, dimension: str) -> DimensionBreakdown | None:
        return self.dimensions.get(dimension)


def breakdown_of(
    *, values: Mapping[str, object], dims: Iterable[str], ratio: bool, period_code: str
) -> Breakdown:
    """Return the Breakdown of one roll-up row (a mapping of its columns) for these dimensions."""
    total = values["numerator"] if ratio else values["actual"]
    dimensions = {}
    for dim in BREAKDOWN_DIMENSIONS:
        if dim not in dims:
            continue
        dimensions[dim] = DimensionBreakdown(
            dimension=dim,
            label=dimension_label(dim),
            parts=[
                Part(category=cat, label=label, value=values[f"part_{dim}_{cat}"])
                for cat, label in category_labels(dim)
            ],
            total=total,
            updates=values["updates_count"] or 0,
            covered_updates=values[f"covered_{dim}_updates"] or 0,
            covered_total=values[f"covered_{dim}_total"],
        )
    return Breakdown(
        indicator_id=values["indicator_id"],
        period_id=values["period_id"],
        period_code=period_code,
        span=values["span"],
        scope=values["scope"],
        region_id=values["region_id"],
        office_id=values["office_id"],
        dimensions=dimensions,
    )


def breakdown_of_row(row: Rollup, indicator: Indicator) -> Breakdown:
    """Return the Breakdown of a stored (or office) roll-up row of this indicator."""
    return breakdown_of(
        values={name: getattr(row, name) for name in _COLUMNS},
        dims=indicator.disaggregations or (),
        ratio=indicator.measure == Indicator.Measure.PERCENTAGE,
        period_code="",  # not read: naming the period would cost a query per row
    )


def breakdown_indicators(
    indicators: Iterable[Indicator],
) -> list[Indicator]:
    """Return those of the indicators that ask for a breakdown and can have one."""
    return [i for i in indicators if i.disaggregations and i.measure in BREAKDOWN_MEASURES]


def breakdown_figures(
    *,
    indicators: Iterable[Indicator],
    windows: Mapping[str, Iterable[ReportingPeriod]],
    scope: str = Scope.GLOBAL,
    region: Region | None = None,
    regions: Iterable[Region] | None = None,
    office: Office | None = None,
    offices: Iterable[Office] | None = None,
) -> list[Breakdown]:
    """Return the breakdowns of these indicators (those of `breakdown_indicators`) for each
    span's periods (`windows`: {span: periods}) in one scope, ordered by indicator code,
    period, span and region; one query for stored scopes, `office_figures`' for offices.

    A breakdown exists where the scope has a figure; its dimensions are the indicator's own.
    """
    chosen = {i.pk: i for i in breakdown_indicators(indicators)}
    windows = {span: list(periods) for span, periods in windows.items()}
    if not chosen or not any(windows.values()):
        return []
    codes = {p.pk: p.code for ps in windows.values() for p in ps}
    starts = {p.pk: p.start_date for ps in windows.values() for p in ps}
    if scope == Scope.OFFICE:
        picked = [office] if office is not None else list(offices or [])
        wanted = {(span, p.pk) for span, ps in windows.items() for p in ps}
        rows = [
            {name: getattr(row, name) for name in _COLUMNS}
            for row in office_figures(
                indicators=chosen.values(),
                offices=picked,
                periods=[p for ps in windows.values() for p in ps],
                spans=list(windows),
            )
            if (row.span, row.period_id) in wanted
        ]
        order = {i.pk: i.code for i in chosen.values()}
        rows.sort(key=lambda r: (order[r["indicator_id"]], starts[r["period_id"]], r["span"]))
    else:
        which = Q()
        for span, periods in windows.items():
            which |= Q(span=span, period__in=[p.pk for p in periods])
        qs: QuerySet = Rollup.objects.filter(which, scope=scope, indicator__in=list(chosen))
        if region is not None:
            qs = qs.filter(region=region)
        if regions is not None:
            qs = qs.filter(region__in=[r.pk for r in regions])
        rows = list(qs.order_by(*_ORDER).values(*_COLUMNS, period_code=F("period__code")))
    out = []
    for row in rows:
        indicator = chosen[row["indicator_id"]]
        out.append(
            breakdown_of(
                values=row,
                dims=indicator.disaggregations,
                ratio=indicator.measure == Indicator.Measure.PERCENTAGE,
                period_code=row.get("period_code") or codes[row["period_id"]],
            )
        )
    return out


def breakdown_export_rows(
    *, indicators: Iterable[Indicator], start_date: dt.date, end_date: dt.date
) -> Iterator[tuple[dict[str, Any], Breakdown]]:
    """Return the global and regional breakdowns of every span for the periods between these
    dates, each with its row's period, region and totals named ({column: value}), ordered by
    indicator, period, span, scope and region: streamed, like `rollup_export_rows`."""
    chosen = {i.pk: i for i in breakdown_indicators(indicators)}
    if not chosen:
        return
    rows = (
        Rollup.objects.filter(
            indicator_id__in=list(chosen),
            scope__in=[Scope.GLOBAL, Scope.REGION],
            period__start_date__gte=start_date,
            period__end_date__lte=end_date,
        )
        .order_by("indicator__code", "period__start_date", "span", "scope", "region__city")
        .values(
            *_COLUMNS,
            "computed_at",
            period_code=F("period__code"),
            period_year=F("period__year"),
            period_quarter=F("period__quarter"),
            region_code=F("region__code"),
            region_city=F("region__city"),
        )
    )
    for row in rows.iterator(chunk_size=5000):
        indicator = chosen[row["indicator_id"]]
        yield (
            row,
            breakdown_of(
                values=row,
                dims=indicator.disaggregations,
                ratio=indicator.measure == Indicator.Measure.PERCENTAGE,
                period_code=row["period_code"],
            ),
        )
