"""The membership update as plain data: everything the PDF, XLSX, CSV and IATI renderers show,
read from the roll-up table (and a few source rows) with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from deliverables.models import Assignment, Indicator, IndicatorTarget
from exports.services import ExportError
from offices.models import Region
from outcomes.models import InstitutionalOutput, Marker, Outcome, Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.models import Rollup
from rollups.selectors import progress_mean

Span = Rollup.Span
Band = Rollup.Status
Measure = Indicator.Measure
Approved = IndicatorUpdate.Status.APPROVED
HIGHLIGHTS_PER_RESULT = 3
HIGHLIGHT_MAX_CHARS = 600


# --- The data tree ---------------------------------------------------------------------------


@dataclass
class YearFigure:
    """One reporting year of an indicator: its global target and the year's actual figure."""

    year: int
    start: dt.date
    end: dt.date
    target: Decimal | None
    actual: Decimal | None
    # (dimension, category, value): approved disaggregations summed over the year.
    dimensions: list[tuple[str, str, Decimal]] = field(default_factory=list)


@dataclass
class IndicatorRow:
    id: int
    code: str
    name: str
    definition: str
    measure: str
    measure_label: str
    unit: str
    ascending: bool
    cumulative: bool
    result_type: str  # "deliverable" or "output"
    result_code: str  # e.g. "A.i" or "O.a"
    outcome_code: str  # "" for institutional outputs
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None  # 1.0 = 100%
    status: str
    status_label: str
    updates_count: int
    offices_count: int
    provisional_actual: Decimal | None
    marker_codes: list[str]
    years: list[YearFigure] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.progress is not None and self.status != Band.NO_DATA

    @property
    def bar_percent(self) -> float:
        """Return the progress as a bar width between 0 and 100."""
        return _bar(self.progress)


@dataclass
class Aggregate:
    """Mean progress of the indicators that have data, with how many have data (DOMAIN.md)."""

    progress: Decimal | None
    n_with_data: int
    n_indicators: int
    band_counts: list[tuple[str, str, int]]  # (band, label, count), bands with a count only

    @property
    def bar_percent(self) -> float:
        return _bar(self.progress)


@dataclass
class ResultBlock:
    """A deliverable or an institutional output with its indicator table."""

    kind: str  # "deliverable" or "output"
    code: str
    title: str
    short_title: str
    indicators: list[IndicatorRow]
    summary: Aggregate
    highlights: list[Highlight] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.code}".replace(".", "-").lower()


@dataclass
class OutcomeBlock:
    code: str
    title: str
    short_title: str
    description: str
    deliverables: list[ResultBlock]
    summary: Aggregate
    highlights: list[Highlight]
    trend: list[TrendPoint]

    @property
    def anchor(self) -> str:
        return f"outcome-{self.code}"

    @property
    def indicators(self) -> list[IndicatorRow]:
        return [row for block in self.deliverables for row in block.indicators]


@dataclass
class Highlight:
    result_code: str
    indicator_code: str
    indicator_name: str
    office: str
    period: str
    text: str


@dataclass
class TrendPoint:
    period: str
    progress: Decimal | None
    n_with_data: int


@dataclass
class MarkerRow:
    code: str
    name: str
    summary: Aggregate


@dataclass
class GroupProgress:
    label: str
    summary: Aggregate


@dataclass
class RegionRow:
    code: str
    city: str
    name: str
    summary: Aggregate
    updates_count: int
    groups: list[GroupProgress]


@dataclass
class RegionFigure:
    """One indicator's figure in one region over the report's span."""

    region_code: str
    region: str
    indicator_code: str
    indicator_name: str
    measure: str
    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None
    status: str
    updates_count: int
    offices_count: int


@dataclass
class CompletenessRow:
    period: str
    region: str
    expected: int
    approved: int
    submitted: int

    @property
    def rate(self) -> Decimal | None:
        """Return approved / expected (1.0 = all expected updates approved)."""
        return Decimal(self.approved) / Decimal(self.expected) if self.expected else None


