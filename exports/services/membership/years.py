"""An indicator's yearly figures in the membership update (IATI periods): the year's target, its
year-to-date figure, and its approved disaggregations summed over the year."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from deliverables.models import Indicator
from exports.services.membership.data import YearFigure
from outcomes.models import Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.selectors import Figure


def year_figure(
    *,
    year: int,
    periods: list[ReportingPeriod],
    target: Decimal | None,
    ytd: Figure | None,
    dimensions: dict[tuple[str, str], Decimal],
) -> YearFigure:
    """Return one year of an indicator: `ytd` is its year-to-date figure at the year's last
    period in the range."""
    return YearFigure(
        year=year,
        start=periods[0].start_date,
        end=periods[-1].end_date,
        target=target,
        actual=ytd.actual if ytd else None,
        dimensions=[(dim, cat, value) for (dim, cat), value in sorted(dimensions.items())],
    )


def dimensions_by_year(
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
            status=IndicatorUpdate.Status.APPROVED,
            measure=Indicator.Measure.NUMBER,
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
