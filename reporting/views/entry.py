"""Views: data entry ("My reporting"). Thin: the selectors read, the forms translate, the
services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import number_plain
from core.numbers import number_style
from core.params import id_param
from deliverables.models import Indicator
from reporting.exceptions import StaleVersionError, UpdateValidationError, WorkflowError
from reporting.forms import UpdateEntryForm
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.entry import (
    ENTRY_FILTERS,
    EntryRow,
    entry_offices,
    entry_period_default,
    entry_rows,
    entry_sections,
)
from reporting.selectors.periods import period_entry_refusal, periods_open_for_entry
from reporting.services.evidence import update_evidence_add
from reporting.services.validation import (
    UpdateValues,
    is_large_change,
    percentage_of,
    submission_check,
)
from reporting.services.workflow import (
    update_edit_refusal,
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
            return redirect(entry_page_url(office, period, show))
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


def entry_page_url(office: Office, period: ReportingPeriod, show: str = "") -> str:
    params = {"office": office.pk, "period": period.pk}
    if show:
        params["show"] = show
    query = urlencode(params)
    return f"{reverse('reporting:my_reporting')}?{query}"


urlpatterns = [
    path("my/", my_reporting, name="my_reporting"),
]
