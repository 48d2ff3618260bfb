"""Writing a file into storage so that a failure leaves nothing behind: a full disk or an
unwritable media folder gives one clear error, and no partial file stays to be offered."""

from __future__ import annotations

import contextlib
import logging

from django.core.files.base import File
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class FileStoreError(Exception):
    """The file could not be written; `message` is for a person (no server paths)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def file_store(*, field_file: FieldFile, filename: str, content: File) -> str:
    """Write `content` where the field puts `filename` (a free variant of the name) and point
    the field at it, without saving the model. On an OS error (disk full, folder not writable)
    remove whatever part was written and raise FileStoreError."""
    field, storage = field_file.field, field_file.storage
    name = field.generate_filename(field_file.instance, filename)
    target = storage.get_available_name(name, max_length=field.max_length)
    try:
        stored = storage.save(target, content, max_length=field.max_length)
    except OSError as error:
        logger.error("Could not write %s: %s", target, error)
        with contextlib.suppress(OSError):
            if storage.exists(target):
                storage.delete(target)
        raise FileStoreError(
            _(
                "The file could not be stored: the server's storage is full or cannot be "
                "written to. Nothing was kept; tell the administrators."
            )
        ) from error
    field_file.name = stored
    field_file._committed = True
    return stored


def file_remove(field_file: FieldFile) -> None:
    """Remove a stored file (after the row that pointed at it was not saved)."""
    if field_file.name:
        with contextlib.suppress(OSError):
            field_file.storage.delete(field_file.name)
