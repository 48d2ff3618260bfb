"""Membership update exports as background jobs: create, run with progress, retry.

The web page, the Celery task and the management command all go through
`membership_update_render`, so a file made from the command line equals one made on the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.permissions import can_export
from outcomes.models import Strategy
from reporting.models import Job
from reporting.services.exports import ExportError
from reporting.services.exports.membership import (
    export_periods_resolve,
    membership_update_build,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from reporting.services.exports.membership import MembershipUpdate

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class ExportFormat:
    code: str
    label: str
    extension: str
    content_type: str


FORMATS: dict[str, ExportFormat] = {
    f.code: f
    for f in [
        ExportFormat("pdf", "PDF", "pdf", "application/pdf"),
        ExportFormat(
            "xlsx",
            "Excel (XLSX)",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ExportFormat("csv", "CSV", "csv", "text/csv"),
        ExportFormat("iati", "IATI 2.03 XML", "xml", "application/xml"),
    ]
}


def _renderer(code: str) -> Callable[..., bytes]:
    # Imported on use: WeasyPrint and openpyxl take a moment to load.
    if code == "pdf":
        from reporting.services.exports.pdf import membership_update_pdf

        return membership_update_pdf
    if code == "xlsx":
        from reporting.services.exports.xlsx import membership_update_xlsx

        return membership_update_xlsx
    if code == "csv":
        from reporting.services.exports.csv import membership_update_csv

        return membership_update_csv
    from reporting.services.exports.iati import membership_update_iati

    return membership_update_iati


def export_format_get(code: str) -> ExportFormat:
    """Return the export format with this code; raise ExportError for an unknown one."""
    try:
        return FORMATS[code]
    except KeyError:
        raise ExportError(
            _("Unknown export format “%(code)s”; choose one of %(codes)s.")
            % {"code": code, "codes": ", ".join(FORMATS)}
        ) from None


def membership_update_render(
    *,
    strategy: Strategy,
    period_from: str,
    period_to: str,
    format: str,
    progress: ProgressCallback | None = None,
) -> tuple[str, bytes]:
    """Build the membership update for the range and render it; return (file name, bytes).

    Reports progress (percent, step) at each step; raises ExportError for a bad request.
    """
    report = progress or (lambda _percent, _message: None)
    export_format = export_format_get(format)
    report(10, _("Gathering data"))
    first, last = export_periods_resolve(
        strategy=strategy, period_from=period_from, period_to=period_to
    )
    update: MembershipUpdate = membership_update_build(
        strategy=strategy, period_from=first, period_to=last
    )
    report(40, _("Rendering the %(format)s file") % {"format": export_format.label})
    data = _renderer(export_format.code)(update=update)
    name = f"membership-update_{strategy.code}_{first.code}_{last.code}.{export_format.extension}"
    return name, data


def _job_progress(job: Job, percent: int, message: str) -> None:
    job.progress, job.message = percent, message[:300]
    job.save(update_fields=["progress", "message", "updated_at"])


def membership_update_export(*, job: Job, on_progress: ProgressCallback | None = None) -> Job:
    """Run a membership update job: record each step's progress, save the file, mark it done.

    Not atomic on purpose: each step is committed, so the page polling the job sees it. Any
    error marks the job failed with a message the page shows (and it can be retried).
    """

    def step(percent: int, message: str) -> None:
        _job_progress(job, percent, message)
        if on_progress is not None:
            on_progress(percent, message)

    job.status, job.error, job.started_at, job.finished_at = Job.Status.RUNNING, "", None, None
    job.started_at = timezone.now()
    job.save(update_fields=["status", "error", "started_at", "finished_at", "updated_at"])
    step(0, _("Started"))
    try:
        params = job.params or {}
        strategy = Strategy.objects.filter(pk=params.get("strategy_id")).first()
        if strategy is None:
            raise ExportError(_("The strategy of this export no longer exists."))
        name, data = membership_update_render(
            strategy=strategy,
            period_from=str(params.get("period_from", "")),
            period_to=str(params.get("period_to", "")),
            format=str(params.get("format", "")),
            progress=step,
        )
        step(90, _("Saving the file"))
        job.result_file.save(name, ContentFile(data), save=False)
    except ExportError as error:
        return _job_fail(job, error.message)
    except Exception as error:
        logger.exception("membership update export %s failed", job.pk)
        return _job_fail(
            job,
            _(
                "The export failed unexpectedly (%(error)s). Try again; if it fails again, tell "
                "the administrators."
            )
            % {"error": f"{type(error).__name__}: {error}"[:500]},
        )
    job.status, job.progress, job.message = Job.Status.DONE, 100, _("Ready")
    job.finished_at = timezone.now()
    job.save()
    if on_progress is not None:
        on_progress(100, job.message)
    return job


def _job_fail(job: Job, message: str) -> Job:
    job.status, job.error, job.message = Job.Status.FAILED, message, _("Failed")
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "message", "finished_at", "updated_at"])
    return job


def _enqueue(job: Job) -> None:
    from reporting.tasks import membership_update_export_task

    transaction.on_commit(lambda: membership_update_export_task.delay(job.pk))


@transaction.atomic
def membership_update_export_create(
    *,
    user: AbstractBaseUser,
    strategy: Strategy,
    period_from: str,
    period_to: str,
    format: str,
) -> Job:
    """Create a membership update job and queue it once the transaction commits.

    Raises PermissionDenied unless the user may export, ExportError for a bad range or format.
    """
    if not can_export(user):
        raise PermissionDenied(_("Only HQ results managers and the steering committee export."))
    export_format_get(format)
    export_periods_resolve(strategy=strategy, period_from=period_from, period_to=period_to)
    job = Job.objects.create(
        kind=Job.Kind.MEMBERSHIP_UPDATE,
        created_by=user,
        params={
            "strategy_id": strategy.pk,
            "period_from": period_from,
            "period_to": period_to,
            "format": format,
        },
        message=_("Queued"),
    )
    _enqueue(job)
    return job


@transaction.atomic
def membership_update_export_retry(*, user: AbstractBaseUser, job: Job) -> Job:
    """Queue a failed membership update job again (same parameters)."""
    if not can_export(user):
        raise PermissionDenied(_("Only HQ results managers and the steering committee export."))
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.kind != Job.Kind.MEMBERSHIP_UPDATE or job.status != Job.Status.FAILED:
        raise ExportError(_("Only a failed export can be retried."))
    job.status, job.progress, job.message, job.error = Job.Status.QUEUED, 0, _("Queued"), ""
    job.started_at = job.finished_at = None
    job.save()
    _enqueue(job)
    return job
