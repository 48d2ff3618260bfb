"""The dashboards pages: under /reporting/, in the `reporting` URL namespace
(strategy_tracker/urls.py)."""

from django.urls import path

from dashboards.views import (
    deliverable_detail,
    heatmap,
    indicator_detail,
    markers,
    outcome_detail,
    output_detail,
    overview,
    regions,
    sdg,
)

urlpatterns = [
    path("dashboards/", overview, name="dashboard"),
    path("dashboards/outcomes/<int:pk>/", outcome_detail, name="dashboard_outcome"),
    path("dashboards/deliverables/<int:pk>/", deliverable_detail, name="dashboard_deliverable"),
    path("dashboards/outputs/<int:pk>/", output_detail, name="dashboard_output"),
    path("dashboards/indicators/<int:pk>/", indicator_detail, name="dashboard_indicator"),
    path("dashboards/regions/", regions, name="dashboard_regions"),
    path("dashboards/markers/", markers, name="dashboard_markers"),
    path("dashboards/sdg/", sdg, name="dashboard_sdg"),
    path("dashboards/completeness/", heatmap, name="dashboard_heatmap"),
]
