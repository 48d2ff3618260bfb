"""Views: reporting periods, which HQ results managers open, close, lock and reopen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.params import id_param
from offices.permissions import can_manage_framework
from reporting.exceptions import UpdateValidationError
from reporting.forms import PeriodStateForm
from reporting.models import ReportingPeriod
from reporting.selectors.periods import period_change_preview, period_rows
from reporting.services.periods import period_set_state

State = ReportingPeriod.State


@login_required
def periods_view(request: HttpRequest) -> HttpResponse:
    """List the periods with their state and history; change a period's state."""
    if not can_manage_framework(request.user):
        raise PermissionDenied(_("Only HQ results managers manage reporting periods."))
    failed: tuple[int, PeriodStateForm] | None = None
    if request.method == "POST":
        period = get_object_or_404(
            ReportingPeriod, pk=id_param(request.POST.get("period"), name="period") or 0
        )
        form = PeriodStateForm(request.POST)
        if form.is_valid() and _state_change_made(request, period, form):
            return redirect("reporting:periods")
        failed = (period.pk, form)
    rows = period_rows()
    for row in rows:
        row.form = failed[1] if failed and failed[0] == row.period.pk else None
    return render(request, "reporting/periods.html", {"rows": rows, "states": State})


@login_required
def period_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask HQ to confirm a change of a period's state, saying what it does (GET), and make it
    (POST only)."""
    if not can_manage_framework(request.user):
        raise PermissionDenied(_("Only HQ results managers manage reporting periods."))
    period = get_object_or_404(ReportingPeriod, pk=pk)
    source = request.POST if request.method == "POST" else request.GET
    try:
        change = period_change_preview(period=period, state=source.get("state", ""))
    except ValueError:
        messages.info(request, _("Period %(p)s is already in that state.") % {"p": period.code})
        return redirect("reporting:periods")
    form = PeriodStateForm(request.POST or None, initial={"state": change.state})
    if request.method == "POST" and form.is_valid() and _state_change_made(request, period, form):
        return redirect("reporting:periods")
    return render(request, "reporting/period_change.html", {"change": change, "form": form})


def _state_change_made(
    request: HttpRequest, period: ReportingPeriod, form: PeriodStateForm
) -> bool:
    """Make the change a valid form asks for through the service; say so and return True, or
    put the service's refusal on the form and return False."""
    try:
        period = period_set_state(
            user=request.user,
            period=period,
            state=form.cleaned_data["state"],
            reason=form.cleaned_data["reason"],
        )
    except UpdateValidationError as exc:
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return False
    messages.success(
        request,
        _("Period %(p)s is now %(s)s.")
        % {"p": period.code, "s": period.get_state_display().lower()},
    )
    return True


urlpatterns = [
    path("periods/", periods_view, name="periods"),
    path("periods/<int:pk>/change/", period_change_view, name="period_change"),
]
