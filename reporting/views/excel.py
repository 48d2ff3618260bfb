"""Views: the Excel round-trip (download a pre-filled template, upload it, preview, confirm).

Between the preview and the confirmation the upload waits on the server under
MEDIA_ROOT/imports/<uuid>.xlsx; the session remembers whose it is and for which office and
period. On confirmation it is read and checked again, so nothing unchecked is ever saved.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs.models import Job
from jobs.services import job_create
from offices.models import Office
from offices.permissions import can_enter_for_office, offices_for_entry
from outcomes.selectors import strategy_current
from reporting.excel.apply import excel_upload_apply
from reporting.excel.template import excel_template_build
from reporting.excel.upload import ImportPreview, excel_upload_parse
from reporting.forms import ExcelChooseForm, ExcelUploadForm
from reporting.models import ReportingPeriod
from reporting.selectors.entry import entry_period_default
from reporting.selectors.periods import periods_open_for_entry

SESSION_KEY = "excel_import"
IMPORTS_DIR = "imports"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_entry_scope(request: HttpRequest) -> None:
    if not offices_for_entry(request.user).exists():
        raise PermissionDenied(_("Only field staff and administrators can upload updates."))


def _require_office(request: HttpRequest, office: Office) -> None:
    if not can_enter_for_office(request.user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})


def _initial(request: HttpRequest) -> dict:
    office = offices_for_entry(request.user).order_by("name").first()
    period = entry_period_default(
        periods=periods_open_for_entry(
            offices=offices_for_entry(request.user), strategy=strategy_current()
        )
    )
    return {"office": office, "period": period}


def _page(request: HttpRequest, *, upload_form: ExcelUploadForm | None = None, status=200):
    initial = _initial(request)
    choose = ExcelChooseForm(request.GET or None, user=request.user, initial=initial)
    if not choose.is_bound or not choose.is_valid():
        choose = ExcelChooseForm(user=request.user, initial=initial)
        selected = initial
    else:
        selected = choose.cleaned_data
    upload_form = upload_form or ExcelUploadForm(user=request.user, initial=selected)
    return render(
        request,
        "reporting/excel.html",
        {"choose_form": choose, "upload_form": upload_form, "selected": selected},
        status=status,
    )


@login_required
@require_GET
def excel_page(request: HttpRequest) -> HttpResponse:
    """Offer the template of an office and period for download, and the upload form."""
    _require_entry_scope(request)
    return _page(request)


@login_required
@require_GET
def excel_download(request: HttpRequest) -> HttpResponse:
    """Send the template pre-filled for the chosen office and period."""
    _require_entry_scope(request)
    form = ExcelChooseForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, status=400)
    office, period = form.cleaned_data["office"], form.cleaned_data["period"]
    _require_office(request, office)
    content = excel_template_build(user=request.user, office=office, period=period)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"strategy-tracker_{office.code}_{period.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _preview_page(
    request: HttpRequest, preview: ImportPreview, *, token: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "reporting/excel_preview.html",
        {"preview": preview, "token": token, "back_url": _back_url(preview.office, preview.period)},
        status=status,
    )


def _back_url(office: Office, period: ReportingPeriod) -> str:
    return reverse("reporting:excel") + "?" + urlencode({"office": office.pk, "period": period.pk})


def _stored_name(token: str) -> str:
    return f"{IMPORTS_DIR}/{uuid.UUID(token)}.xlsx"


def _discard(request: HttpRequest) -> None:
    """Delete the waiting upload, if any, and forget it."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        with contextlib.suppress(ValueError, KeyError):
            default_storage.delete(_stored_name(pending["token"]))


def _discard_abandoned() -> None:
    """Delete uploads left waiting for a confirmation that never came (older than a day)."""
    cutoff = timezone.now() - dt.timedelta(days=1)
    try:
        _folders, files = default_storage.listdir(IMPORTS_DIR)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{IMPORTS_DIR}/{name}"
        with contextlib.suppress(OSError):
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)


