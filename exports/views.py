"""Views: membership update exports (ask for one, watch its progress, download, retry)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exports.forms import ExportForm
from exports.selectors import export_jobs_list
from exports.services import ExportError
from exports.services.jobs import (
    FORMATS,
    membership_update_export_create,
    membership_update_export_retry,
)
from jobs.models import Job
from offices.permissions import can_export
from outcomes.models import Strategy
from outcomes.selectors import strategy_current

PAST_EXPORTS_SHOWN = 50


def _require_export(request: HttpRequest) -> None:
    if not can_export(request.user):
        raise PermissionDenied(
            _("Only HQ results managers, the steering committee and administrators export.")
        )


def _strategy() -> Strategy:
    strategy = strategy_current()
    if strategy is None:
        raise Http404(_("No strategy has been loaded yet."))
    return strategy


def _job(pk: int) -> Job:
    return get_object_or_404(
        Job.objects.select_related("created_by"), pk=pk, kind=Job.Kind.MEMBERSHIP_UPDATE
    )


def _page(request: HttpRequest, form: ExportForm, status: int = 200) -> HttpResponse:
    jobs = list(export_jobs_list(strategy=form.strategy)[:PAST_EXPORTS_SHOWN])
    return render(
        request,
        "exports/index.html",
        {"form": form, "jobs": jobs, "formats": FORMATS},
        status=status,
    )


@login_required
def exports(request: HttpRequest) -> HttpResponse:
    """Choose a range and format; list past exports with their status and files."""
    _require_export(request)
    return _page(request, ExportForm(strategy=_strategy()))


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    """Queue a membership update and go to its progress page."""
    _require_export(request)
    form = ExportForm(request.POST, strategy=_strategy())
    if form.is_valid():
        try:
            job = membership_update_export_create(
                user=request.user,
                strategy=form.strategy,
                period_from=form.cleaned_data["period_from"],
                period_to=form.cleaned_data["period_to"],
                format=form.cleaned_data["format"],
                language=form.cleaned_data["language"],
            )
        except ExportError as error:
            form.add_error(None, error.message)
        else:
            return redirect("reporting:export_job", pk=job.pk)
    return _page(request, form, status=400)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One export: a progress bar that follows the job, then the download link."""
    _require_export(request)
    return render(request, "exports/job.html", {"job": _job(pk), "formats": FORMATS})


@login_required
def export_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls (it stops polling once the job is finished)."""
    _require_export(request)
    return render(request, "exports/_job_status.html", {"job": _job(pk), "formats": FORMATS})


@login_required
@require_POST
def export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed export again."""
    _require_export(request)
    try:
        job = membership_update_export_retry(user=request.user, job=_job(pk))
    except ExportError as error:
        messages.error(request, error.message)
        return redirect("reporting:exports")
    return redirect("reporting:export_job", pk=job.pk)


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The export's file, for those who may export."""
    _require_export(request)
    job = _job(pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404(_("This export has no file (yet)."))
    export_format = FORMATS.get((job.params or {}).get("format", ""))
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file of this export is gone; make it again.")) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=PurePosixPath(job.result_file.name).name,
        content_type=export_format.content_type if export_format else None,
    )
