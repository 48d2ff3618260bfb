"""Reads for the steering committee's dashboards.

Every figure comes from `Rollup` rows (approved figures; `provisional_actual` adds submitted
ones); nothing here recomputes a roll-up from updates. A result's progress (deliverable,
output, outcome, marker, SDG target) is the mean progress of its indicators that have data,
averaged in the database (Avg over Rollup rows grouped by the result), with "n of m".

The headline figure of an indicator is its strategy-to-date ("std") row at the last period of
the selected range, or, when that period has no row yet, at the latest earlier period that has
one. Each page runs a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from deliverables.models import Assignment, Deliverable, Indicator
from offices.models import Office, Region
from offices.permissions import offices_visible, regions_visible
from outcomes.models import (
    InstitutionalOutput,
    Marker,
    Outcome,
    SdgTarget,
    StrategicPriority,
    Strategy,
)
from reporting.models import ReportingPeriod
from reporting.selectors.periods import period_range
from rollups.models import Rollup
from rollups.selectors import office_figures, progress_for_mean

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Scope = Rollup.Scope
Span = Rollup.Span
Band = Rollup.Status
TREND_SPANS = (Span.PERIOD, Span.YEAR_TO_DATE, Span.STRATEGY_TO_DATE)


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    """What a dashboard page shows, parsed from its GET parameters (so URLs can be shared)."""

    strategy: Strategy
    all_periods: list[ReportingPeriod]
    period_from: ReportingPeriod
    period_to: ReportingPeriod
    regions: list[Region] = field(default_factory=list)  # the regions the viewer may open
    markers: list[Marker] = field(default_factory=list)
    priorities: list[StrategicPriority] = field(default_factory=list)
    region: Region | None = None
    marker: Marker | None = None
    priority: StrategicPriority | None = None
    errors: tuple[str, ...] = ()

    @property
    def periods(self) -> list[ReportingPeriod]:
        start, end = self.period_from.start_date, self.period_to.start_date
        return [p for p in self.all_periods if start <= p.start_date <= end]

    @property
    def headline(self) -> ReportingPeriod:
        return self.period_to

    @property
    def expected_share(self) -> Decimal:
        """Share of the strategy's periods that have ended by the headline period (pro-rating)."""
        index = next(i for i, p in enumerate(self.all_periods) if p.pk == self.period_to.pk)
        return Decimal(index + 1) / Decimal(len(self.all_periods))

    def params(self, **overrides: str | None) -> dict[str, str]:
        values = {
            "from": self.period_from.code,
            "to": self.period_to.code,
            "region": self.region.code if self.region else "",
            "marker": self.marker.code if self.marker else "",
            "priority": self.priority.code if self.priority else "",
        }
        values.update({k: v or "" for k, v in overrides.items()})
        return {k: v for k, v in values.items() if v}

    def query(self, **overrides: str | None) -> str:
        """Return the query string that reproduces these filters (with some changed)."""
        return urlencode(self.params(**overrides))


def dashboard_filters(
    *,
    user: AbstractBaseUser,
    strategy: Strategy,
    params: Mapping[str, str],
    today: dt.date | None = None,
) -> DashboardFilters:
    """Parse the dashboard GET parameters: `from`/`to` period codes (reporting's
    `period_range`), `region`, `marker` and `priority` codes. Unknown values are ignored (and
    reported in `errors`); a region outside the viewer's scope is refused.

    Default range: from the strategy's first period to the last one that has started.
    """
    chosen_range = period_range(strategy=strategy, params=params, today=today)
    errors: list[str] = list(chosen_range.errors)

    region = None
    regions = list(regions_visible(user).order_by("city"))
    code = (params.get("region") or "").strip()
    if code:
        region = next((r for r in regions if r.code == code), None)
        if region is None:
            if Region.objects.filter(code=code).exists():
                raise PermissionDenied(_("This region is outside your scope."))
            errors.append(_("Unknown region “%(code)s”; it was ignored.") % {"code": code})

    markers = list(Marker.objects.filter(strategy=strategy).order_by("order", "code"))
    priorities = list(StrategicPriority.objects.filter(strategy=strategy).order_by("order"))
    chosen: dict[str, Any] = {}
    unknown = {
        "marker": _("Unknown marker “%(code)s”; it was ignored."),
        "priority": _("Unknown strategic priority “%(code)s”; it was ignored."),
    }
    for key, options in (("marker", markers), ("priority", priorities)):
        code = (params.get(key) or "").strip()
        chosen[key] = next((o for o in options if o.code == code), None) if code else None
        if code and chosen[key] is None:
            errors.append(unknown[key] % {"code": code})
    return DashboardFilters(
        strategy=strategy,
        all_periods=chosen_range.all_periods,
        period_from=chosen_range.period_from,
        period_to=chosen_range.period_to,
        regions=regions,
        markers=markers,
        priorities=priorities,
        region=region,
        marker=chosen["marker"],
        priority=chosen["priority"],
        errors=tuple(errors),
    )


