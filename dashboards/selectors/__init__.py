"""Reads for the steering committee's dashboards, one module per kind of page.

Every figure is read through rollups.selectors: the headline rule (the span covering the range,
each indicator's figure at exactly its end) and a result's mean over its indicators with data,
with "n of m" and band. These are the rules the membership update follows too. Each page runs
a fixed number of queries whatever the amount of data.
"""

from dashboards.selectors.filters import DashboardFilters, dashboard_filters
from dashboards.selectors.groups import dashboard_markers, dashboard_regions, dashboard_sdg
from dashboards.selectors.indicators import TREND_SPANS, dashboard_indicator
from dashboards.selectors.maps import map_completeness
from dashboards.selectors.results import dashboard_overview, dashboard_result

__all__ = [
    "TREND_SPANS",
    "DashboardFilters",
    "dashboard_filters",
    "dashboard_indicator",
    "dashboard_markers",
    "dashboard_overview",
    "dashboard_regions",
    "dashboard_result",
    "dashboard_sdg",
    "map_completeness",
]
