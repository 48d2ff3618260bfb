"""Build the membership update for a range of periods: every figure read from the roll-ups
through rollups.selectors (the headline rule the dashboards follow too), with a fixed number of
queries."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from deliverables.models import Indicator, IndicatorTarget
from exports.services import ExportError
from exports.services.membership.completeness import completeness_rows
from exports.services.membership.data import (
    Highlight,
    IndicatorRow,
    MarkerRow,
    MembershipUpdate,
    OutcomeBlock,
    ResultBlock,
    YearFigure,
    aggregate,
)
from exports.services.membership.highlights import highlights_by_result
from exports.services.membership.regions import regions_breakdown
from exports.services.membership.trend import trend_points
from exports.services.membership.years import year_figure
from offices.models import Region
from outcomes.models import InstitutionalOutput, Marker, Outcome, Strategy
from reporting.models import ReportingPeriod
from rollups.bands import Band
from rollups.models import Rollup
from rollups.selectors import (
    Breakdown,
    Figure,
    breakdown_figures,
    headline_for,
    indicator_counts,
    offices_expected,
    range_span,
    rollup_figures,
)

Scope, Span = Rollup.Scope, Rollup.Span


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
    """Return the span that covers the range (rollups.selectors.range_span); raise ExportError
    if none does: an update reports figures that cover exactly its range."""
    if period_from.start_date > period_to.start_date:
        raise ExportError(
            _("The range starts (%(a)s) after it ends (%(b)s).")
            % {"a": period_from.code, "b": period_to.code}
        )
    span = range_span(strategy=strategy, period_from=period_from, period_to=period_to)
    if span is None:
        raise ExportError(
            _(
                "Choose a single quarter, a range within one year starting in its first quarter, "
                "or a range from the strategy's first quarter (%(a)s – %(b)s is none of these)."
            )
            % {"a": period_from.code, "b": period_to.code}
        )
    return span


def membership_update_build(
    *, strategy: Strategy, period_from: ReportingPeriod, period_to: ReportingPeriod
) -> MembershipUpdate:
    """Return the membership update for the range, read from the roll-ups.

    Only approved figures count (the figures' `actual`); the number of queries does not grow
    with the number of indicators, regions or periods.
    """
    span = export_span(strategy=strategy, period_from=period_from, period_to=period_to)
    all_periods = list(strategy.periods.order_by("start_date"))
    in_range = [
        p for p in all_periods if period_from.start_date <= p.start_date <= period_to.start_date
    ]
    up_to_end = [p for p in all_periods if p.start_date <= period_to.start_date]
    years = sorted({p.year for p in in_range})
    # The year's figure: the year-to-date figure at the last quarter of that year in the range.
    year_end = {p.year: p for p in in_range}

    indicators = list(
        Indicator.objects.filter(strategy=strategy, is_active=True)
        .select_related("deliverable__outcome", "output")
        .prefetch_related("markers")
        .order_by("code")
    )
    # One read for the headline, the years and the trend; the headline's own span and period
    # is among these windows whatever the span (std and ytd end at `period_to` too).
    windows = {Span.STRATEGY_TO_DATE: up_to_end, Span.YEAR_TO_DATE: list(year_end.values())}
    if span == Span.PERIOD or period_to.state == ReportingPeriod.State.OPEN:
        # (an open period's own figures say how many offices have reported in it so far)
        windows[Span.PERIOD] = [period_to]
    global_figures = rollup_figures(indicators=indicators, windows=windows)
    region_figures = headline_for(
        indicators=indicators, period=period_to, span=span, scope=Scope.REGION
    )
    computed = [f.computed_at for f in global_figures + region_figures if f.computed_at]
    at = {(f.indicator_id, f.period_id, f.span): f for f in global_figures}
    targets = {
        (t.indicator_id, t.year): t.value
        for t in IndicatorTarget.objects.filter(
            indicator__strategy=strategy, office__isnull=True, year__in=years
        )
    }
    # The breakdowns of the headline and of each year's figure: the roll-ups' own, the ones
    # the dashboards show (one query).
    breakdown_windows = {Span.YEAR_TO_DATE: list(year_end.values())}
    if period_to not in breakdown_windows.setdefault(span, []):
        breakdown_windows[span].append(period_to)
    breakdowns = {
        (b.indicator_id, b.period_id, b.span): b
        for b in breakdown_figures(indicators=indicators, windows=breakdown_windows)
    }
    expected = offices_expected(indicator_ids=[i.pk for i in indicators])

    rows: dict[int, IndicatorRow] = {}
    for indicator in indicators:
        rows[indicator.pk] = _indicator_row(
            indicator,
            at.get((indicator.pk, period_to.pk, span)),
            breakdowns.get((indicator.pk, period_to.pk, span)),
            [
                year_figure(
                    year=year,
                    periods=[p for p in in_range if p.year == year],
                    target=targets.get((indicator.pk, year)),
                    ytd=at.get((indicator.pk, year_end[year].pk, Span.YEAR_TO_DATE)),
                    breakdown=breakdowns.get((indicator.pk, year_end[year].pk, Span.YEAR_TO_DATE)),
                    measure=indicator.measure,
                )
                for year in years
            ],
            expected=expected.get((indicator.pk, None), 0),
            reported=_reported(at, indicator, period_to, span),
        )

    std = [f for f in global_figures if f.span == Span.STRATEGY_TO_DATE]
    highlights = highlights_by_result(strategy=strategy, in_range=in_range)
    by_deliverable: dict[int, list[IndicatorRow]] = defaultdict(list)
    by_output: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in indicators:
        if indicator.deliverable_id:
            by_deliverable[indicator.deliverable_id].append(rows[indicator.pk])
        else:
            by_output[indicator.output_id].append(rows[indicator.pk])

    outcome_list = list(Outcome.objects.filter(strategy=strategy).prefetch_related("deliverables"))
    outcomes = []
    for outcome in outcome_list:
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
        outcome_ids = {row.id for row in outcome_rows}
        outcomes.append(
            OutcomeBlock(
                code=outcome.code,
                title=outcome.title,
                short_title=outcome.short_title,
                description=outcome.description,
                deliverables=blocks,
                summary=aggregate(outcome_rows),
                highlights=highlights.get(("outcome", outcome.pk), []),
                trend=trend_points(
                    indicators=[i for i in indicators if i.pk in outcome_ids],
                    figures=std,
                    periods=up_to_end,
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
    region_list = list(Region.objects.order_by("city"))
    regions, region_rows = regions_breakdown(
        indicators=indicators, figures=region_figures, regions=region_list, outcomes=outcome_list
    )
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
        summary=aggregate(list(rows.values())),
        outcomes=outcomes,
        outputs=outputs,
        output_highlights=output_highlights,
        markers=markers,
        regions=regions,
        region_figures=region_rows,
        completeness=completeness_rows(strategy=strategy, in_range=in_range, regions=region_list),
        trend=trend_points(indicators=indicators, figures=std, periods=up_to_end),
        years=years,
        period_state=period_to.state,
    )


def _reported(
    at: dict[tuple[int, int, str], Figure],
    indicator: Indicator,
    period: ReportingPeriod,
    span: str,
) -> int | None:
    """Return how many offices reported in an open period itself when the headline spans more
    (None otherwise: the headline's own count says it)."""
    if period.state != ReportingPeriod.State.OPEN or span == Span.PERIOD:
        return None
    own = at.get((indicator.pk, period.pk, Span.PERIOD))
    return own.offices_count if own else 0


def _indicator_row(
    indicator: Indicator,
    figure: Figure | None,
    breakdown: Breakdown | None,
    years: list[YearFigure],
    expected: int,
    reported: int | None = None,
) -> IndicatorRow:
    deliverable, output = indicator.deliverable, indicator.output
    if deliverable is not None:
        result_type = "deliverable"
        outcome_code = deliverable.outcome.code
        result_code = f"{outcome_code.upper()}.{deliverable.code}"
    else:
        result_type, outcome_code, result_code = "output", "", f"O.{output.code}"
    status = figure.status if figure else Band.NO_DATA
    baseline = figure.baseline if figure and figure.baseline is not None else None
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
        target=figure.target if figure else None,
        actual=figure.actual if figure else None,
        progress=figure.progress if figure else None,
        status=status,
        status_label=str(Band(status).label),
        updates_count=figure.updates_count if figure else 0,
        offices_count=figure.offices_count if figure else 0,
        provisional_actual=figure.provisional_actual if figure else None,
        marker_codes=[m.code for m in indicator.markers.all()],
        counted=indicator_counts(indicator),
        figure=figure,
        years=years,
        breakdown=breakdown,
        indicator=indicator,
        offices_expected=expected,
        offices_reported=reported,
    )
