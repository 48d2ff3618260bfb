"""The language a person reads the tracker in: their saved preference, for pages and e-mails.

One home for the preference: the middleware applies it to each request of a signed-in person
(and saves a new choice from the language menu); e-mails are written in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from offices.models import UserProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def user_language_preference(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The language the person chose, or "" when they have not chosen one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    try:
        language = user.profile.language  # type: ignore[union-attr]
    except UserProfile.DoesNotExist:
        return ""
    return language if language in LANGUAGE_CODES else ""


def user_language(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The language to write to this person in: their choice, else the site's default."""
    return user_language_preference(user) or settings.LANGUAGE_CODE


@transaction.atomic
def user_language_set(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the person's language; an unknown code is ignored."""
    if language not in LANGUAGE_CODES:
        return
    profile, _created = UserProfile.objects.get_or_create(user=user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language", "updated_at"])
    # The cached related object on this user object follows the change.
    user.profile = profile  # type: ignore[attr-defined]
