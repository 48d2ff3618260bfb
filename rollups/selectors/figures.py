"""Reads of the roll-up figures. Each returns `Figure` values, never the stored rows, so the
dashboards and exports above do not depend on how (or whether) a scope's figures are stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from deliverables.models import Assignment, Indicator
from offices.models import Office, Region
from reporting.models import ReportingPeriod
from rollups.bands import Band, band_label
from rollups.models import Rollup
from rollups.selectors.offices import office_figures

Scope, Span, Status = Rollup.Scope, Rollup.Span, Rollup.Status
Measure = Indicator.Measure
OPEN = ReportingPeriod.State.OPEN


@dataclass(frozen=True)
class Figure:
    """One indicator's figure in one scope (global, a region, an office) over a span of periods
    ending at `period_id`; `rollups.models.Rollup` says what each value means."""

    indicator_id: int
    period_id: int
    period_code: str
    span: str
    scope: str
    region_id: int | None
    office_id: int | None
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    share: Decimal | None
    target: Decimal | None
    target_prorated: Decimal | None
    baseline: Decimal | None
    progress: Decimal | None  # 1.0 = 100% of the target
    pace: Decimal | None  # 1.0 = on the pro-rated target
    status: str
    updates_count: int
    offices_count: int
    provisional_actual: Decimal | None
    provisional_updates_count: int
    computed_at: dt.datetime | None
    # Read with the row: the indicator's measure, the state of the period the span ends at,
    # and the stored verdict. `status` is `in_progress` instead of a verdict while that period
    # is open (rollups.bands): every page and export reads the same.
    measure: str = ""
    period_state: str = ReportingPeriod.State.CLOSED
    verdict: str = ""

    @property
    def measured(self) -> bool:
        """Return whether approved data meets a target: what a result's mean counts."""
        return self.progress is not None

    @property
    def in_progress(self) -> bool:
        """Return whether offices are still reporting for the period the figure ends at."""
        return self.period_state == OPEN

    @property
    def progress_percent(self) -> Decimal | None:
        return None if self.progress is None else self.progress * 100

    @property
    def status_label(self) -> str:
        return band_label(self.status)

    @property
    def in_shares(self) -> bool:
        """Return whether the figure is read as a share of reporting offices (yes/no: answering
        yes; ordinal: at or above the target level): its target and baseline are shares too."""
        return self.measure in (Measure.YES_NO, Measure.ORDINAL)

    @property
    def value(self) -> Decimal | None:
        """Return the figure in the unit its target is in: the share (%) for yes/no and
        ordinal measures, the actual otherwise (a percentage is Σ numerators / Σ denominators)."""
        return self.share if self.in_shares else self.actual

    @property
    def target_value(self) -> Decimal | None:
        """Return the target in the unit of `value` (an ordinal target is a level: reaching it
        means every reporting office at or above it, 100%)."""
        if self.measure == Measure.ORDINAL:
            return None if self.target is None else Decimal(100)
        return self.target

    @property
    def submitted_count(self) -> int:
        """Return how many submitted (not yet approved) updates the provisional figure adds."""
        return max(self.provisional_updates_count - self.updates_count, 0)


_DERIVED = {"period_code", "measure", "period_state", "verdict"}
_STORED = tuple(f.name for f in dataclasses.fields(Figure) if f.name not in _DERIVED)


def _figure(row: dict[str, Any]) -> Figure:
    """Return a figure from its stored values; no verdict while its period is open."""
    row["verdict"] = row["status"]
    if row["period_state"] == OPEN:
        row["status"] = Band.IN_PROGRESS
    return Figure(**row)


_NAMED = {
    "period_code": F("period__code"),
    "period_state": F("period__state"),
    "measure": F("indicator__measure"),
}
_ORDER = ("indicator__code", "period__start_date", "region__city", "office__name")


def _ids(items: Iterable[Any] | QuerySet) -> QuerySet | list[int]:
    return items if isinstance(items, QuerySet) else [item.pk for item in items]


def rollup_figures(
    *,
    indicators: Iterable[Indicator] | QuerySet[Indicator],
    windows: Mapping[str, Iterable[ReportingPeriod]],
    scope: str = Scope.GLOBAL,
    region: Region | None = None,
    regions: Iterable[Region] | None = None,
    office: Office | None = None,
    offices: Iterable[Office] | QuerySet[Office] | None = None,
) -> list[Figure]:
    """Return these indicators' figures for each span's periods (`windows`: {span: periods}) in
    one scope, ordered by indicator code, period, region and office (one query).

    Region figures of `region` (or `regions`); office figures of `office`, `offices` or the
    offices of `region`.
    """
    windows = {span: list(periods) for span, periods in windows.items()}
    if scope == Scope.OFFICE:
        return _office_figures(
            indicators=indicators, windows=windows, region=region, office=office, offices=offices
        )
    which = Q()
    for span, periods in windows.items():
        which |= Q(span=span, period__in=[p.pk for p in periods])
    if not which:
        return []
    rows = Rollup.objects.filter(which, scope=scope, indicator__in=_ids(indicators))
    if region is not None:
        rows = rows.filter(region=region)
    if regions is not None:
        rows = rows.filter(region__in=_ids(regions))
    values = rows.order_by(*_ORDER).values(*_STORED, **_NAMED)
    return [_figure(row) for row in values]


