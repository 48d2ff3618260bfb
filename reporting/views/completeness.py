"""Views: completeness (which offices have reported, per period, and what arrived late)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from offices.models import Region
from offices.permissions import can_read_dashboards, offices_visible
from outcomes.selectors import strategy_current
from reporting.selectors.completeness import completeness_legend, completeness_matrix
from reporting.selectors.periods import period_range

DEFAULT_PERIODS = 4  # without a range, the last four periods that have started


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """Offices × periods: not started / draft / submitted / approved / returned, and late."""
    if not can_read_dashboards(request.user):
        raise PermissionDenied(_("You have no role that gives access to this page."))
    strategy = strategy_current()
    if strategy is None:
        raise Http404(_("No strategy has been loaded yet."))
    region_code = request.GET.get("region", "")
    try:
        filters = period_range(strategy=strategy, params=request.GET)
    except ValueError:
        return render(request, "reporting/no_periods.html", {"strategy": strategy})
    periods = filters.periods
    if not request.GET.get("from"):
        periods = periods[-DEFAULT_PERIODS:]
    # The regions offered are those of the offices the viewer may see.
    regions = list(
        Region.objects.filter(offices__in=offices_visible(request.user).values("pk"))
        .distinct()
        .order_by("city")
    )
    region = next((r for r in regions if r.code == region_code), None)
    errors = list(filters.errors)
    if region_code and region is None:
        errors.append(_("You have no offices in that region; showing all of your scope."))
    matrix = completeness_matrix(user=request.user, periods=periods, region=region)
    return render(
        request,
        "reporting/completeness.html",
        {
            "matrix": matrix,
            "legend": completeness_legend(),
            "filters": filters,
            "periods_shown": periods,
            "regions": regions,
            "region": region,
            "errors": errors,
        },
    )


urlpatterns = [path("completeness/", completeness, name="completeness")]
