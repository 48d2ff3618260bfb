"""Views: the steering committee's dashboards (read-only; every figure from Rollup rows)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.selectors import (
    TREND_SPANS,
    DashboardFilters,
    dashboard_filters,
    dashboard_indicator,
    dashboard_markers,
    dashboard_overview,
    dashboard_regions,
    dashboard_result,
    dashboard_sdg,
    map_completeness,
)
from dashboards.selectors.breakdowns import indicator_breakdowns, marker_breakdowns
from deliverables.models import Deliverable, Indicator
from offices.permissions import can_read_dashboards
from outcomes.models import InstitutionalOutput, Outcome
from outcomes.selectors import strategy_current
from plans.selectors import actions_overdue
from reporting.selectors.completeness import (
    completeness_legend,
    completeness_matrix,
    completeness_summary,
)
from rollups.models import Rollup


def dashboard_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a signed-in user with a role; parse the filters; pass them to the view."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_read_dashboards(request.user):
            raise PermissionDenied(_("You have no role that gives access to the dashboards."))
        strategy = strategy_current()
        if strategy is None:
            raise Http404(_("No strategy has been loaded yet."))
        try:
            filters = dashboard_filters(user=request.user, strategy=strategy, params=request.GET)
        except ValueError:
            return render(request, "dashboards/empty.html", {"strategy": strategy})
        return view(request, filters, *args, **kwargs)

    return wrapper


def _render(
    request: HttpRequest, template: str, filters: DashboardFilters, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"dashboards/{template}",
        {"filters": filters, "query": filters.query(), "page": template, **context},
    )


def _overdue_actions(filters: DashboardFilters) -> dict[str, Any]:
    """Return the delivery plan's overdue-actions card context."""
    today = timezone.localdate()
    return {
        # The card counts them all and lists the first ten (one query, cached by the count).
        "overdue_actions": actions_overdue(strategy=filters.strategy, today=today),
        "today": today,
    }


@dashboard_view
def overview(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(
        request,
        "overview.html",
        filters,
        overview=dashboard_overview(filters=filters),
        map=map_completeness(user=request.user, period=filters.period_to, region=filters.region),
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
        "result.html",
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
        "result.html",
        filters,
        kind=_("Deliverable"),
        detail=dashboard_result(filters=filters, result=deliverable),
    )


@dashboard_view
def output_detail(request: HttpRequest, filters: DashboardFilters, pk: int) -> HttpResponse:
    output = get_object_or_404(InstitutionalOutput, pk=pk, strategy=filters.strategy)
    return _render(
        request,
        "result.html",
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
        "indicator.html",
        filters,
        detail=detail,
        breakdowns=indicator_breakdowns(
            filters=filters, indicator=indicator, span=detail.span, office=detail.office
        ),
        span_choices=spans,
        span_label=dict(spans)[detail.span],
    )


@dashboard_view
def regions(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(request, "regions.html", filters, **dashboard_regions(filters=filters))


@dashboard_view
def markers(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(
        request,
        "markers.html",
        filters,
        **dashboard_markers(filters=filters),
        marker_breakdowns=marker_breakdowns(filters=filters),
    )


@dashboard_view
def sdg(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    return _render(request, "sdg.html", filters, **dashboard_sdg(filters=filters))


@dashboard_view
def heatmap(request: HttpRequest, filters: DashboardFilters) -> HttpResponse:
    matrix = completeness_matrix(user=request.user, periods=filters.periods, region=filters.region)
    return _render(
        request,
        "heatmap.html",
        filters,
        matrix=matrix,
        legend=completeness_legend(),
    )