def _office_figures(
    *,
    indicators: Iterable[Indicator] | QuerySet[Indicator],
    windows: Mapping[str, list[ReportingPeriod]],
    region: Region | None,
    office: Office | None,
    offices: Iterable[Office] | QuerySet[Office] | None,
) -> list[Figure]:
    """Offices' figures are computed from their updates (one query for the figures, and the
    few rows that name and order them)."""
    if office is not None:
        chosen = [office]
    elif isinstance(offices, QuerySet):
        chosen = list(Office.objects.filter(pk__in=offices))  # rows or a values("pk") query
    elif offices is not None:
        chosen = list(offices)
    elif region is not None:
        chosen = list(Office.objects.filter(region=region))
    else:
        chosen = list(Office.objects.all())
    if region is not None:
        chosen = [o for o in chosen if o.region_id == region.pk]
    periods = {p.pk: p for ps in windows.values() for p in ps}
    wanted = {(span, p.pk) for span, ps in windows.items() for p in ps}
    rows = [
        row
        for row in office_figures(
            indicators=indicators, offices=chosen, periods=periods.values(), spans=list(windows)
        )
        if (row.span, row.period_id) in wanted
    ]
    codes, measures = {}, {}
    for pk, code, measure in Indicator.objects.filter(
        pk__in={r.indicator_id for r in rows}
    ).values_list("pk", "code", "measure"):
        codes[pk], measures[pk] = code, measure
    names = {o.pk: o.name for o in chosen}
    rows.sort(
        key=lambda r: (codes[r.indicator_id], periods[r.period_id].start_date, names[r.office_id])
    )
    return [
        _figure(
            {
                **{name: getattr(row, name) for name in _STORED},
                "period_code": periods[row.period_id].code,
                "period_state": periods[row.period_id].state,
                "measure": measures[row.indicator_id],
            }
        )
        for row in rows
    ]


def headline_for(
    *,
    indicators: Iterable[Indicator] | QuerySet[Indicator],
    period: ReportingPeriod,
    span: str,
    scope: str = Scope.GLOBAL,
    region: Region | None = None,
    regions: Iterable[Region] | None = None,
    office: Office | None = None,
    offices: Iterable[Office] | QuerySet[Office] | None = None,
) -> list[Figure]:
    """Return each indicator's figure at exactly `period` and `span` (one per indicator, or per
    region or office of the scope). A missing figure means no data: an earlier period's figure
    never stands in for it."""
    return rollup_figures(
        indicators=indicators,
        windows={span: [period]},
        scope=scope,
        region=region,
        regions=regions,
        office=office,
        offices=offices,
    )


def rollup_export_rows(
    *, indicator_ids: Iterable[int], start_date: dt.date, end_date: dt.date
) -> Iterator[dict[str, Any]]:
    """Return the global and regional figures of every span for the periods between these
    dates, with their period (and its state) and region named, ordered by indicator, period,
    span, scope and region: a flat table, streamed. A row whose period is open has the status
    `in_progress` (its stored one is `verdict`)."""
    rows = (
        Rollup.objects.filter(
            indicator_id__in=list(indicator_ids),
            scope__in=[Scope.GLOBAL, Scope.REGION],
            period__start_date__gte=start_date,
            period__end_date__lte=end_date,
        )
        .order_by("indicator__code", "period__start_date", "span", "scope", "region__city")
        .values(
            *_STORED,
            period_code=F("period__code"),
            period_state=F("period__state"),
            period_year=F("period__year"),
            period_quarter=F("period__quarter"),
            region_code=F("region__code"),
            region_city=F("region__city"),
        )
    )
    return (_export_row(row) for row in rows.iterator(chunk_size=5000))


def _export_row(row: dict[str, Any]) -> dict[str, Any]:
    """Apply the headline rule's verdict to an export row: none while its period is open."""
    row["verdict"] = row["status"]
    if row["period_state"] == OPEN:
        row["status"] = Band.IN_PROGRESS
    return row


def offices_expected(*, indicator_ids: Iterable[int]) -> dict[tuple[int, int | None], int]:
    """Return how many active offices are assigned each indicator: {(indicator pk, None):
    offices everywhere, (indicator pk, region pk): the region's offices} (one query)."""
    counts: dict[tuple[int, int | None], int] = defaultdict(int)
    for indicator_id, region_id, n in (
        Assignment.objects.filter(
            indicator_id__in=list(indicator_ids), is_active=True, office__is_active=True
        )
        .values_list("indicator_id", "office__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[indicator_id, None] += n
        if region_id is not None:
            counts[indicator_id, region_id] += n
    return dict(counts)