# --- Progress and bands ----------------------------------------------------------------------


def progress_band(*, progress: Decimal | None, expected: Decimal = Decimal(1)) -> str:
    """Return the status band of a progress (1.0 = 100%) against the pro-rated expectation.

    Achieved at 100% of the full target; on track / at risk at the settings' shares of the
    pro-rated target (`expected`, the share of the strategy elapsed); off track below.
    """
    if progress is None:
        return Band.NO_DATA
    bands = settings.PROGRESS_BANDS
    if progress >= Decimal(str(bands["achieved"])):
        return Band.ACHIEVED
    ratio = progress / expected if expected > 0 else progress
    if ratio >= Decimal(str(bands["on_track"])):
        return Band.ON_TRACK
    if ratio >= Decimal(str(bands["at_risk"])):
        return Band.AT_RISK
    return Band.OFF_TRACK


@dataclass(frozen=True)
class ResultProgress:
    """A result's (or marker's, SDG target's, region's) mean progress over its indicators."""

    pk: int
    code: str
    title: str
    progress: Decimal | None  # mean, 1.0 = 100%
    with_data: int
    indicators: int
    band: str
    as_of: dt.datetime | None = None
    children: list[ResultProgress] = field(default_factory=list)
    obj: Any = None

    @property
    def percent(self) -> Decimal | None:
        return None if self.progress is None else self.progress * 100

    @property
    def band_label(self) -> str:
        return Band(self.band).label

    @property
    def chart_value(self) -> float | None:
        return None if self.progress is None else round(float(self.progress) * 100, 1)


def _progress(
    *,
    pk: int,
    code: str,
    title: str,
    agg: Mapping[str, Any] | None,
    indicators: int,
    filters: DashboardFilters,
    obj: Any = None,
) -> ResultProgress:
    agg = agg or {}
    progress = agg.get("avg") if agg.get("n") else None
    if progress is not None:
        progress = Decimal(str(progress))
    return ResultProgress(
        pk=pk,
        code=code,
        title=title,
        progress=progress,
        with_data=agg.get("n", 0),
        indicators=indicators,
        band=progress_band(progress=progress, expected=filters.expected_share),
        as_of=agg.get("as_of"),
        obj=obj,
    )


# --- Roll-up rows ----------------------------------------------------------------------------


def indicators_filtered(*, filters: DashboardFilters) -> QuerySet[Indicator]:
    """Return the strategy's active, quantitative indicators, narrowed by marker and priority.

    Filtered through a pk subquery so later joins on markers or SDG targets are not doubled.
    """
    qs = Indicator.objects.filter(strategy=filters.strategy, is_active=True).exclude(
        measure=Indicator.Measure.QUALITATIVE
    )
    if filters.marker:
        qs = qs.filter(markers=filters.marker)
    if filters.priority:
        qs = qs.filter(priorities=filters.priority)
    return Indicator.objects.filter(pk__in=qs.values("pk"))


def _scope_q(scope: str, *, region: Region | None = None, office: Office | None = None) -> Q:
    q = Q(scope=scope)
    if region is not None:
        q &= Q(region=region)
    if office is not None:
        q &= Q(office=office)
    return q


