"""Pages of the delivery plan and the resource mobilization plan.

Every view checks the user's rights on the server (offices.permissions) and refuses with 403;
reads go through plans.selectors, writes through plans.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offices.permissions import (
    can_edit_plan_for_office,
    can_edit_plans,
    can_publish_delivery_plan,
    can_read_plans,
)
from outcomes.models import Strategy
from outcomes.selectors import strategy_current
from plans import selectors, services
from plans.filters import ActionFilter, HumanResourceFilter, ResourcePlanFilter
from plans.forms import (
    RESULT_FIELD_MAP,
    ActionForm,
    PublishForm,
    ResourceAllocationForm,
    form_add_service_errors,
)
from plans.models import Action, DeliveryPlanVersion, ResourceAllocation

ACTIONS_PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _strategy() -> Strategy:
    strategy = strategy_current()
    if strategy is None:
        raise Http404(_("No strategy has been loaded yet."))
    return strategy


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Delivery plan ---------------------------------------------------------------------------


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """The delivery plan: actions with filters, and a chart of actions by status and lateness."""
    _require(can_read_plans(request.user))
    strategy = _strategy()
    today = timezone.localdate()
    filterset = ActionFilter(
        request.GET or None,
        queryset=selectors.action_list(strategy=strategy, today=today),
        strategy=strategy,
        today=today,
    )
    actions = filterset.qs
    page = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    summary = selectors.action_status_summary(actions=actions, today=today)
    return render(
        request,
        "plans/actions.html",
        {
            "strategy": strategy,
            "filterset": filterset,
            "page": page,
            "summary": summary,
            "chart": _status_chart(summary),
            "today": today,
            "can_edit": can_edit_plans(request.user),
            "editable_office_ids": _editable_office_ids(request, page.object_list),
            "query": _query_without_page(request),
        },
    )


def _editable_office_ids(request: HttpRequest, rows: Any) -> set[int]:
    offices = {row.office for row in rows if row.office is not None}
    return {o.pk for o in offices if can_edit_plan_for_office(request.user, o)}


def _status_chart(summary: dict[str, Any]) -> dict[str, Any]:
    """Chart.js data for actions by status, stacked by lateness."""
    return {
        "labels": [str(row["label"]) for row in summary["rows"]],
        "datasets": [
            {"key": key, "label": str(label), "data": [row[key] for row in summary["rows"]]}
            for key, label in summary["lateness"]
        ],
    }


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_read_plans(request.user))
    today = timezone.localdate()
    action = get_object_or_404(selectors.action_list(today=today), pk=pk)
    return render(
        request,
        "plans/action_detail.html",
        {
            "action": action,
            "can_edit": can_edit_plan_for_office(request.user, action.office),
            "history": action.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@login_required
def action_create(request: HttpRequest) -> HttpResponse:
    _require(can_edit_plans(request.user))
    strategy = _strategy()
    form = ActionForm(request.POST or None, strategy=strategy, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form_add_service_errors(form, exc, RESULT_FIELD_MAP)
        except PermissionDenied as exc:
            form.add_error("office", str(exc))
        else:
            messages.success(request, _("The action was added to the delivery plan."))
            return redirect(action)
    return render(request, "plans/action_form.html", {"form": form, "action": None})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("office", "strategy"), pk=pk)
    _require(can_edit_plan_for_office(request.user, action.office))
    form = ActionForm(
        request.POST or None,
        initial=ActionForm.initial_for(action),
        strategy=action.strategy,
        user=request.user,
        current_office=action.office,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, user=request.user, data=form.service_kwargs())
        except ValidationError as exc:
            form_add_service_errors(form, exc, RESULT_FIELD_MAP)
        except PermissionDenied as exc:
            form.add_error("office", str(exc))
        else:
            messages.success(request, _("The action was saved."))
            return redirect(action)
    return render(request, "plans/action_form.html", {"form": form, "action": action})


# --- Versions --------------------------------------------------------------------------------


@login_required
def version_list(request: HttpRequest) -> HttpResponse:
    """Published versions of the delivery plan; HQ publishes the next one here."""
    _require(can_read_plans(request.user))
    strategy = _strategy()
    versions = list(selectors.delivery_plan_versions(strategy=strategy))
    return render(
        request,
        "plans/versions.html",
        {
            "strategy": strategy,
            "versions": versions,
            "can_publish": can_publish_delivery_plan(request.user),
            "publish_form": PublishForm(),
            "actions_count": Action.objects.filter(strategy=strategy).count(),
        },
    )


@login_required
@require_POST
def version_publish(request: HttpRequest) -> HttpResponse:
    _require(can_publish_delivery_plan(request.user))
    strategy = _strategy()
    form = PublishForm(request.POST)
    form.is_valid()
    version = services.delivery_plan_publish(
        strategy=strategy, user=request.user, note=form.cleaned_data.get("note", "")
    )
    messages.success(
        request,
        _("Version %(number)s of the delivery plan is published.") % {"number": version.number},
    )
    return redirect("plans:versions")


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_read_plans(request.user))
    version = get_object_or_404(
        DeliveryPlanVersion.objects.select_related("strategy", "published_by"), pk=pk
    )
    return render(
        request,
        "plans/version_detail.html",
        {"version": version, "snapshots": selectors.version_snapshots(version=version)},
    )


@login_required
def version_compare(request: HttpRequest) -> HttpResponse:
    """Compare two published versions: what was added, changed and dropped."""
    _require(can_read_plans(request.user))
    strategy = _strategy()
    versions = list(selectors.delivery_plan_versions(strategy=strategy))
    by_id = {str(v.pk): v for v in versions}
    older = by_id.get(request.GET.get("older", ""))
    newer = by_id.get(request.GET.get("newer", ""))
    comparison = None
    error = ""
    if request.GET and (older is None or newer is None):
        error = _("Choose two published versions to compare.")
    elif older is not None and newer is not None:
        if older.pk == newer.pk:
            error = _("Choose two different versions.")
        else:
            if older.number > newer.number:
                older, newer = newer, older
            comparison = selectors.delivery_plan_compare(older=older, newer=newer)
    return render(
        request,
        "plans/version_compare.html",
        {
            "versions": versions,
            "older": older,
            "newer": newer,
            "comparison": comparison,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Resource plan ---------------------------------------------------------------------------


@login_required
def resource_plan(request: HttpRequest) -> HttpResponse:
    """The resource mobilization plan: totals by outcome, region, source and year, and rows."""
    _require(can_read_plans(request.user))
    strategy = _strategy()
    data = request.GET or None
    financial_filter = ResourcePlanFilter(
        data, queryset=selectors.financial_resource_list(strategy=strategy), strategy=strategy
    )
    human_filter = HumanResourceFilter(
        data, queryset=selectors.human_resource_list(strategy=strategy), strategy=strategy
    )
    financial = financial_filter.qs
    human = human_filter.qs
    by_year = selectors.financial_totals(resources=financial, by="year")
    return render(
        request,
        "plans/resources.html",
        {
            "strategy": strategy,
            "filterset": financial_filter,
            "source_filtered": bool(request.GET.get("source")),
            "financial": {
                "by_outcome": selectors.financial_totals(resources=financial, by="outcome"),
                "by_region": selectors.financial_totals(resources=financial, by="region"),
                "by_source": selectors.financial_totals(resources=financial, by="source"),
                "by_year": by_year,
                "total": selectors.financial_grand_total(resources=financial),
                "rows": financial,
            },
            "human": {
                "by_outcome": selectors.human_totals(resources=human, by="outcome"),
                "by_region": selectors.human_totals(resources=human, by="region"),
                "total": selectors.human_grand_total(resources=human),
                "rows": human,
            },
            "chart": {
                "labels": [row["label"] for row in by_year],
                "datasets": [
                    {"key": key, "label": str(label), "data": [float(r[key]) for r in by_year]}
                    for key, label in (
                        ("planned", _("Planned")),
                        ("mobilized", _("Mobilized")),
                        ("spent", _("Spent")),
                    )
                ],
            },
            "can_edit": can_edit_plans(request.user),
            "editable_office_ids": _editable_office_ids(request, [*human, *financial]),
            "hq_editor": can_edit_plan_for_office(request.user, None),
        },
    )


@login_required
def allocation_create(
    request: HttpRequest, *, form_class: type[ResourceAllocationForm]
) -> HttpResponse:
    """Add an allocation of the form's kind (plans/urls.py names one page per kind)."""
    _require(can_edit_plans(request.user))
    return _allocation_form_page(request, form_class=form_class, allocation=None)


