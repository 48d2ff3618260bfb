"""The home page: a to-do list for each role the user holds (field staff: what is left to
report; reviewers: their queue by office and age; HQ: periods closing soon and their
completeness; the steering committee: where the strategy stands), then the pages they may use.

It lives here, above reporting and the roll-ups, because it reads both."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboards.selectors import dashboard_filters, dashboard_overview
from offices.models import RoleAssignment
from offices.navigation import links_for
from offices.permissions import roles_for
from outcomes.selectors import strategy_current
from reporting.selectors.todo import CLOSING_SOON_DAYS, field_todo, hq_todo, reviewer_todo


def _steering_overview(request: HttpRequest) -> dict[str, Any] | None:
    strategy = strategy_current()
    if strategy is None:
        return None
    try:
        filters = dashboard_filters(user=request.user, strategy=strategy, params={})
    except ValueError:
        return None  # no periods yet
    return {"overview": dashboard_overview(filters=filters), "filters": filters}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the user has to do, per role, and the pages they may use."""
    roles = roles_for(request.user)
    context: dict[str, Any] = {
        "home_links": links_for(roles),
        "closing_soon_days": CLOSING_SOON_DAYS,
    }
    if roles.is_field_staff:
        context["field_todo"] = field_todo(user=request.user)
    if roles.is_reviewer or roles.is_admin:
        context["review_todo"] = reviewer_todo(user=request.user)
    if roles.is_hq_manager:
        context["hq_todo"] = hq_todo(user=request.user)
    if RoleAssignment.Role.STEERING in roles.roles:
        context["steering"] = _steering_overview(request)
    return render(request, "dashboards/home.html", context)
