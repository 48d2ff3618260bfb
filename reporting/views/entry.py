"""Views: data entry ("My reporting"), an update's page with its review actions, and evidence
downloads. Thin: the selectors read, the forms translate, the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.formatting import number_plain
from core.numbers import number_style
from core.params import id_param
from deliverables.models import Indicator
from offices.permissions import can_approve_update, can_review_update, can_view_update
from reporting.exceptions import StaleVersionError, UpdateValidationError, WorkflowError
from reporting.forms import ReviewCommentForm, UpdateEntryForm
from reporting.models import IndicatorUpdate, ReportingPeriod, UpdateEvidence
from reporting.selectors.entry import (
    ENTRY_FILTERS,
    EntryRow,
    entry_offices,
    entry_period_default,
    entry_rows,
    entry_sections,
)
from reporting.selectors.periods import period_entry_refusal, periods_open_for_entry
from reporting.selectors.review import review_queue_next
from reporting.selectors.updates import (
    update_authors,
    update_changes_since_approval,
    update_previous_value,
    update_timeline,
)
from reporting.services.evidence import update_evidence_add
from reporting.services.validation import (
    UpdateValues,
    is_large_change,
    percentage_of,
    submission_check,
)
from reporting.services.workflow import (
    update_approve,
    update_edit_refusal,
    update_reopen,
    update_return,
    update_save,
    update_submit,
    updates_announce,
)

if TYPE_CHECKING:
    from offices.models import Office

Status = IndicatorUpdate.Status
Measure = Indicator.Measure


# --- My reporting ----------------------------------------------------------------------------


def _choose_office(request: HttpRequest) -> tuple[list[Office], Office]:
    offices = list(entry_offices(user=request.user))
    if not offices:
        raise PermissionDenied(_("You do not enter updates for any office."))
    wanted = id_param(request.GET.get("office"), name="office")
    if not wanted:
        return offices, offices[0]
    for office in offices:
        if office.pk == wanted:
            return offices, office
    raise PermissionDenied(_("You cannot enter updates for this office."))


def _attach_forms(
    request: HttpRequest, rows: list[EntryRow], office: Office, period: ReportingPeriod
) -> None:
    """Give every row whose update may still change a form (bound to the POST, if any)."""
    posted = request.method == "POST"
    data = request.POST.copy() if posted else None
    files = request.FILES if posted else None
    for row in rows:
        row.refusal = update_edit_refusal(
            user=request.user, office=office, period=period, update=row.update
        )
        if row.update is not None and not row.update.is_editable_status:
            row.form = None  # submitted or approved: shown read-only
            continue
        row.form = UpdateEntryForm(
            data,
            files,
            prefix=f"r{row.indicator.pk}",
            indicator=row.indicator,
            update=row.update,
            disabled=bool(row.refusal),
        )


def _typed_value(row: EntryRow):
    """Return the row's figure as typed (if it reads as a number), else the stored one."""
    form = row.form
    cleaned = getattr(form, "cleaned_data", None) if form is not None else None
    if cleaned is not None and form.is_bound:
        if row.indicator.measure == Measure.PERCENTAGE:
            numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
            if (
                isinstance(numerator, Decimal)
                and isinstance(denominator, Decimal)
                and denominator > 0
            ):
                return percentage_of(numerator, denominator)
            return None
        value = cleaned.get("value")
        return value if isinstance(value, Decimal) else None
    return row.update.value if row.update is not None else None


def _attach_change_warnings(rows: list[EntryRow]) -> None:
    """Warn, before submitting, of a figure far from the previous period's (the rule that asks
    for an explanation), with both values; the static script repeats it while typing."""
    for row in rows:
        row.change_value = None
        if row.form is None or row.previous_value is None:
            continue
        value = _typed_value(row)
        if is_large_change(
            measure=row.indicator.measure, value=value, previous_value=row.previous_value
        ):
            row.change_value = value
        if row.indicator.measure == Measure.NUMBER and "value" in row.form.fields:
            row.form.fields["value"].widget.attrs.update(
                {
                    "data-previous": number_plain(row.previous_value),
                    "data-factor": str(settings.LARGE_CHANGE_FACTOR),
                    "data-change-warning": f"change-{row.indicator.pk}",
                    "data-decimal": number_style().decimal,
                }
            )