def rollups_headline(
    *,
    filters: DashboardFilters,
    scope: str | None = None,
    region: Region | None = None,
    office: Office | None = None,
    indicators: QuerySet[Indicator] | None = None,
) -> QuerySet[Rollup]:
    """Return each indicator's strategy-to-date row at the headline period (or the latest
    earlier one), as a query over the chosen rows' ids, for one scope: global by default, the
    filtered region's when one is chosen, or every region's / office's rows
    (scope="region"/"office") when none is given.
    """
    if scope is None:
        scope = Scope.REGION if filters.region else Scope.GLOBAL
        region = region or filters.region
    base = Rollup.objects.filter(
        _scope_q(scope, region=region, office=office),
        span=Span.STRATEGY_TO_DATE,
        period__strategy=filters.strategy,
        period__start_date__lte=filters.headline.start_date,
    )
    same_key = Q(indicator=OuterRef("indicator"))
    if scope == Scope.REGION:
        same_key &= Q(region=OuterRef("region"))
    elif scope == Scope.OFFICE:
        same_key &= Q(office=OuterRef("office"))
    indicators = indicators if indicators is not None else indicators_filtered(filters=filters)
    # Pick the rows once (one query, at most indicators × scopes ids); the aggregates over them
    # then stay cheap instead of each re-running the row choice.
    if connection.vendor == "postgresql":
        # DISTINCT ON takes the latest row per key in one ordered scan; the portable correlated
        # subquery below ran once per candidate row (seconds at benchmark scale).
        keys = [
            "indicator_id",
            *{Scope.REGION: ["region_id"], Scope.OFFICE: ["office_id"]}.get(scope, []),
        ]
        chosen = (
            base.filter(indicator__in=indicators)
            .order_by(*keys, "-period__start_date")
            .distinct(*keys)
        )
    else:
        latest = base.filter(same_key).order_by("-period__start_date").values("period_id")[:1]
        chosen = base.filter(period_id=Subquery(latest), indicator__in=indicators)
    ids = list(chosen.values_list("pk", flat=True))
    return Rollup.objects.filter(pk__in=ids)


def _aggregate(rows: QuerySet[Rollup], key: str) -> dict[Any, dict[str, Any]]:
    """Return {key: {avg, n, as_of}}: mean progress of the rows with data, grouped by `key`."""
    return {
        row[key]: row
        for row in rows.values(key)
        .annotate(
            avg=Avg(progress_for_mean()),
            n=Count("id", filter=Q(progress__isnull=False)),
            as_of=Max("computed_at"),
        )
        .order_by()
    }


def _counts(indicators: QuerySet[Indicator], key: str) -> dict[Any, int]:
    return dict(
        indicators.values(key)
        .annotate(m=Count("id", distinct=True))
        .order_by()
        .values_list(key, "m")
    )


def bar_chart(items: list[ResultProgress], label: str) -> dict[str, Any]:
    """Return chart data: one bar per item, its mean progress in percent."""
    return {
        "type": "bar",
        "labels": [i.title if len(i.title) <= 40 else f"{i.code}" for i in items],
        "datasets": [{"label": label, "data": [i.chart_value for i in items]}],
    }


def _as_of(*aggregates: Mapping[Any, Mapping[str, Any]]) -> dt.datetime | None:
    times = [a["as_of"] for agg in aggregates for a in agg.values() if a.get("as_of")]
    return max(times) if times else None


# --- Overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    outcomes: list[ResultProgress]
    outputs: list[ResultProgress]
    markers: list[ResultProgress]
    as_of: dt.datetime | None