@login_required
@require_POST
def excel_upload(request: HttpRequest) -> HttpResponse:
    """Check an uploaded template; show what it would change, or every problem. Save nothing."""
    _require_entry_scope(request)
    form = ExcelUploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    office, period = form.cleaned_data["office"], form.cleaned_data["period"]
    _require_office(request, office)
    data = form.cleaned_data["file"].read()
    preview = excel_upload_parse(user=request.user, office=office, period=period, file=data)
    if preview.problems:
        return _preview_page(request, preview, status=400)
    _discard(request)  # an earlier upload that was never confirmed
    _discard_abandoned()
    if not preview.rows:
        return _preview_page(request, preview)
    token = str(uuid.uuid4())
    default_storage.save(_stored_name(token), ContentFile(data))
    request.session[SESSION_KEY] = {
        "token": token,
        "office": office.pk,
        "period": period.pk,
        "user": request.user.pk,
        "rows": len(preview.rows),
    }
    return _preview_page(request, preview, token=token)


@login_required
@require_POST
def excel_confirm(request: HttpRequest) -> HttpResponse:
    """Save the previewed upload (read and checked again), or drop it when cancelled."""
    _require_entry_scope(request)
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if not pending or pending.get("token") != token or pending.get("user") != request.user.pk:
        messages.error(
            request, _("This upload is no longer waiting for confirmation. Upload the file again.")
        )
        return redirect("reporting:excel")
    office = Office.objects.get(pk=pending["office"])
    period = ReportingPeriod.objects.get(pk=pending["period"])
    _require_office(request, office)
    name = _stored_name(token)
    if request.POST.get("action") != "confirm" or not default_storage.exists(name):
        _discard(request)
        messages.info(request, _("The upload was cancelled; nothing was saved."))
        return redirect(_back_url(office, period))
    if pending.get("rows", 0) >= settings.EXCEL_BACKGROUND_ROWS:
        # A large file: saved by a worker while its progress page shows how far it is.
        request.session.pop(SESSION_KEY, None)
        job = job_create(
            kind=Job.Kind.EXCEL_IMPORT,
            params={
                "office": office.pk,
                "period": period.pk,
                "user": request.user.pk,
                "name": name,
            },
            user=request.user,
        )
        return redirect("reporting:excel_job", pk=job.pk)
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    _discard(request)
    preview = excel_upload_parse(user=request.user, office=office, period=period, file=data)
    if preview.problems:
        return _preview_page(request, preview, status=400)
    result = excel_upload_apply(user=request.user, office=office, period=period, preview=preview)
    if result.problems:
        preview.problems = result.problems
        preview.rows = []
        return _preview_page(request, preview, status=409)
    messages.success(
        request,
        _("Saved %(saved)s update(s) and submitted %(submitted)s for %(o)s, %(p)s.")
        % {
            "saved": len(result.saved),
            "submitted": len(result.submitted),
            "o": office,
            "p": period.code,
        },
    )
    return redirect(_back_url(office, period))


def _own_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk, kind=Job.Kind.EXCEL_IMPORT)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied(_("This upload is someone else's."))
    return job


def _job_context(job: Job) -> dict:
    office = Office.objects.filter(pk=job.params.get("office")).first()
    period = ReportingPeriod.objects.filter(pk=job.params.get("period")).first()
    back, entry = reverse("reporting:excel"), reverse("reporting:my_reporting")
    if office and period:
        query = "?" + urlencode({"office": office.pk, "period": period.pk})
        back, entry = back + query, entry + query
    return {"job": job, "office": office, "period": period, "back_url": back, "entry_url": entry}


@login_required
@require_GET
def excel_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A large confirmed upload being saved: a progress bar that follows the job."""
    return render(request, "reporting/excel_job.html", _job_context(_own_job(request, pk)))


@login_required
@require_GET
def excel_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls (it stops once the job is finished)."""
    return render(request, "reporting/_excel_job_status.html", _job_context(_own_job(request, pk)))


urlpatterns = [
    path("excel/", excel_page, name="excel"),
    path("excel/template/", excel_download, name="excel_download"),
    path("excel/upload/", excel_upload, name="excel_upload"),
    path("excel/confirm/", excel_confirm, name="excel_confirm"),
    path("excel/jobs/<int:pk>/", excel_job, name="excel_job"),
    path("excel/jobs/<int:pk>/status/", excel_job_status, name="excel_job_status"),
]