@dataclass
class MembershipUpdate:
    strategy_id: int
    strategy_code: str
    strategy_title: str
    start_year: int
    end_year: int
    period_from: str
    period_to: str
    start_date: dt.date
    end_date: dt.date
    span: str
    span_label: str
    generated_at: dt.datetime
    data_as_of: dt.datetime | None
    summary: Aggregate
    outcomes: list[OutcomeBlock]
    outputs: list[ResultBlock]
    output_highlights: list[Highlight]
    markers: list[MarkerRow]
    regions: list[RegionRow]
    region_figures: list[RegionFigure]
    completeness: list[CompletenessRow]
    trend: list[TrendPoint]
    years: list[int]

    @property
    def range_label(self) -> str:
        if self.period_from == self.period_to:
            return self.period_from
        return f"{self.period_from} – {self.period_to}"

    @property
    def indicators(self) -> list[IndicatorRow]:
        rows = [row for outcome in self.outcomes for row in outcome.indicators]
        return rows + [row for block in self.outputs for row in block.indicators]

    @property
    def completeness_expected(self) -> int:
        return sum(row.expected for row in self.completeness)

    @property
    def completeness_approved(self) -> int:
        return sum(row.approved for row in self.completeness)

    @property
    def completeness_rate(self) -> Decimal | None:
        expected = self.completeness_expected
        return Decimal(self.completeness_approved) / expected if expected else None

    def completeness_by_period(self) -> list[CompletenessRow]:
        """Return one row per period, summed over regions."""
        return _completeness_totals(self.completeness, key="period")

    def completeness_by_region(self) -> list[CompletenessRow]:
        """Return one row per region, summed over the range's periods."""
        return _completeness_totals(self.completeness, key="region")


def _completeness_totals(rows: list[CompletenessRow], *, key: str) -> list[CompletenessRow]:
    totals: dict[str, CompletenessRow] = {}
    for row in rows:
        name = getattr(row, key)
        total = totals.setdefault(
            name,
            CompletenessRow(
                period=name if key == "period" else "",
                region=name if key == "region" else "",
                expected=0,
                approved=0,
                submitted=0,
            ),
        )
        total.expected += row.expected
        total.approved += row.approved
        total.submitted += row.submitted
    return list(totals.values())


def _bar(progress: Decimal | None) -> float:
    if progress is None:
        return 0.0
    return float(max(Decimal(0), min(Decimal(1), progress)) * 100)


def aggregate(rows: list[IndicatorRow]) -> Aggregate:
    """Return the mean progress of the rows that have data, and the count of each band."""
    with_data = [row.progress for row in rows if row.has_data]
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return Aggregate(
        progress=progress_mean(with_data),
        n_with_data=len(with_data),
        n_indicators=len(rows),
        band_counts=[
            (band, str(label), counts[band]) for band, label in Band.choices if counts[band]
        ],
    )


# --- Range -----------------------------------------------------------------------------------


def export_periods_resolve(
    *, strategy: Strategy, period_from: str, period_to: str
) -> tuple[ReportingPeriod, ReportingPeriod]:
    """Return the strategy's periods with these codes; raise ExportError for a bad range."""
    found = {p.code: p for p in strategy.periods.filter(code__in=[period_from, period_to])}
    missing = [code for code in (period_from, period_to) if code not in found]
    if missing:
        raise ExportError(_("Unknown reporting period: %(code)s.") % {"code": missing[0]})
    first, last = found[period_from], found[period_to]
    export_span(strategy=strategy, period_from=first, period_to=last)
    return first, last


def export_span(
    *, strategy: Strategy, period_from: ReportingPeriod, period_to: ReportingPeriod
) -> str:
    """Return the roll-up span that covers the range; raise ExportError if none does.

    Roll-ups hold a quarter, a year to date and the strategy to date, so a range is one
    quarter, from a year's first quarter, or from the strategy's first quarter.
    """
    if period_from.start_date > period_to.start_date:
        raise ExportError(
            _("The range starts (%(a)s) after it ends (%(b)s).")
            % {"a": period_from.code, "b": period_to.code}
        )
    if period_from.pk == period_to.pk:
        return Span.PERIOD
    first = strategy.periods.order_by("start_date").values_list("pk", flat=True).first()
    if period_from.pk == first:
        return Span.STRATEGY_TO_DATE
    if period_from.year == period_to.year and period_from.quarter == 1:
        return Span.YEAR_TO_DATE
    raise ExportError(
        _(
            "Choose a single quarter, a range within one year starting in its first quarter, "
            "or a range from the strategy's first quarter (%(a)s – %(b)s is none of these)."
        )
        % {"a": period_from.code, "b": period_to.code}
    )