def dashboard_overview(*, filters: DashboardFilters) -> Overview:
    """Return the 3 outcomes (with their deliverables), the institutional outputs and the
    cross-cutting markers, each with its mean progress and "n of m" (ten queries)."""
    indicators = indicators_filtered(filters=filters)
    rows = rollups_headline(filters=filters, indicators=indicators)
    by_deliverable = _aggregate(rows, "indicator__deliverable_id")
    by_outcome = _aggregate(rows, "indicator__deliverable__outcome_id")
    by_output = _aggregate(rows, "indicator__output_id")
    by_marker = _aggregate(rows, "indicator__markers")
    n_deliverable = _counts(indicators, "deliverable_id")
    n_outcome = _counts(indicators, "deliverable__outcome_id")
    n_output = _counts(indicators, "output_id")
    n_marker = _counts(indicators, "markers")

    outcomes = []
    for outcome in Outcome.objects.filter(strategy=filters.strategy).prefetch_related(
        "deliverables"
    ):
        card = _progress(
            pk=outcome.pk,
            code=outcome.code,
            title=outcome.title,
            agg=by_outcome.get(outcome.pk),
            indicators=n_outcome.get(outcome.pk, 0),
            filters=filters,
            obj=outcome,
        )
        card.children.extend(
            _progress(
                pk=d.pk,
                code=f"{outcome.code}.{d.code}",
                title=d.short_title or d.title,
                agg=by_deliverable.get(d.pk),
                indicators=n_deliverable.get(d.pk, 0),
                filters=filters,
                obj=d,
            )
            for d in outcome.deliverables.all()
        )
        outcomes.append(card)
    outputs = [
        _progress(
            pk=o.pk,
            code=o.code,
            title=o.title,
            agg=by_output.get(o.pk),
            indicators=n_output.get(o.pk, 0),
            filters=filters,
            obj=o,
        )
        for o in InstitutionalOutput.objects.filter(strategy=filters.strategy)
    ]
    markers = [
        _progress(
            pk=m.pk,
            code=m.code,
            title=m.name,
            agg=by_marker.get(m.pk),
            indicators=n_marker.get(m.pk, 0),
            filters=filters,
            obj=m,
        )
        for m in filters.markers
    ]
    return Overview(
        outcomes=outcomes,
        outputs=outputs,
        markers=markers,
        as_of=_as_of(by_outcome, by_output),
    )


# --- One indicator's figures -----------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFigure:
    """An indicator with its headline roll-up row (None: no data yet)."""

    indicator: Indicator
    row: Rollup | None
    expected: Decimal = Decimal(1)

    @property
    def band(self) -> str:
        return self.row.status if self.row else Band.NO_DATA

    @property
    def band_label(self) -> str:
        return Band(self.band).label

    @property
    def has_provisional(self) -> bool:
        return bool(self.row and self.row.provisional_updates_count)


def _figures(
    indicators: QuerySet[Indicator], rows: QuerySet[Rollup], key: str = "indicator_id"
) -> tuple[list[IndicatorFigure], dict[Any, Rollup]]:
    by_key = {getattr(r, key): r for r in rows.select_related("period")}
    return [IndicatorFigure(indicator=i, row=by_key.get(i.pk)) for i in indicators], by_key


@dataclass(frozen=True)
class ResultDetail:
    result: Any
    summary: ResultProgress
    figures: list[IndicatorFigure]
    children: list[ResultProgress]
    trend: dict[str, Any]
    as_of: dt.datetime | None


def _progress_trend(*, filters: DashboardFilters, rows_q: Q) -> dict[str, Any]:
    """Return chart data: the mean strategy-to-date progress per period of the range."""
    base = Rollup.objects.filter(
        rows_q,
        _scope_q(Scope.REGION, region=filters.region) if filters.region else _scope_q(Scope.GLOBAL),
        span=Span.STRATEGY_TO_DATE,
        period__in=[p.pk for p in filters.periods],
        indicator__in=indicators_filtered(filters=filters),
    )
    by_period = _aggregate(base, "period_id")
    rows = []
    for p in filters.periods:
        agg = by_period.get(p.pk) or {}
        avg = agg.get("avg") if agg.get("n") else None
        value = None if avg is None else round(float(avg) * 100, 1)
        rows.append({"label": p.code, "value": value, "n": agg.get("n", 0)})
    return {
        "rows": rows,
        "chart": {
            "type": "line",
            "labels": [r["label"] for r in rows],
            "datasets": [{"label": _("Mean progress (%)"), "data": [r["value"] for r in rows]}],
        },
    }


