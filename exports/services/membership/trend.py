"""The membership update's trend: mean strategy-to-date progress at each quarter's end."""

from __future__ import annotations

from deliverables.models import Indicator
from exports.services.membership.data import TrendPoint
from reporting.models import ReportingPeriod
from rollups.selectors import Figure, result_trend


def trend_points(
    *, indicators: list[Indicator], figures: list[Figure], periods: list[ReportingPeriod]
) -> list[TrendPoint]:
    """Return the mean of these indicators' strategy-to-date figures (`figures`) per period,
    from the first period with any data."""
    points = [
        TrendPoint(period=period.code, progress=mean.progress, n_with_data=mean.with_data)
        for period, mean in result_trend(indicators=indicators, figures=figures, periods=periods)
    ]
    # Leading quarters without any figure say nothing; drop them.
    while points and points[0].progress is None:
        points.pop(0)
    return points
