"""Saving a checked upload: every change in one transaction, through the workflow services;
one refused row means nothing is saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from deliverables.models import Indicator
from offices.models import Office
from offices.permissions import can_enter_for_office
from reporting.excel.columns import (
    ImportProblem,
    file_problem,
    status_text,
)
from reporting.excel.upload import (
    ImportPreview,
    ImportRow,
    RowProblems,
)
from reporting.exceptions import StaleVersionError, UpdateValidationError, WorkflowError
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.workflow import (
    update_save,
    update_submit,
    updates_announce,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Measure = Indicator.Measure
Status = IndicatorUpdate.Status


@dataclass
class ImportResult:
    saved: list[IndicatorUpdate] = field(default_factory=list)
    submitted: list[IndicatorUpdate] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems


class _RollBack(Exception):
    pass


def excel_upload_apply(
    *, user: AbstractBaseUser, office: Office, period: ReportingPeriod, preview: ImportPreview
) -> ImportResult:
    """Save every change of a checked preview in one transaction, through the workflow services.

    If any row fails (someone saved meanwhile, the period was locked, ...), nothing is saved
    and the result lists the problems by row and column.
    """
    if not can_enter_for_office(user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})
    if preview.problems or preview.office.pk != office.pk or preview.period.pk != period.pk:
        problems = preview.problems or [file_problem(_("The preview is for another file."))]
        return ImportResult(problems=list(problems))
    result = ImportResult()
    try:
        with transaction.atomic():
            for row in preview.rows:
                _apply_row(user, office, period, row, result, preview.positions)
            if result.problems:
                raise _RollBack
            # The reviewers hear of the file's submissions in one digest each.
            updates_announce(step="submitted", updates=result.submitted)
    except _RollBack:
        return ImportResult(problems=result.problems)
    return result


def _apply_row(
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
    row: ImportRow,
    result: ImportResult,
    positions: dict[str, int],
) -> None:
    problems = RowProblems(row.row, row.indicator.measure, positions)
    try:
        update = row.update
        version = row.expected_version
        if row.values_changed:
            update = update_save(
                user=user,
                indicator=row.indicator,
                office=office,
                period=period,
                values=row.values,
                expected_version=version,
            )
            version = update.version
            result.saved.append(update)
        if row.submit:
            update = update_submit(user=user, update=update, expected_version=version, notify=False)
            result.submitted.append(update)
    except UpdateValidationError as exc:
        problems.add_errors(exc.message_dict)
    except StaleVersionError as exc:
        problems.add(
            "version",
            _(
                "This update was changed by someone else since you downloaded the template "
                "(it is now %(s)s, version %(v)s). Download a new template and enter your "
                "figures again."
            )
            % {"s": status_text(exc.current).lower(), "v": exc.current.version},
        )
    except WorkflowError as exc:
        problems.add(None, exc.message)
    except PermissionDenied as exc:
        problems.add(None, str(exc))
    result.problems.extend(problems.items)
