"""Membership update exports as background jobs (jobs app): create, render, retry.

The web page, the Celery task and the management command all go through
`membership_update_render`, so a file made from the command line equals one made on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports.services import ExportError
from exports.services.membership import (
    export_periods_resolve,
    membership_update_build,
)
from jobs.models import Job
from jobs.runner import JobOutput, ProgressCallback
from jobs.services import job_create, job_retry
from offices.permissions import can_export
from outcomes.models import Strategy

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from exports.services.membership import MembershipUpdate


@dataclass(frozen=True)
class ExportFormat:
    code: str
    label: str  # or a lazily translated string
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
        # The companion of the CSV: its breakdowns by sex, age and population group.
        ExportFormat(
            "breakdowns_csv",
            gettext_lazy("CSV: breakdowns (companion file)"),
            "breakdowns.csv",
            "text/csv",
        ),
        ExportFormat("iati", "IATI 2.03 XML", "xml", "application/xml"),
    ]
}


def _renderer(code: str) -> Callable[..., bytes]:
    # Imported on use: WeasyPrint and openpyxl take a moment to load.
    if code == "pdf":
        from exports.services.pdf import membership_update_pdf

        return membership_update_pdf
    if code == "xlsx":
        from exports.services.xlsx import membership_update_xlsx

        return membership_update_xlsx
    if code == "csv":
        from exports.services.csv import membership_update_csv

        return membership_update_csv
    if code == "breakdowns_csv":
        from exports.services.breakdowns_csv import membership_update_breakdowns_csv

        return membership_update_breakdowns_csv
    from exports.services.iati import membership_update_iati

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


def membership_update_run(*, job: Job, progress: ProgressCallback) -> JobOutput:
    """The runner of a membership update job (jobs.runner): render the file it asks for."""
    params = job.params or {}
    strategy = Strategy.objects.filter(pk=params.get("strategy_id")).first()
    if strategy is None:
        raise ExportError(_("The strategy of this export no longer exists."))
    name, data = membership_update_render(
        strategy=strategy,
        period_from=str(params.get("period_from", "")),
        period_to=str(params.get("period_to", "")),
        format=str(params.get("format", "")),
        progress=progress,
    )
    return JobOutput(name=name, data=data)


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
    return job_create(
        kind=Job.Kind.MEMBERSHIP_UPDATE,
        user=user,
        params={
            "strategy_id": strategy.pk,
            "period_from": period_from,
            "period_to": period_to,
            "format": format,
        },
    )


@transaction.atomic
def membership_update_export_retry(*, user: AbstractBaseUser, job: Job) -> Job:
    """Queue a failed membership update job again (same parameters)."""
    if not can_export(user):
        raise PermissionDenied(_("Only HQ results managers and the steering committee export."))
    if job.kind != Job.Kind.MEMBERSHIP_UPDATE or job.status != Job.Status.FAILED:
        raise ExportError(_("Only a failed export can be retried."))
    return job_retry(job=job)
