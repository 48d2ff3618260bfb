"""Pages in the language a signed-in person chose, remembered from the language menu."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.i18n import missing_translations_marked
from offices.languages import user_language_preference, user_language_set
from offices.permissions import can_manage_framework


class UserLanguageMiddleware:
    """After authentication: a signed-in person's saved language wins over the browser's.

    Django's LocaleMiddleware (before it) reads the language cookie, then Accept-Language,
    which is what anyone not signed in gets. When a signed-in person picks a language in the
    menu (Django's `set_language` view sets the cookie), the choice is saved on their profile.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        preferred = user_language_preference(user)
        if preferred and preferred != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        # HQ, who correct translations in the admin, see which texts fell back to English.
        # Not in the API: what it returns is data, which a client may send back.
        marked = (
            user is not None
            and user.is_authenticated
            and not request.path.startswith("/api/")
            and can_manage_framework(user)
        )
        with missing_translations_marked(marked):
            response = self.get_response(request)
        if (
            request.method == "POST"
            and request.path == reverse("set_language")
            and user is not None
            and user.is_authenticated
        ):
            cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
            if cookie is not None and cookie.value:
                user_language_set(user=user, language=cookie.value)
        return response
