"""Reads of the roll-up figures for the dashboards, the exports and the API, and the one headline
rule they all follow: `figures` reads figures whatever stores them, `headline` chooses the span
of a range and the indicators that count, `means` gives a result's mean and band,
`breakdowns` the figures by sex, age and population group."""

from rollups.selectors.breakdowns import (
    BREAKDOWN_MEASURES,
    Breakdown,
    DimensionBreakdown,
    Part,
    breakdown_export_rows,
    breakdown_figures,
    breakdown_indicators,
    breakdown_of_row,
    category_labels,
    dimension_label,
)
from rollups.selectors.figures import (
    Figure,
    headline_for,
    offices_expected,
    rollup_export_rows,
    rollup_figures,
)
from rollups.selectors.headline import (
    headline_indicators,
    headline_span,
    indicator_counts,
    range_span,
)
from rollups.selectors.means import (
    ALL,
    OUTPUTS,
    ResultMean,
    ResultMeans,
    region_means,
    result_mean,
    result_means,
    result_trend,
)
from rollups.selectors.offices import office_figures

__all__ = [
    "ALL",
    "BREAKDOWN_MEASURES",
    "OUTPUTS",
    "Breakdown",
    "DimensionBreakdown",
    "Figure",
    "Part",
    "ResultMean",
    "ResultMeans",
    "breakdown_export_rows",
    "breakdown_figures",
    "breakdown_indicators",
    "breakdown_of_row",
    "category_labels",
    "dimension_label",
    "headline_for",
    "headline_indicators",
    "headline_span",
    "indicator_counts",
    "office_figures",
    "offices_expected",
    "range_span",
    "region_means",
    "result_mean",
    "result_means",
    "result_trend",
    "rollup_export_rows",
    "rollup_figures",
]
