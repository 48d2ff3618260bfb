"""Views: the steering committee's dashboards (read-only; every figure from Rollup rows)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from deliverables.models import Deliverable, Indicator
from offices.permissions import can_read_dashboards
from outcomes.models import InstitutionalOutput, Outcome
from reporting.models import Rollup
from reporting.selectors.completeness import (
    completeness_legend,
    completeness_matrix,
    completeness_summary,
)
from reporting.selectors.dashboards import (
    TREND_SPANS,
    DashboardFilters,
    dashboard_filters,
    dashboard_indicator,
    dashboard_markers,
    dashboard_overview,
    dashboard_regions,
    dashboard_result,
    dashboard_sdg,
    strategy_for_dashboards,
)

OVERDUE_TEMPLATE = "plans/_overdue_actions.html"


def dashboard_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a signed-in user with a role; parse the filters; pass them to the view."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_read_dashboards(request.user):
            raise PermissionDenied(_("You have no role that gives access to the dashboards."))
        strategy = strategy_for_dashboards()
        if strategy is None:
            raise Http404(_("No strategy has been loaded yet."))
        try:
            filters = dashboard_filters(user=request.user, strategy=strategy, params=request.GET)
        except ValueError:
            return render(request, "reporting/dashboard_empty.html", {"strategy": strategy})
        return view(request, filters, *args, **kwargs)

    return wrapper


def _render(
    request: HttpRequest, template: str, filters: DashboardFilters, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"reporting/{template}",
        {"filters": filters, "query": filters.query(), "page": template, **context},
    )


def _overdue_actions(filters: DashboardFilters) -> dict[str, Any]:
    """Return the delivery plan's overdue-actions card context when the plans app is there."""
    if not apps.is_installed("plans"):
        return {"plans_installed": False}
    try:
        from plans.selectors import actions_overdue

        get_template(OVERDUE_TEMPLATE)
    except (ImportError, TemplateDoesNotExist):
        return {"plans_installed": False}
    today = timezone.localdate()
    return {
        "plans_installed": True,
        # The card counts them all and lists the first ten (one query, cached by the count).
        "overdue_actions": actions_overdue(strategy=filters.strategy, today=today),
        "today": today,
    }


@dashboard_view
def overview(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(
        request,
        "dashboard_overview.html",
        filters,
        overview=dashboard_overview(filters=filters),
        completeness=completeness_summary(
            user=request.user, periods=filters.periods, region=filters.region
        ),
        **_overdue_actions(filters),
    )


@dashboard_view
def outcome_detail(request: HttpRequest, filters: DashboardFilters, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome, pk=pk, strategy=filters.strategy)
    return _render(
        request,
        "dashboard_result.html",
        filters,
        kind=_("Outcome"),
        detail=dashboard_result(filters=filters, result=outcome),
    )


@dashboard_view
def deliverable_detail(request: HttpRequest, filters: DashboardFilters, pk: int) -> HttpResponse:
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("outcome"), pk=pk, outcome__strategy=filters.strategy
    )
    return _render(
        request,
        "dashboard_result.html",
        filters,
        kind=_("Deliverable"),
        detail=dashboard_result(filters=filters, result=deliverable),
    )


@dashboard_view
def output_detail(request: HttpRequest, filters: DashboardFilters, pk: int) -> HttpResponse:
    output = get_object_or_404(InstitutionalOutput, pk=pk, strategy=filters.strategy)
    return _render(
        request,
        "dashboard_result.html",
        filters,
        kind=_("Institutional output"),
        detail=dashboard_result(filters=filters, result=output),
    )


@dashboard_view
def indicator_detail(request: HttpRequest, filters: DashboardFilters, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related("deliverable__outcome", "output"),
        pk=pk,
        strategy=filters.strategy,
    )
    detail = dashboard_indicator(
        user=request.user,
        filters=filters,
        indicator=indicator,
        span=request.GET.get("span", ""),
        office_code=request.GET.get("office", ""),
    )
    spans = [(value, label) for value, label in Rollup.Span.choices if value in TREND_SPANS]
    return _render(
        request,
        "dashboard_indicator.html",
        filters,
        detail=detail,
        span_choices=spans,
        span_label=dict(spans)[detail.span],
    )


@dashboard_view
def regions(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(request, "dashboard_regions.html", filters, **dashboard_regions(filters=filters))


@dashboard_view
def markers(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(request, "dashboard_markers.html", filters, **dashboard_markers(filters=filters))


@dashboard_view
def sdg(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(request, "dashboard_sdg.html", filters, **dashboard_sdg(filters=filters))


@dashboard_view
def heatmap(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    matrix = completeness_matrix(user=request.user, periods=filters.periods, region=filters.region)
    return _render(
        request,
        "dashboard_heatmap.html",
        filters,
        matrix=matrix,
        legend=completeness_legend(),
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
