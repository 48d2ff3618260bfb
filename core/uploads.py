"""THE upload guard: every file a person sends (an Excel template, an evidence file) is checked
here before anything parses or stores it: its size, that its content is of the type its name
claims, and, for the zip-based formats (.xlsx, .docx), how much it would expand to.

A zip's sizes are read from its central directory without decompressing anything; Python's
zipfile then stops reading an entry at its declared size (a lying entry fails its CRC), so a
decompression bomb is refused in milliseconds rather than parsed (DOMAIN.md has no word on
this: issue 16, finding 6).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP_KINDS = frozenset({"xlsx", "docx"})
# What a file of each kind starts with.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
}
# Plain text kinds: no NUL byte (a binary file renamed .csv or .txt).
TEXT_KINDS = frozenset({"csv", "txt"})
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_uncompressed: int
    max_entries: int


def upload_limits() -> UploadLimits:
    return UploadLimits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_uncompressed=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_entries=settings.UPLOAD_MAX_ZIP_ENTRIES,
    )


def upload_refusal(
    *,
    name: str,
    file: IO[bytes] | bytes,
    size: int | None = None,
    kind: str = "",
    limits: UploadLimits | None = None,
) -> str:
    """Return why the upload is refused, in plain words, or "" when it may be read.

    The kind is `kind`, or else the name's extension; the caller decides which kinds it takes.
    """
    limits = limits or upload_limits()
    shown = PurePath(name or "").name
    kind = kind or PurePath(shown).suffix.lower().lstrip(".")
    data = file if isinstance(file, bytes) else None
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    size = len(data) if data is not None else size
    if size is None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
    stream.seek(0)
    if size > limits.max_bytes:
        return _("“%(name)s” is %(size)s; the largest file accepted is %(max)s.") % {
            "name": shown,
            "size": filesizeformat(size),
            "max": filesizeformat(limits.max_bytes),
        }
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if kind in SIGNATURES and not head.startswith(SIGNATURES[kind]):
        return _("“%(name)s” is not a real %(kind)s file (its content is of another type).") % {
            "name": shown,
            "kind": kind.upper(),
        }
    if kind in TEXT_KINDS and b"\x00" in head:
        return _("“%(name)s” is not a text file.") % {"name": shown}
    if kind in ZIP_KINDS:
        return zip_refusal(name=shown, kind=kind, stream=stream, limits=limits)
    return ""


def zip_refusal(*, name: str, kind: str, stream: IO[bytes], limits: UploadLimits) -> str:
    """Return why a zip-based file is refused (unreadable, too many entries, expands beyond
    the limit), or ""; reads only its central directory."""
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return _("“%(name)s” is damaged or not a real %(kind)s file.") % {
            "name": name,
            "kind": kind.upper(),
        }
    finally:
        stream.seek(0)
    if len(entries) > limits.max_entries:
        return _("“%(name)s” holds %(n)s parts; at most %(max)s are accepted.") % {
            "name": name,
            "n": len(entries),
            "max": limits.max_entries,
        }
    expanded = sum(entry.file_size for entry in entries)
    if expanded > limits.max_uncompressed:
        return _(
            "“%(name)s” would expand to %(size)s when opened; at most %(max)s are accepted."
        ) % {
            "name": name,
            "size": filesizeformat(expanded),
            "max": filesizeformat(limits.max_uncompressed),
        }
    return ""
