"""Views: an update's page with its review actions, and evidence downloads. Thin: the
selectors read, the forms translate, the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offices.permissions import can_approve_update, can_review_update, can_view_update
from reporting.exceptions import StaleVersionError, UpdateValidationError, WorkflowError
from reporting.forms import ReviewCommentForm
from reporting.models import IndicatorUpdate, UpdateEvidence
from reporting.selectors.review import review_queue_next
from reporting.selectors.updates import (
    update_authors,
    update_changes_since_approval,
    update_previous_value,
    update_timeline,
)
from reporting.services.workflow import (
    update_approve,
    update_edit_refusal,
    update_reopen,
    update_return,
)
from reporting.views.entry import entry_page_url

if TYPE_CHECKING:
    pass

Status = IndicatorUpdate.Status


# --- One update: its page and the reviewers' actions -----------------------------------------


def _update_or_404(pk: int) -> IndicatorUpdate:
    return get_object_or_404(
        IndicatorUpdate.objects.select_related(
            "indicator__deliverable__outcome",
            "indicator__output",
            "office__region",
            "period",
            "submitted_by",
            "reviewed_by",
            "updated_by",
        ),
        pk=pk,
    )


def _detail_response(
    request: HttpRequest, update: IndicatorUpdate, forms: dict | None = None
) -> HttpResponse:
    may_review = can_review_update(request.user, update)
    locked = update.period.is_locked
    forms = forms or {}
    version = {"version": update.version}
    context = {
        "update": update,
        "evidence": list(update.evidence.select_related("uploaded_by")),
        "timeline": update_timeline(update=update),
        "changes_since_approval": update_changes_since_approval(update=update),
        "previous_value": update_previous_value(
            indicator=update.indicator, office=update.office, period=update.period
        ),
        "may_edit": not update_edit_refusal(
            user=request.user, office=update.office, period=update.period, update=update
        ),
        "entry_url": entry_page_url(update.office, update.period),
        "locked": locked,
        "next_in_queue": (
            review_queue_next(user=request.user, after=update) if may_review else None
        ),
    }
    if may_review and not locked:
        if update.status == Status.SUBMITTED:
            if can_approve_update(request.user, update, authors=update_authors(update=update)):
                context["approve_form"] = forms.get("approve") or ReviewCommentForm(initial=version)
            context["return_form"] = forms.get("return") or ReviewCommentForm(initial=version)
        elif update.status == Status.APPROVED:
            context["reopen_form"] = forms.get("reopen") or ReviewCommentForm(initial=version)
    return render(request, "reporting/update_detail.html", context)


@login_required
def update_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The update's values, evidence, review comment, history and the actions allowed."""
    update = _update_or_404(pk)
    if not can_view_update(request.user, update):
        raise PermissionDenied(_("You cannot see this update."))
    return _detail_response(request, update)


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    update = _update_or_404(pk)
    form = ReviewCommentForm(request.POST)
    form.is_valid()
    version = form.cleaned_data.get("version")
    comment = form.cleaned_data.get("comment", "")
    back = _safe_next(request, form.cleaned_data.get("next"))
    detail_url = reverse("reporting:update_detail", args=[update.pk])
    try:
        if action == "approve":
            update_approve(
                user=request.user, update=update, expected_version=version, comment=comment
            )
            done = _("Approved %(i)s for %(o)s, %(p)s.")
        elif action == "return":
            update_return(
                user=request.user, update=update, expected_version=version, comment=comment
            )
            done = _("Returned %(i)s to %(o)s, %(p)s, with your comment.")
        else:
            update_reopen(
                user=request.user, update=update, expected_version=version, reason=comment
            )
            done = _("Reopened %(i)s for %(o)s, %(p)s: it is a draft again.")
    except UpdateValidationError as exc:
        messages_list = [m for msgs in exc.message_dict.values() for m in msgs]
        if back:
            messages.error(request, " ".join(messages_list))
            return redirect(back)
        for message in messages_list:
            form.add_error("comment", message)
        return _detail_response(request, update, forms={action: form})
    except StaleVersionError:
        messages.error(
            request,
            _(
                "Someone changed this update after you opened it; nothing was done. "
                "Here it is as it stands now."
            ),
        )
        return redirect(detail_url)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(back or detail_url)
    bits = {"i": update.indicator.code, "o": update.office.name, "p": update.period.code}
    messages.success(request, done % bits)
    if back:
        return redirect(back)
    if action in ("approve", "return"):
        # From the update's own page, on to the next update waiting in the reviewer's queue.
        following = review_queue_next(user=request.user, after=update)
        if following is None:
            messages.info(request, _("Nothing else is waiting for your review."))
            return redirect("reporting:review_queue")
        return redirect("reporting:update_detail", pk=following.pk)
    return redirect(detail_url)


@require_POST
@login_required
def update_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "approve")


@require_POST
@login_required
def update_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "return")


@require_POST
@login_required
def update_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_action(request, pk, "reopen")


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file to those who may see its update."""
    evidence = get_object_or_404(UpdateEvidence.objects.select_related("update__office"), pk=pk)
    if not can_view_update(request.user, evidence.update):
        raise PermissionDenied(_("You cannot see this update's evidence."))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("This file is no longer stored.")) from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


urlpatterns = [
    path("updates/<int:pk>/", update_detail, name="update_detail"),
    path("updates/<int:pk>/approve/", update_approve_view, name="update_approve"),
    path("updates/<int:pk>/return/", update_return_view, name="update_return"),
    path("updates/<int:pk>/reopen/", update_reopen_view, name="update_reopen"),
    path("evidence/<int:pk>/", evidence_download, name="evidence_download"),
]