def dashboard_result(*, filters: DashboardFilters, result: Any) -> ResultDetail:
    """Return an outcome's, deliverable's or output's page: its mean progress, its children
    (an outcome's deliverables), its indicators with their headline rows, and a trend."""
    indicators = indicators_filtered(filters=filters)
    if isinstance(result, Outcome):
        key, child_key = "indicator__deliverable__outcome_id", "indicator__deliverable_id"
        own = indicators.filter(deliverable__outcome=result)
        rows_q = Q(indicator__deliverable__outcome=result)
    elif isinstance(result, Deliverable):
        key, child_key = "indicator__deliverable_id", None
        own = indicators.filter(deliverable=result)
        rows_q = Q(indicator__deliverable=result)
    else:
        key, child_key = "indicator__output_id", None
        own = indicators.filter(output=result)
        rows_q = Q(indicator__output=result)
    rows = rollups_headline(filters=filters, indicators=own)
    agg = _aggregate(rows, key)
    own_list = own.select_related("deliverable__outcome", "output").order_by("code")
    figures, _by = _figures(own_list, rows)
    summary = _progress(
        pk=result.pk,
        code=getattr(result, "full_code", result.code),
        title=result.title,
        agg=agg.get(result.pk),
        indicators=len(figures),
        filters=filters,
        obj=result,
    )
    children: list[ResultProgress] = []
    if child_key:
        by_child = _aggregate(rows, child_key)
        n_child = _counts(own, "deliverable_id")
        children = [
            _progress(
                pk=d.pk,
                code=d.full_code,
                title=d.short_title or d.title,
                agg=by_child.get(d.pk),
                indicators=n_child.get(d.pk, 0),
                filters=filters,
                obj=d,
            )
            for d in result.deliverables.select_related("outcome")
        ]
    return ResultDetail(
        result=result,
        summary=summary,
        figures=figures,
        children=children,
        trend=_progress_trend(filters=filters, rows_q=rows_q),
        as_of=_as_of(agg),
    )


# --- Indicator drill-down --------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _trend(filters: DashboardFilters, rows: dict[int, Rollup]) -> dict[str, Any]:
    """Return the chart data and table rows of one scope's rows by period."""
    table = [{"period": p, "row": rows.get(p.pk)} for p in filters.periods]
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
    if office is not None:
        figures = office_figures(
            indicators=[indicator], offices=[office], periods=filters.periods, spans=[span]
        )
        return _trend(filters, {r.period_id: r for r in figures})
    if region is not None:
        scope_q = _scope_q(Scope.REGION, region=region)
    else:
        scope_q = _scope_q(Scope.GLOBAL)
    rows = {
        r.period_id: r
        for r in Rollup.objects.filter(
            scope_q,
            indicator=indicator,
            span=span,
            period__in=[p.pk for p in filters.periods],
        )
    }
    return _trend(filters, rows)


@dataclass(frozen=True)
class IndicatorDetail:
    indicator: Indicator
    headline: IndicatorFigure
    trend: dict[str, Any]
    span: str
    regions: list[IndicatorFigure | Any]
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
    one = Indicator.objects.filter(pk=indicator.pk)
    headline_rows = rollups_headline(filters=filters, indicators=one)
    headline = IndicatorFigure(
        indicator=indicator, row=headline_rows.select_related("period").first()
    )

    region_rows = {
        r.region_id: r
        for r in rollups_headline(
            filters=filters, scope=Scope.REGION, indicators=one
        ).select_related("period")
    }
    regions = [{"region": r, "row": region_rows.get(r.pk)} for r in filters.regions]

    visible = offices_visible(user).filter(is_active=True)
    if filters.region:
        visible = visible.filter(region=filters.region)
    assigned = (
        Assignment.objects.filter(indicator=indicator, office__in=visible.values("pk"))
        .select_related("office__region")
        .order_by("office__region__city", "office__name")
    )
    office_rows = {
        r.office_id: r
        for r in office_figures(
            indicators=one,
            offices=[a.office for a in assigned],
            periods=[filters.headline],
            spans=[Span.STRATEGY_TO_DATE],
        )
    }
    offices = [{"office": a.office, "row": office_rows.get(a.office_id)} for a in assigned]

    office = None
    if office_code:
        office = next((o["office"] for o in offices if o["office"].code == office_code), None)
        if office is None:
            raise PermissionDenied(_("This office is outside your scope."))
    span = span if span in TREND_SPANS else Span.PERIOD
    trend = indicator_trend(
        filters=filters, indicator=indicator, span=span, region=filters.region, office=office
    )
    times = [headline.row.computed_at] if headline.row else []
    return IndicatorDetail(
        indicator=indicator,
        headline=headline,
        trend=trend,
        span=span,
        regions=regions,
        offices=offices,
        office=office,
        as_of=max(times) if times else None,
    )


# --- By region, by marker, SDG alignment -----------------------------------------------------