@login_required
def allocation_edit(
    request: HttpRequest, pk: int, *, form_class: type[ResourceAllocationForm]
) -> HttpResponse:
    """Edit an allocation of the form's kind, in an office within the user's scope."""
    allocation = get_object_or_404(
        form_class.model.objects.select_related("office", "strategy"), pk=pk
    )
    _require(can_edit_plan_for_office(request.user, allocation.office))
    return _allocation_form_page(request, form_class=form_class, allocation=allocation)


def _allocation_form_page(
    request: HttpRequest,
    *,
    form_class: type[ResourceAllocationForm],
    allocation: ResourceAllocation | None,
) -> HttpResponse:
    strategy = allocation.strategy if allocation else _strategy()
    form = form_class(
        request.POST or None,
        initial=form_class.initial_for(allocation) if allocation else None,
        strategy=strategy,
        user=request.user,
        current_office=allocation.office if allocation else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if allocation is None:
                services.allocation_create(
                    model=form_class.model, user=request.user, data=form.service_kwargs()
                )
            else:
                services.allocation_update(
                    allocation=allocation, user=request.user, data=form.service_kwargs()
                )
        except ValidationError as exc:
            form_add_service_errors(form, exc, RESULT_FIELD_MAP)
        except PermissionDenied as exc:
            # The only right the service checks beyond this page's is the chosen office.
            form.add_error("office", str(exc))
        else:
            messages.success(request, _("The allocation was saved."))
            return redirect("plans:resources")
    return render(
        request,
        "plans/resource_form.html",
        {"form": form, "resource": allocation, "kind": form_class.kind},
    )
