"""A large Excel confirmation as a background job (jobs app): read the stored upload, check it
again and save it, with the progress the person waiting sees. Small ones are saved in the
request (reporting.views.excel decides, by EXCEL_BACKGROUND_ROWS)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.runner import JobError, ProgressCallback
from offices.models import Office
from reporting.excel.apply import excel_upload_apply
from reporting.excel.columns import ImportProblem
from reporting.excel.upload import excel_upload_parse
from reporting.models import ReportingPeriod

PROBLEMS_SHOWN = 5


def _problems_text(problems: list[ImportProblem]) -> str:
    shown = [
        (
            _("row %(row)s, %(column)s: %(message)s")
            % {"row": p.row, "column": p.header or p.column, "message": p.message}
            if p.row
            else p.message
        )
        for p in problems[:PROBLEMS_SHOWN]
    ]
    more = len(problems) - len(shown)
    text = "; ".join(shown)
    if more > 0:
        text += " " + _("(and %(n)s more)") % {"n": more}
    return _("Nothing was saved: %(problems)s. Fix the file and upload it again.") % {
        "problems": text
    }


def excel_import_run(*, job: Job, progress: ProgressCallback) -> str:
    """Save a confirmed upload; raise JobError (nothing saved) with the problems if any."""
    params = job.params
    user = get_user_model().objects.get(pk=params["user"])
    office = Office.objects.get(pk=params["office"])
    period = ReportingPeriod.objects.get(pk=params["period"])
    name = params["name"]
    progress(10, _("Reading the file"))
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
    except FileNotFoundError as error:
        raise JobError(_("The uploaded file is gone; upload it again.")) from error
    try:
        progress(20, _("Checking every row again"))
        preview = excel_upload_parse(user=user, office=office, period=period, file=data)
        if preview.problems:
            raise JobError(_problems_text(preview.problems))
        progress(60, _("Saving %(n)s row(s)") % {"n": len(preview.rows)})
        result = excel_upload_apply(user=user, office=office, period=period, preview=preview)
        if result.problems:
            raise JobError(_problems_text(result.problems))
    finally:
        default_storage.delete(name)
    return _("Saved %(saved)s update(s) and submitted %(submitted)s for %(o)s, %(p)s.") % {
        "saved": len(result.saved),
        "submitted": len(result.submitted),
        "o": office,
        "p": period.code,
    }