# --- Build -----------------------------------------------------------------------------------


def membership_update_build(
    *, strategy: Strategy, period_from: ReportingPeriod, period_to: ReportingPeriod
) -> MembershipUpdate:
    """Return the membership update for the range, read from the roll-ups.

    Only approved figures count (the roll-ups' `actual`); the number of queries does not grow
    with the number of indicators, regions or periods.
    """
    span = export_span(strategy=strategy, period_from=period_from, period_to=period_to)
    all_periods = list(strategy.periods.order_by("start_date"))
    in_range = [
        p for p in all_periods if period_from.start_date <= p.start_date <= period_to.start_date
    ]
    up_to_end = [p for p in all_periods if p.start_date <= period_to.start_date]
    years = sorted({p.year for p in in_range})
    # The year's figure: the year-to-date row at the last quarter of that year in the range.
    year_end = {p.year: p for p in in_range}

    indicators = list(
        Indicator.objects.filter(strategy=strategy, is_active=True)
        .select_related("deliverable__outcome", "output")
        .prefetch_related("markers")
        .order_by("code")
    )
    global_rows = list(
        Rollup.objects.filter(indicator__strategy=strategy, scope=Rollup.Scope.GLOBAL)
        .filter(
            Q(span=Span.STRATEGY_TO_DATE, period__start_date__lte=period_to.start_date)
            | Q(span=Span.YEAR_TO_DATE, period__in=[p.pk for p in year_end.values()])
            | Q(span=span, period=period_to)
        )
        .values(
            "indicator_id",
            "period_id",
            "span",
            "actual",
            "target",
            "baseline",
            "progress",
            "status",
            "updates_count",
            "offices_count",
            "provisional_actual",
            "computed_at",
        )
    )
    region_rows = list(
        Rollup.objects.filter(
            indicator__strategy=strategy,
            scope=Rollup.Scope.REGION,
            span=span,
            period=period_to,
        ).values(
            "indicator_id",
            "region_id",
            "actual",
            "target",
            "progress",
            "status",
            "updates_count",
            "offices_count",
            "computed_at",
        )
    )
    computed = [r["computed_at"] for r in global_rows + region_rows if r["computed_at"]]
    main = {
        r["indicator_id"]: r
        for r in global_rows
        if r["span"] == span and r["period_id"] == period_to.pk
    }
    ytd = {
        (r["indicator_id"], r["period_id"]): r
        for r in global_rows
        if r["span"] == Span.YEAR_TO_DATE
    }
    std = {
        (r["indicator_id"], r["period_id"]): r
        for r in global_rows
        if r["span"] == Span.STRATEGY_TO_DATE
    }
    targets = {
        (t.indicator_id, t.year): t.value
        for t in IndicatorTarget.objects.filter(
            indicator__strategy=strategy, office__isnull=True, year__in=years
        )
    }
    dimensions = _dimensions_by_year(strategy=strategy, in_range=in_range)

    rows: dict[int, IndicatorRow] = {}
    for indicator in indicators:
        rows[indicator.pk] = _indicator_row(
            indicator,
            main.get(indicator.pk),
            [
                _year_figure(
                    year=year,
                    periods=[p for p in in_range if p.year == year],
                    target=targets.get((indicator.pk, year)),
                    ytd_row=ytd.get((indicator.pk, year_end[year].pk)),
                    dimensions=dimensions.get((indicator.pk, year), {}),
                )
                for year in years
            ],
        )

    highlights = _highlights(strategy=strategy, in_range=in_range)
    by_deliverable: dict[int, list[IndicatorRow]] = defaultdict(list)
    by_output: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in indicators:
        if indicator.deliverable_id:
            by_deliverable[indicator.deliverable_id].append(rows[indicator.pk])
        else:
            by_output[indicator.output_id].append(rows[indicator.pk])

    outcomes = []
    outcome_indicator_ids: dict[str, list[int]] = {}
    for outcome in Outcome.objects.filter(strategy=strategy).prefetch_related("deliverables"):
        blocks = []
        for deliverable in outcome.deliverables.all():
            block_rows = by_deliverable.get(deliverable.pk, [])
            blocks.append(
                ResultBlock(
                    kind="deliverable",
                    code=f"{outcome.code.upper()}.{deliverable.code}",
                    title=deliverable.title,
                    short_title=deliverable.short_title,
                    indicators=block_rows,
                    summary=aggregate(block_rows),
                )
            )
        outcome_rows = [row for block in blocks for row in block.indicators]
        outcome_indicator_ids[outcome.code] = [row.id for row in outcome_rows]
        outcomes.append(
            OutcomeBlock(
                code=outcome.code,
                title=outcome.title,
                short_title=outcome.short_title,
                description=outcome.description,
                deliverables=blocks,
                summary=aggregate(outcome_rows),
                highlights=highlights.get(("outcome", outcome.pk), []),
                trend=_trend(
                    indicator_ids=outcome_indicator_ids[outcome.code],
                    periods=up_to_end,
                    std=std,
                ),
            )
        )

    outputs = []
    output_highlights: list[Highlight] = []
    for output in InstitutionalOutput.objects.filter(strategy=strategy):
        block_rows = by_output.get(output.pk, [])
        block_highlights = highlights.get(("output", output.pk), [])
        output_highlights += block_highlights
        outputs.append(
            ResultBlock(
                kind="output",
                code=f"O.{output.code}",
                title=output.title,
                short_title=output.short_title,
                indicators=block_rows,
                summary=aggregate(block_rows),
                highlights=block_highlights,
            )
        )

    markers = [
        MarkerRow(
            code=marker.code,
            name=marker.name,
            summary=aggregate([row for row in rows.values() if marker.code in row.marker_codes]),
        )
        for marker in Marker.objects.filter(strategy=strategy)
    ]

    regions, region_figures = _regions(
        region_rows=region_rows,
        indicators=indicators,
        rows=rows,
        outcome_indicator_ids=outcome_indicator_ids,
    )
    all_rows = list(rows.values())
    return MembershipUpdate(
        strategy_id=strategy.pk,
        strategy_code=strategy.code,
        strategy_title=strategy.title,
        start_year=strategy.start_year,
        end_year=strategy.end_year,
        period_from=period_from.code,
        period_to=period_to.code,
        start_date=period_from.start_date,
        end_date=period_to.end_date,
        span=span,
        span_label=str(Span(span).label),
        generated_at=timezone.now(),
        data_as_of=max(computed) if computed else None,
        summary=aggregate(all_rows),
        outcomes=outcomes,
        outputs=outputs,
        output_highlights=output_highlights,
        markers=markers,
        regions=regions,
        region_figures=region_figures,
        completeness=_completeness(strategy=strategy, in_range=in_range),
        trend=_trend(indicator_ids=list(rows), periods=up_to_end, std=std),
        years=years,
    )


