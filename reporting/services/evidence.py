"""Evidence files attached to an indicator update: checked for type and size before storing."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.uploads import upload_refusal
from reporting.exceptions import UpdateValidationError
from reporting.models import IndicatorUpdate, UpdateEvidence
from reporting.services.workflow import update_edit_check

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.core.files.uploadedfile import UploadedFile


def evidence_check(*, file: UploadedFile) -> list[str]:
    """Return what is wrong with the file as evidence, in plain words (empty when acceptable)."""
    problems = []
    name = PurePath(file.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = [e.lower() for e in settings.EVIDENCE_ALLOWED_EXTENSIONS]
    if extension not in allowed:
        problems.append(
            _("“%(name)s” is not a file type you can attach. Attach one of: %(types)s.")
            % {"name": name, "types": ", ".join(e.upper() for e in allowed)}
        )
    if file.size > settings.EVIDENCE_MAX_BYTES:
        problems.append(
            _("“%(name)s” is %(size)s; the largest file you can attach is %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(file.size),
                "max": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            }
        )
    elif file.size == 0:
        problems.append(_("“%(name)s” is empty.") % {"name": name})
    if not problems:
        # The one upload guard: content of the claimed type, zip-based files within limits.
        refusal = upload_refusal(name=name, file=file, size=file.size)
        if refusal:
            problems.append(refusal)
    return problems


@transaction.atomic
def update_evidence_add(
    *, user: AbstractBaseUser, update: IndicatorUpdate, file: UploadedFile
) -> UpdateEvidence:
    """Attach a file to a draft or returned update of the user's office.

    Raise PermissionDenied, PeriodLockedError, WorkflowError, or UpdateValidationError (on
    the "evidence" field) for a file of the wrong type or size; then nothing is stored.
    """
    update = (
        IndicatorUpdate.objects.select_for_update()
        .select_related("indicator", "office", "period")
        .get(pk=update.pk)
    )
    update_edit_check(user=user, office=update.office, period=update.period, update=update)
    problems = evidence_check(file=file)
    if problems:
        raise UpdateValidationError({"evidence": problems})
    name = PurePath(file.name).name
    evidence = UpdateEvidence(update=update, original_name=name, size=file.size, uploaded_by=user)
    evidence.file.save(name, file, save=False)
    evidence.save()
    return evidence
