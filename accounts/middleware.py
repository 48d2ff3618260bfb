"""Keep sessions honest: an idle limit for every session, and a periodic re-check at the
provider for sessions opened through it (so a person disabled there loses access here)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import oidc
from accounts.services import oidc_session_refresh

SESSION_LAST_SEEN = "accounts_last_seen"
# Write the last activity at most this often (seconds), not on every request.
LAST_SEEN_PRECISION = 60


class SessionCheckMiddleware:
    """After AuthenticationMiddleware. Signs the person out when their session has been idle
    longer than SESSION_IDLE_TIMEOUT, or when its provider check is due and fails."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = self._end_reason(request)
            if reason:
                return self._sign_out(request, reason)
        return self.get_response(request)

    def _end_reason(self, request: HttpRequest) -> str:
        session = request.session
        now = oidc.clock()
        idle_limit = settings.SESSION_IDLE_TIMEOUT
        if idle_limit:
            last_seen = session.get(SESSION_LAST_SEEN)
            if last_seen is not None and now - last_seen > idle_limit:
                return "idle"
            if last_seen is None or now - last_seen >= LAST_SEEN_PRECISION:
                session[SESSION_LAST_SEEN] = now
        if session.get(oidc.SESSION_OIDC):
            recheck_at = session.get(oidc.SESSION_RECHECK_AT, 0)
            if now >= recheck_at and not (
                oidc.oidc_enabled() and oidc_session_refresh(request=request)
            ):
                return "provider"
        return ""

    def _sign_out(self, request: HttpRequest, reason: str) -> HttpResponse:
        request.accounts_logout_reason = reason  # for the audit log
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # now anonymous: the API answers 401
        if reason == "idle":
            messages.info(request, _("You were signed out after a period of inactivity."))
        else:
            messages.info(request, _("Your session has ended. Please sign in again."))
        login_url = reverse(settings.LOGIN_URL)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            login_url = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": login_url})
        return HttpResponseRedirect(login_url)