def _indicator_row(indicator: Indicator, rollup: dict | None, years: list[YearFigure]):
    deliverable, output = indicator.deliverable, indicator.output
    if deliverable is not None:
        result_type = "deliverable"
        outcome_code = deliverable.outcome.code
        result_code = f"{outcome_code.upper()}.{deliverable.code}"
    else:
        result_type, outcome_code, result_code = "output", "", f"O.{output.code}"
    status = rollup["status"] if rollup else Band.NO_DATA
    baseline = rollup["baseline"] if rollup and rollup["baseline"] is not None else None
    return IndicatorRow(
        id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        definition=indicator.definition,
        measure=indicator.measure,
        measure_label=str(indicator.get_measure_display()),
        unit=indicator.unit,
        ascending=indicator.direction == Indicator.Direction.INCREASE,
        cumulative=indicator.cumulative,
        result_type=result_type,
        result_code=result_code,
        outcome_code=outcome_code,
        baseline=baseline if baseline is not None else indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        target=rollup["target"] if rollup else None,
        actual=rollup["actual"] if rollup else None,
        progress=rollup["progress"] if rollup else None,
        status=status,
        status_label=str(Band(status).label),
        updates_count=rollup["updates_count"] if rollup else 0,
        offices_count=rollup["offices_count"] if rollup else 0,
        provisional_actual=rollup["provisional_actual"] if rollup else None,
        marker_codes=[m.code for m in indicator.markers.all()],
        years=years,
    )


