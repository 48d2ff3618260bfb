"""What every dashboard page shows: a result's progress card and an indicator's headline figure,
read through rollups.selectors (the headline rule and the results' means), and chart data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dashboards.selectors.filters import DashboardFilters
from deliverables.models import Indicator
from offices.models import Office, Region
from rollups.bands import Band, band_label
from rollups.models import Rollup
from rollups.selectors import (
    Figure,
    ResultMean,
    headline_for,
    headline_indicators,
    offices_expected,
)
from rollups.wording import bands_text, mean_explanation, period_mark

Scope = Rollup.Scope


@dataclass(frozen=True)
class ResultProgress:
    """A result's (or marker's, SDG target's, region's) card: its mean over its indicators."""

    obj: Any  # the result, anything with a pk
    code: str
    title: str
    mean: ResultMean
    children: list[ResultProgress] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.obj.pk

    @property
    def progress(self) -> Decimal | None:  # mean, 1.0 = 100%
        return self.mean.progress

    @property
    def with_data(self) -> int:
        return self.mean.with_data

    @property
    def indicators(self) -> int:
        return self.mean.indicators

    @property
    def band(self) -> str:
        return self.mean.band

    @property
    def as_of(self) -> dt.datetime | None:
        return self.mean.as_of

    @property
    def percent(self) -> Decimal | None:
        return None if self.progress is None else self.progress * 100

    @property
    def band_label(self) -> str:
        return Band(self.band).label

    @property
    def chart_value(self) -> float | None:
        return None if self.progress is None else round(float(self.progress) * 100, 1)

    @property
    def bands(self) -> list[dict[str, Any]]:
        """Return the band distribution of its indicators, for a small stacked bar."""
        total = sum(n for _band, n in self.mean.bands) or 1
        return [
            # widths in steps of 5% (CSS classes: no inline styles under the coming CSP)
            {"band": b, "label": band_label(b), "n": n, "step": max(5, 5 * round(20 * n / total))}
            for b, n in self.mean.bands
        ]

    @property
    def bands_text(self) -> str:
        return bands_text(self.mean.bands)

    @property
    def explanation(self) -> str:
        """Return why it has its band, in one line (rollups.wording)."""
        return mean_explanation(self.mean)


@dataclass(frozen=True)
class IndicatorFigure:
    """An indicator with its headline figure (None: no data)."""

    indicator: Indicator
    row: Figure | None
    expected: int | None = None  # offices assigned the indicator in the figure's scope
    reported: int | None = None  # offices that reported in the (open) period itself

    @property
    def band(self) -> str:
        return self.row.status if self.row else Band.NO_DATA

    @property
    def band_label(self) -> str:
        return band_label(self.band)

    @property
    def has_provisional(self) -> bool:
        return bool(self.row and self.row.submitted_count)

    @property
    def period_mark(self) -> str:
        """Return "2023-Q4 open — 12 of 180 offices reported" (or partly reported), or ""."""
        return period_mark(self.row, expected=self.expected, reported=self.reported)


def reported_in_period(
    *, filters: DashboardFilters, indicators: Iterable[Indicator]
) -> dict[int, int]:
    """Return, while the headline's period is open and its figures span more than that
    period, how many offices reported each indicator in the period itself (one query)."""
    if not filters.period_open or filters.span == Rollup.Span.PERIOD:
        return {}
    return {
        f.indicator_id: f.offices_count
        for f in headline_for(
            indicators=indicators,
            period=filters.period_to,
            span=Rollup.Span.PERIOD,
            scope=Scope.REGION if filters.region else Scope.GLOBAL,
            region=filters.region,
        )
    }


def indicator_figures(
    *, filters: DashboardFilters, indicators: Iterable[Indicator], figures: dict[int, Figure]
) -> list[IndicatorFigure]:
    """Return each indicator with its headline figure, the offices expected to report it
    (everywhere, or in the filters' region) and, while the period is open, those that have
    reported in it (one or two queries)."""
    indicators = list(indicators)
    expected = offices_expected(indicator_ids=[i.pk for i in indicators])
    reported = reported_in_period(filters=filters, indicators=indicators)
    key = filters.region.pk if filters.region else None
    return [
        IndicatorFigure(
            indicator=i,
            row=figures.get(i.pk),
            expected=expected.get((i.pk, key), 0),
            reported=reported.get(i.pk, 0) if reported else None,
        )
        for i in indicators
    ]


def indicators_filtered(
    *, filters: DashboardFilters, prefetch: tuple[str, ...] = ()
) -> list[Indicator]:
    """Return the indicators that count, narrowed by the marker and priority filters, ordered
    by code, with their deliverables (and `prefetch`: "markers", "sdg_targets")."""
    return list(
        headline_indicators(
            strategy=filters.strategy, marker=filters.marker, priority=filters.priority
        )
        .select_related("deliverable")
        .prefetch_related(*prefetch)
        .order_by("code")
    )


def headline(
    *,
    filters: DashboardFilters,
    indicators: Iterable[Indicator],
    scope: str | None = None,
    regions: Iterable[Region] | None = None,
    offices: Iterable[Office] | None = None,
) -> list[Figure]:
    """Return the indicators' headline figures of the filters' range: global, or the chosen
    region's (scope None), or every region's / office's (scope "region" / "office")."""
    region = None
    if scope is None:
        scope = Scope.REGION if filters.region else Scope.GLOBAL
        region = filters.region
    return headline_for(
        indicators=indicators,
        period=filters.period_to,
        span=filters.span,
        scope=scope,
        region=region,
        regions=regions,
        offices=offices,
    )


def by_indicator(figures: Iterable[Figure]) -> dict[int, Figure]:
    return {f.indicator_id: f for f in figures}


def bar_chart(items: list[ResultProgress], label: str) -> dict[str, Any]:
    """Return chart data: one bar per item, its mean progress in percent, labelled by name
    (a region by its city), never by a raw code."""

    def name(item: ResultProgress) -> str:
        text = getattr(item.obj, "city", "") or item.title
        return text if len(text) <= 40 else f"{text[:39]}…"

    return {
        "type": "bar",
        "labels": [name(i) for i in items],
        "datasets": [{"label": label, "data": [i.chart_value for i in items]}],
        "percent": True,
    }


def latest(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    """Return the newest of these times ("data as of"), None without any."""
    found = [t for t in times if t]
    return max(found) if found else None