def _row_save(request: HttpRequest, row: EntryRow, office: Office, period) -> bool:
    """Save the row's values and any evidence file together; return False on refusal."""
    form = row.form
    try:
        with transaction.atomic():
            update = update_save(
                user=request.user,
                indicator=row.indicator,
                office=office,
                period=period,
                values=form.to_values(),
                expected_version=form.cleaned_data["version"],
            )
            file = form.cleaned_data.get("evidence")
            evidence = (
                update_evidence_add(user=request.user, update=update, file=file) if file else None
            )
    except StaleVersionError as exc:
        current = exc.current
        current.indicator, current.office, current.period = row.indicator, office, period
        form.conflict = current
        # Saving again now is a deliberate choice made after seeing the newer values.
        form.set_version(current.version)
        return False
    except UpdateValidationError as exc:
        form.apply_errors(exc.message_dict)
        return False
    except WorkflowError as exc:
        form.add_error(None, exc.message)
        return False
    update.indicator, update.office, update.period = row.indicator, office, period
    row.update = update
    if evidence is not None:
        row.evidence.append(evidence)
    form.set_version(update.version)
    return True


def _row_submit(
    request: HttpRequest, row: EntryRow, office: Office, period, notify: bool = True
) -> bool:
    form = row.form
    if row.update is None:
        # Nothing was ever saved: say what is missing, beside the field, without a draft.
        form.apply_errors(
            submission_check(indicator=row.indicator, values=UpdateValues(), previous_value=None)
        )
        return False
    try:
        update = update_submit(
            user=request.user,
            update=row.update,
            expected_version=row.update.version,
            notify=notify,
        )
    except StaleVersionError as exc:
        current = exc.current
        current.indicator, current.office, current.period = row.indicator, office, period
        form.conflict = current
        form.set_version(current.version)
        return False
    except UpdateValidationError as exc:
        form.apply_errors(exc.message_dict)
        return False
    except WorkflowError as exc:
        form.add_error(None, exc.message)
        return False
    update.indicator, update.office, update.period = row.indicator, office, period
    row.update = update
    row.form = None
    return True


def _entry_post(request: HttpRequest, rows: list[EntryRow], office, period) -> tuple[int, int, int]:
    """Save every changed row, then submit the rows asked for; return saved, submitted, failed."""
    action = request.POST.get("action", "save")
    submit_row = request.POST.get("submit_row", "")
    saved = submitted = failed = 0
    # "Submit all ready": the reviewers hear of the submissions in one digest each.
    bulk = action == "submit_all"
    sent: list[IndicatorUpdate] = []
    for row in rows:
        form = row.form
        if form is None or form.add_prefix("version") not in request.POST:
            continue  # not on the page that was posted (read-only, or filtered out)
        # A refused row's inputs are disabled, so a browser sends nothing for it; anything
        # posted anyway goes to the services, which refuse it with their message.
        touched = form.has_input() if row.refusal else form.has_changed()
        wants_submit = submit_row == form.prefix or (
            action == "submit_all" and not row.refusal and (touched or row.update is not None)
        )
        if not (touched or wants_submit):
            continue
        if not form.is_valid():
            failed += 1
            continue
        if touched:
            if not _row_save(request, row, office, period):
                failed += 1
                continue
            saved += 1
        if not wants_submit:
            continue
        if action == "submit_all" and submit_row != form.prefix and not row.update.has_value:
            continue  # not ready: nothing to submit yet
        if _row_submit(request, row, office, period, notify=not bulk):
            submitted += 1
            sent.append(row.update)
        else:
            failed += 1
    if bulk:
        updates_announce(step="submitted", updates=sent)
    return saved, submitted, failed


