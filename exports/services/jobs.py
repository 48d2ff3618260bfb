"""Membership update exports as background jobs (jobs app): create, render, retry.

The web page, the Celery task and the management command all go through
`membership_update_render`, so a file made from the command line equals one made on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.i18n import missing_translations_marked
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
    label: str  # lazily translated: shown in the reader's language
    extension: str
    content_type: str


FORMATS: dict[str, ExportFormat] = {
    f.code: f
    for f in [
        ExportFormat("pdf", "PDF", "pdf", "application/pdf"),
        ExportFormat(
            "xlsx",
            _lazy("Excel (XLSX)"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ExportFormat("csv", "CSV", "csv", "text/csv"),
        # The companion of the CSV: its breakdowns by sex, age and population group.
        ExportFormat(
            "breakdowns_csv",
            _lazy("CSV: breakdowns (companion file)"),
            "breakdowns.csv",
            "text/csv",
        ),
        ExportFormat("iati", _lazy("IATI 2.03 XML"), "xml", "application/xml"),
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


def language_get(code: str) -> str:
    """Return the language code if the site offers it; raise ExportError otherwise."""
    codes = [language for language, _name in settings.LANGUAGES]
    if code not in codes:
        raise ExportError(
            _("Unknown language “%(code)s”; choose one of %(codes)s.")
            % {"code": code, "codes": ", ".join(codes)}
        )
    return code


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
    language: str = settings.LANGUAGE_CODE,
    progress: ProgressCallback | None = None,
) -> tuple[str, bytes]:
    """Build the membership update for the range and render it; return (file name, bytes).

    The file is written in `language` (its wording, the framework's, numbers and dates).
    Reports progress (percent, step) at each step; raises ExportError for a bad request.
    """
    language_get(language)
    # Member states read the file as it is: no marks for missing translations in it.
    with translation.override(language), missing_translations_marked(False):
        name, data = _render(
            strategy=strategy,
            period_from=period_from,
            period_to=period_to,
            format=format,
            progress=progress,
        )
    if language != settings.LANGUAGE_CODE:
        stem, _dot, extension = name.rpartition(".")
        name = f"{stem}_{language}.{extension}"
    return name, data


def _render(
    *,
    strategy: Strategy,
    period_from: str,
    period_to: str,
    format: str,
    progress: ProgressCallback | None,
) -> tuple[str, bytes]:
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
        language=job.language or settings.LANGUAGE_CODE,
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
    language: str = settings.LANGUAGE_CODE,
) -> Job:
    """Create a membership update job and queue it once the transaction commits.

    Raises PermissionDenied unless the user may export, ExportError for a bad range, format
    or language.
    """
    if not can_export(user):
        raise PermissionDenied(_("Only HQ results managers and the steering committee export."))
    export_format_get(format)
    language_get(language)
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
        language=language,
    )


@transaction.atomic
def membership_update_export_retry(*, user: AbstractBaseUser, job: Job) -> Job:
    """Queue a failed membership update job again (same parameters)."""
    if not can_export(user):
        raise PermissionDenied(_("Only HQ results managers and the steering committee export."))
    if job.kind != Job.Kind.MEMBERSHIP_UPDATE or job.status != Job.Status.FAILED:
        raise ExportError(_("Only a failed export can be retried."))
    return job_retry(job=job)
