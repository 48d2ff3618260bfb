"""The project's translation catalogues, for the tests: compiled when stale, and read.

`make test` compiles them with Django's compilemessages; a test run started directly with
pytest compiles them here (with polib, so without gettext) before reading any translation.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ("fr", "es")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f|%%|%[sd]")


def catalogue_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def messages_compiled() -> None:
    """Compile every stale .mo and make Django read the catalogues again."""
    changed = False
    for language in LANGUAGES:
        po = catalogue_path(language)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))
            changed = True
    if changed:
        _translations_forget()


def _translations_forget() -> None:
    # As Django's own tests do when LOCALE_PATHS change (django.test.signals).
    from asgiref.local import Local
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._active = Local()
    trans_real._default = None


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))