@login_required
def my_reporting(request: HttpRequest) -> HttpResponse:
    """One form with every indicator assigned to the office, for one period."""
    offices, office = _choose_office(request)
    periods = periods_open_for_entry(offices=[office])
    wanted_period = id_param(request.GET.get("period"), name="period")
    if wanted_period:
        period = get_object_or_404(ReportingPeriod, pk=wanted_period)
        if period not in periods:
            periods = [period, *periods]
    else:
        period = entry_period_default(periods=periods)
    show = request.GET.get("show", "")
    show = show if show in ENTRY_FILTERS else ""
    context = {
        "offices": offices,
        "office": office,
        "periods": periods,
        "period": period,
        "show": show,
    }
    if period is None:
        return render(request, "reporting/my_reporting.html", {**context, "rows": []})
    rows = entry_rows(office=office, period=period)
    # Only the rows shown get a form: a filter cuts the page and its work alike.
    shown = [r for r in rows if not show or r.state == show or _was_posted(request, r)]
    _attach_forms(request, shown, office, period)
    error_summary: list[dict[str, str]] = []
    if request.method == "POST":
        saved, submitted, failed = _entry_post(request, shown, office, period)
        if not failed:
            if saved or submitted:
                messages.success(request, _summary(saved, submitted))
            else:
                messages.info(request, _("Nothing had changed; nothing was saved."))
            return redirect(_entry_url(office, period, show))
        if saved or submitted:
            messages.success(request, _summary(saved, submitted))
        error_summary = _error_summary(shown)
        context["failed"] = failed
    _attach_change_warnings(shown)
    context.update(
        rows=shown,
        large_change_factor=settings.LARGE_CHANGE_FACTOR,
        sections=entry_sections(rows=shown),
        filter_tabs=[
            {"key": key, "label": label, "count": sum(1 for r in rows if r.state == key)}
            for key, label in ENTRY_FILTERS.items()
        ],
        total=len(rows),
        returned_rows=[r for r in rows if r.state == "returned"],
        error_summary=error_summary,
        page_refusal=period_entry_refusal(period=period, update=None),
        any_editable=any(r.form is not None and not r.refusal for r in shown),
    )
    return render(request, "reporting/my_reporting.html", context)


def _was_posted(request: HttpRequest, row: EntryRow) -> bool:
    return request.method == "POST" and f"r{row.indicator.pk}-version" in request.POST


def _error_summary(rows: list[EntryRow]) -> list[dict[str, str]]:
    """Return one link per message of the rows in error: to the field it is about, or to the
    row when it concerns the whole indicator (shown above the form after a failed submit)."""
    items = []
    for row in rows:
        form = row.form
        if form is None or not (form.errors or form.dimension_errors or form.conflict):
            continue
        code = row.indicator.code
        row_anchor = f"row-{row.indicator.pk}"
        if form.conflict:
            items.append(
                {
                    "href": f"#{row_anchor}",
                    "label": code,
                    "message": _("Someone else saved this indicator while you were editing it."),
                }
            )
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                target, label = row_anchor, code
            else:
                bound = form[name]
                target = bound.auto_id + ("_0" if bound.use_fieldset else "")
                label = f"{code} · {bound.label}"
            items.extend({"href": f"#{target}", "label": label, "message": e} for e in errors)
        for dimension, errors in form.dimension_errors.items():
            target = f"{row_anchor}-dim-{dimension}"
            items.extend({"href": f"#{target}", "label": code, "message": e} for e in errors)
    return items


def _summary(saved: int, submitted: int) -> str:
    parts = []
    if saved:
        parts.append(ngettext("Saved %(n)d update.", "Saved %(n)d updates.", saved) % {"n": saved})
    if submitted:
        parts.append(
            ngettext(
                "Submitted %(n)d update for review.",
                "Submitted %(n)d updates for review.",
                submitted,
            )
            % {"n": submitted}
        )
    return " ".join(parts)


def _entry_url(office: Office, period: ReportingPeriod, show: str = "") -> str:
    params = {"office": office.pk, "period": period.pk}
    if show:
        params["show"] = show
    query = urlencode(params)
    return f"{reverse('reporting:my_reporting')}?{query}"


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
        "entry_url": _entry_url(update.office, update.period),
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
    path("my/", my_reporting, name="my_reporting"),
    path("updates/<int:pk>/", update_detail, name="update_detail"),
    path("updates/<int:pk>/approve/", update_approve_view, name="update_approve"),
    path("updates/<int:pk>/return/", update_return_view, name="update_return"),
    path("updates/<int:pk>/reopen/", update_reopen_view, name="update_reopen"),
    path("evidence/<int:pk>/", evidence_download, name="evidence_download"),
]
