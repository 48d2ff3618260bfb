"""An indicator's yearly figures in the membership update (IATI periods): the year's target, its
year-to-date figure, and that figure's breakdowns from the roll-ups (rollups.selectors)."""

from __future__ import annotations

from decimal import Decimal

from deliverables.models import Indicator
from exports.services.membership.data import YearFigure
from reporting.models import ReportingPeriod
from rollups.selectors import Breakdown, Figure


def year_figure(
    *,
    year: int,
    periods: list[ReportingPeriod],
    target: Decimal | None,
    ytd: Figure | None,
    breakdown: Breakdown | None,
    measure: str,
) -> YearFigure:
    """Return one year of an indicator: `ytd` is its year-to-date figure at the year's last
    period in the range and `breakdown` that figure's breakdowns.

    The year's parts (dimension, category, value) are a count's only: a percentage's parts
    split its numerator, which is not the figure reported."""
    dimensions = []
    if breakdown is not None and measure == Indicator.Measure.NUMBER:
        dimensions = [
            (dim.dimension, part.category, part.value)
            for dim in breakdown.dimensions.values()
            for part in dim.parts
            if part.value is not None
        ]
    return YearFigure(
        year=year,
        start=periods[0].start_date,
        end=periods[-1].end_date,
        target=target,
        actual=ytd.actual if ytd else None,
        dimensions=dimensions,
    )
