"""Evidence files attached to an indicator update: checked for type and size before storing."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import FileStoreError, file_remove, file_store
from core.uploads import upload_refusal
from reporting.exceptions import UpdateValidationError
from reporting.models import IndicatorUpdate, UpdateEvidence
from reporting.services.workflow import update_edit_check

# Where evidence_upload_to puts every evidence file.
EVIDENCE_FOLDER = "evidence"

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
    try:
        file_store(field_file=evidence.file, filename=name, content=file)
    except FileStoreError as error:
        raise UpdateValidationError({"evidence": [error.message]}) from error
    try:
        evidence.save()
    except BaseException:
        file_remove(evidence.file)  # no file without its row
        raise
    return evidence


def evidence_orphans_remove(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Remove evidence files no row points at (their save was rolled back after the file was
    written, or the process died in between), once older than `older_than` so an upload in
    progress is left alone. Return how many were removed (beat runs it nightly)."""
    storage = UpdateEvidence._meta.get_field("file").storage
    kept = set(UpdateEvidence.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0

    def walk(folder: str) -> None:
        nonlocal removed
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for sub in folders:
            walk(f"{folder}/{sub}")
        for filename in files:
            name = f"{folder}/{filename}"
            if name not in kept and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                removed += 1

    walk(EVIDENCE_FOLDER)
    return removed