def _year_figure(
    *,
    year: int,
    periods: list[ReportingPeriod],
    target: Decimal | None,
    ytd_row: dict | None,
    dimensions: dict[tuple[str, str], Decimal],
) -> YearFigure:
    return YearFigure(
        year=year,
        start=periods[0].start_date,
        end=periods[-1].end_date,
        target=target,
        actual=ytd_row["actual"] if ytd_row else None,
        dimensions=[(dim, cat, value) for (dim, cat), value in sorted(dimensions.items())],
    )


def _dimensions_by_year(
    *, strategy: Strategy, in_range: list[ReportingPeriod]
) -> dict[tuple[int, int], dict[tuple[str, str], Decimal]]:
    """Return approved disaggregations of number indicators summed per (indicator, year).

    Cumulative indicators add every approved quarter; others take each office's latest
    approved quarter in the year and add offices (the roll-up rules, DOMAIN.md). The parts
    live in a JSON field, so they are added here rather than in SQL.
    """
    updates = (
        IndicatorUpdate.objects.filter(
            indicator__strategy=strategy,
            status=Approved,
            measure=Measure.NUMBER,
            period__in=[p.pk for p in in_range],
        )
        .exclude(disaggregations={})
        .order_by("period__start_date")
        .values_list(
            "indicator_id", "office_id", "period__year", "disaggregations", "indicator__cumulative"
        )
    )
    latest: dict[tuple[int, int, int], dict] = {}
    sums: dict[tuple[int, int], dict[tuple[str, str], Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for indicator_id, office_id, year, parts, cumulative in updates:
        if cumulative:
            _add_parts(sums[(indicator_id, year)], parts)
        else:
            latest[(indicator_id, year, office_id)] = parts  # later quarters overwrite
    for (indicator_id, year, _office_id), parts in latest.items():
        _add_parts(sums[(indicator_id, year)], parts)
    return sums


def _add_parts(total: dict[tuple[str, str], Decimal], parts: dict) -> None:
    for dimension, categories in (parts or {}).items():
        if not isinstance(categories, dict):
            continue
        for category, value in categories.items():
            if value in (None, ""):
                continue
            total[(dimension, category)] += Decimal(str(value))


def _highlights(
    *, strategy: Strategy, in_range: list[ReportingPeriod]
) -> dict[tuple[str, int], list[Highlight]]:
    """Return the latest approved non-empty narratives, a few per outcome and per output."""
    ranked = (
        IndicatorUpdate.objects.filter(
            indicator__strategy=strategy, status=Approved, period__in=[p.pk for p in in_range]
        )
        .exclude(narrative="")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("indicator__deliverable__outcome_id"), F("indicator__output_id")],
                order_by=[
                    F("period__start_date").desc(),
                    F("reviewed_at").desc(nulls_last=True),
                    F("pk").desc(),
                ],
            )
        )
        .filter(rank__lte=HIGHLIGHTS_PER_RESULT)
        .select_related("indicator__deliverable__outcome", "indicator__output", "office", "period")
        .order_by("-period__start_date", "pk")
    )
    result: dict[tuple[str, int], list[Highlight]] = defaultdict(list)
    for update in ranked:
        indicator = update.indicator
        if indicator.deliverable_id:
            key = ("outcome", indicator.deliverable.outcome_id)
            code = indicator.deliverable.full_code
        else:
            key, code = ("output", indicator.output_id), f"O.{indicator.output.code}"
        text = " ".join(update.narrative.split())
        if len(text) > HIGHLIGHT_MAX_CHARS:
            text = text[: HIGHLIGHT_MAX_CHARS - 1].rstrip() + "…"
        result[key].append(
            Highlight(
                result_code=code,
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                office=update.office.name,
                period=update.period.code,
                text=text,
            )
        )
    return result


