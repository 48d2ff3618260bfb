"""Views: the review queue, where reviewers approve (one or many) or return submitted updates
of the offices in their scope."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from offices.permissions import can_use_review_queue, offices_for_review
from reporting.forms import ReviewFilterForm
from reporting.models import IndicatorUpdate
from reporting.selectors.review import review_queue
from reporting.services.validation import change_percent, is_large_change, stored_value_problem
from reporting.services.workflow import updates_approve

Status = IndicatorUpdate.Status
PAGE_SIZE = 50
MAX_PICKED = PAGE_SIZE * 4  # more than a page can tick


def _picked_versions(request: HttpRequest) -> dict[int, int]:
    """Return the ticked rows as id → the version the reviewer saw ("<id>:<version>").

    Anything else (no version, not numbers, absurdly long) is dropped, never guessed.
    """
    picked: dict[int, int] = {}
    for item in request.POST.getlist("update")[:MAX_PICKED]:
        pk, _sep, version = item.partition(":")
        if pk.isdigit() and version.isdigit() and len(pk) < 19 and len(version) < 10:
            picked[int(pk)] = int(version)
    return picked


@dataclass
class ReviewRow:
    update: IndicatorUpdate
    previous_value: Decimal | None
    target: Decimal | None
    change_percent: Decimal | None
    large_change: bool
    problem: str
    change_points: Decimal | None = None  # percentages: the change in percentage points


def review_rows(updates) -> list[ReviewRow]:
    """Return each update of a (page of the) queue with what the reviewer weighs it against."""
    rows = []
    for update in updates:
        previous = getattr(update, "previous_value", None)
        rows.append(
            ReviewRow(
                update=update,
                previous_value=previous,
                target=getattr(update, "target", None),
                change_percent=change_percent(update.value, previous),
                large_change=is_large_change(
                    measure=update.measure, value=update.value, previous_value=previous
                ),
                problem=stored_value_problem(update),
                change_points=(
                    update.value - previous
                    if update.measure == "percentage"
                    and update.value is not None
                    and previous is not None
                    and not stored_value_problem(update)
                    else None
                ),
            )
        )
    return rows


def _approve_selected(request: HttpRequest) -> None:
    versions = _picked_versions(request)
    if not versions:
        messages.info(request, _("Tick the updates to approve first."))
        return
    result = updates_approve(user=request.user, versions=versions)
    if result.done:
        messages.success(
            request,
            ngettext("Approved %(n)d update.", "Approved %(n)d updates.", len(result.done))
            % {"n": len(result.done)},
        )
    for update, reason in result.refused:
        messages.error(
            request,
            _("Not approved: %(u)s. %(why)s") % {"u": update, "why": reason},
        )
    if result.unknown:
        # Never named: they may be outside what this reviewer may see.
        messages.error(
            request,
            ngettext(
                "%(n)d ticked update is not waiting for your review and was left as it is.",
                "%(n)d ticked updates are not waiting for your review and were left as they are.",
                result.unknown,
            )
            % {"n": result.unknown},
        )


@login_required
def review_queue_view(request: HttpRequest) -> HttpResponse:
    """Submitted (or returned) updates in the reviewer's scope, filtered by the query string."""
    if not can_use_review_queue(request.user):
        raise PermissionDenied(_("The review queue is for reviewers."))
    if request.method == "POST":
        _approve_selected(request)
        return redirect(request.get_full_path())
    offices = offices_for_review(request.user).order_by("name")
    filters = ReviewFilterForm(request.GET, offices=offices)
    filters.is_valid()  # a stale or foreign choice is simply dropped
    chosen = filters.cleaned_data
    status = chosen.get("status") or Status.SUBMITTED
    updates = review_queue(
        user=request.user,
        status=status,
        office=chosen.get("office"),
        period=chosen.get("period"),
        deliverable=chosen.get("deliverable"),
        output=chosen.get("output"),
    )
    page = Paginator(updates, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tabs = []
    tab_labels = ((Status.SUBMITTED, _("Waiting for review")), (Status.RETURNED, _("Returned")))
    for value, label in tab_labels:
        tab_query = query.copy()
        tab_query["status"] = value
        tabs.append({"label": label, "query": tab_query.urlencode(), "active": value == status})
    return render(
        request,
        "reporting/review_queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": review_rows(page.object_list),
            "large_change_factor": settings.LARGE_CHANGE_FACTOR,
            "status": status,
            "tabs": tabs,
            "query": query.urlencode(),
            "here": request.get_full_path(),
        },
    )


urlpatterns = [path("review/", review_queue_view, name="review_queue")]
