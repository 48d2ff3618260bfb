"""Translated wording that fell back to English, marked for the people who can correct it.

django-modeltranslation gives the English text when a French or Spanish one is missing. HQ
(who correct translations in the admin) see such a text with a visible mark while
`missing_translations_marked` is on (the language middleware turns it on for them); everybody
else reads the English text as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils.translation import get_language

MISSING_MARK = "[EN] "

_marking: ContextVar[bool] = ContextVar("missing_translations_marked", default=False)


@contextmanager
def missing_translations_marked(on: bool = True) -> Iterator[None]:
    """Within the block, a fallback text reads with MISSING_MARK in front of it."""
    token = _marking.set(on)
    try:
        yield
    finally:
        _marking.reset(token)


class _MarkedFallback:
    """Wraps modeltranslation's descriptor of one field: reading marks an English fallback."""

    def __init__(self, inner, name: str):
        self.inner = inner
        self.name = name

    def __get__(self, instance, owner):
        value = self.inner.__get__(instance, owner)
        if instance is None or not _marking.get() or not isinstance(value, str) or not value:
            return value
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language == settings.LANGUAGE_CODE:
            return value
        if getattr(instance, f"{self.name}_{language}", None):
            return value
        return MISSING_MARK + value

    def __set__(self, instance, value):
        self.inner.__set__(instance, value)


def fallbacks_marked(model, names: tuple[str, ...]) -> None:
    """Mark the English fallback of these translated fields of `model` (call after register)."""
    for name in names:
        inner = model.__dict__[name]
        if not isinstance(inner, _MarkedFallback):
            setattr(model, name, _MarkedFallback(inner, name))