def _trend(
    *, indicator_ids: list[int], periods: list[ReportingPeriod], std: dict
) -> list[TrendPoint]:
    """Return the mean strategy-to-date progress of these indicators at each quarter's end."""
    points = []
    for period in periods:
        values = [
            row["progress"]
            for pk in indicator_ids
            if (row := std.get((pk, period.pk)))
            and row["progress"] is not None
            and row["status"] != Band.NO_DATA
        ]
        points.append(
            TrendPoint(
                period=period.code,
                progress=progress_mean(values),
                n_with_data=len(values),
            )
        )
    # Leading quarters without any figure say nothing; drop them.
    while points and points[0].progress is None:
        points.pop(0)
    return points


def _regions(
    *,
    region_rows: list[dict],
    indicators: list[Indicator],
    rows: dict[int, IndicatorRow],
    outcome_indicator_ids: dict[str, list[int]],
) -> tuple[list[RegionRow], list[RegionFigure]]:
    by_region: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in region_rows:
        if row["indicator_id"] in rows:
            by_region[row["region_id"]][row["indicator_id"]] = row
    output_ids = [row.id for row in rows.values() if row.result_type == "output"]
    groups = [(f"({code})", ids) for code, ids in outcome_indicator_ids.items()]
    groups.append((_("Outputs"), output_ids))
    regions, figures = [], []
    for region in Region.objects.order_by("city"):
        found = by_region.get(region.pk, {})
        pseudo = {pk: _regional_row(rows[pk], data) for pk, data in found.items()}
        regions.append(
            RegionRow(
                code=region.code,
                city=region.city,
                name=region.name,
                summary=aggregate(list(pseudo.values())),
                updates_count=sum(data["updates_count"] for data in found.values()),
                groups=[
                    GroupProgress(
                        label=label, summary=aggregate([pseudo[pk] for pk in ids if pk in pseudo])
                    )
                    for label, ids in groups
                ],
            )
        )
        for indicator in indicators:
            data = found.get(indicator.pk)
            if data is None:
                continue
            figures.append(
                RegionFigure(
                    region_code=region.code,
                    region=region.city,
                    indicator_code=indicator.code,
                    indicator_name=indicator.name,
                    measure=indicator.measure,
                    target=data["target"],
                    actual=data["actual"],
                    progress=data["progress"],
                    status=data["status"],
                    updates_count=data["updates_count"],
                    offices_count=data["offices_count"],
                )
            )
    return regions, figures


def _regional_row(row: IndicatorRow, data: dict) -> IndicatorRow:
    """Return a copy of the global row carrying a region's progress and status."""
    copy = IndicatorRow(**{**row.__dict__, "years": []})
    copy.progress, copy.status = data["progress"], data["status"]
    return copy


def _completeness(*, strategy: Strategy, in_range: list[ReportingPeriod]) -> list[CompletenessRow]:
    """Return, per period and region, the expected updates (active assignments) and how many
    were approved or are waiting as submitted. Headquarters offices form their own row."""
    expected = {
        row["office__region_id"]: row["n"]
        for row in Assignment.objects.filter(
            is_active=True,
            indicator__is_active=True,
            indicator__strategy=strategy,
            office__is_active=True,
        )
        .values("office__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    counts: dict[tuple[int, int | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        IndicatorUpdate.objects.filter(
            indicator__strategy=strategy,
            period__in=[p.pk for p in in_range],
            status__in=[Approved, IndicatorUpdate.Status.SUBMITTED],
        )
        .values("period_id", "office__region_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["period_id"], row["office__region_id"])][row["status"]] += row["n"]
    region_names = dict(Region.objects.values_list("pk", "city"))
    region_ids = sorted(
        set(expected) | {region_id for _p, region_id in counts},
        key=lambda pk: (pk is None, region_names.get(pk, "")),
    )
    rows = []
    for period in in_range:
        for region_id in region_ids:
            found = counts.get((period.pk, region_id), {})
            rows.append(
                CompletenessRow(
                    period=period.code,
                    region=region_names.get(region_id) or _("Headquarters"),
                    expected=expected.get(region_id, 0),
                    approved=found.get(Approved, 0),
                    submitted=found.get(IndicatorUpdate.Status.SUBMITTED, 0),
                )
            )
    return rows