def dashboard_regions(*, filters: DashboardFilters) -> dict[str, Any]:
    """Return each region in the viewer's scope with the mean progress of its regional
    figures, "n of m" (m: indicators assigned to the region's offices), and a region ×
    outcome grid."""
    indicators = indicators_filtered(filters=filters)
    rows = rollups_headline(filters=filters, scope=Scope.REGION, indicators=indicators).filter(
        region__in=[r.pk for r in filters.regions]
    )
    by_region = _aggregate(rows, "region_id")
    n_region = dict(
        Assignment.objects.filter(is_active=True, indicator__in=indicators)
        .values("office__region_id")
        .annotate(m=Count("indicator", distinct=True))
        .order_by()
        .values_list("office__region_id", "m")
    )
    grid_rows = (
        rows.values("region_id", "indicator__deliverable__outcome_id")
        .annotate(avg=Avg(progress_for_mean()), n=Count("id", filter=Q(progress__isnull=False)))
        .order_by()
    )
    grid = {(g["region_id"], g["indicator__deliverable__outcome_id"]): g for g in grid_rows}
    outcomes = list(Outcome.objects.filter(strategy=filters.strategy))
    regions = []
    for r in filters.regions:
        item = _progress(
            pk=r.pk,
            code=r.code,
            title=str(r),
            agg=by_region.get(r.pk),
            indicators=n_region.get(r.pk, 0),
            filters=filters,
            obj=r,
        )
        item.children.extend(
            _progress(
                pk=o.pk,
                code=o.code,
                title=o.title,
                agg=grid.get((r.pk, o.pk)),
                indicators=0,
                filters=filters,
                obj=o,
            )
            for o in outcomes
        )
        regions.append(item)
    return {
        "regions": regions,
        "outcomes": outcomes,
        "as_of": _as_of(by_region),
        "chart": bar_chart(regions, _("Mean progress (%)")),
    }


def dashboard_markers(*, filters: DashboardFilters) -> dict[str, Any]:
    """Return each cross-cutting marker with its mean progress, "n of m", and its indicators'
    headline figures."""
    indicators = indicators_filtered(filters=filters)
    rows = rollups_headline(filters=filters, indicators=indicators)
    by_marker = _aggregate(rows, "indicator__markers")
    n_marker = _counts(indicators, "markers")
    tagged = indicators.filter(markers__isnull=False).distinct().order_by("code")
    figures, _by = _figures(tagged.prefetch_related("markers"), rows)
    markers = []
    for m in filters.markers:
        item = _progress(
            pk=m.pk,
            code=m.code,
            title=m.name,
            agg=by_marker.get(m.pk),
            indicators=n_marker.get(m.pk, 0),
            filters=filters,
            obj=m,
        )
        markers.append(
            {
                "summary": item,
                "figures": [
                    f for f in figures if any(x.pk == m.pk for x in f.indicator.markers.all())
                ],
            }
        )
    return {
        "markers": markers,
        "as_of": _as_of(by_marker),
        "chart": bar_chart([m["summary"] for m in markers], _("Mean progress (%)")),
    }


def dashboard_sdg(*, filters: DashboardFilters) -> dict[str, Any]:
    """Return the SDG targets the framework's indicators link to, each with its indicators
    and their mean progress ("n of m")."""
    indicators = indicators_filtered(filters=filters)
    rows = rollups_headline(filters=filters, indicators=indicators)
    by_target = _aggregate(rows, "indicator__sdg_targets")
    targets = (
        SdgTarget.objects.filter(indicators__in=indicators)
        .annotate(m=Count("indicators", distinct=True))
        .order_by("goal", "code")
        .prefetch_related("indicators")
    )
    allowed = set(indicators.values_list("pk", flat=True))
    items = []
    for t in targets:
        item = _progress(
            pk=t.pk,
            code=t.code,
            title=t.title,
            agg=by_target.get(t.pk),
            indicators=t.m,
            filters=filters,
            obj=t,
        )
        items.append(
            {
                "summary": item,
                "indicators": [i for i in t.indicators.all() if i.pk in allowed],
            }
        )
    return {
        "targets": items,
        "as_of": _as_of(by_target),
        "chart": bar_chart([t["summary"] for t in items], _("Mean progress (%)")),
    }
