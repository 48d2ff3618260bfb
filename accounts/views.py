"""Sign-in and sign-out pages, the provider's two endpoints, the "no role yet" page, machine
clients' API tokens and the audit log. Thin: the rules are in services and permissions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import oidc
from accounts.forms import ApiTokenForm, AuditFilterForm, LocalLoginForm
from accounts.models import ApiToken
from accounts.selectors import api_tokens_list
from accounts.services import api_token_create, api_token_revoke
from audit.models import AuditEvent
from audit.selectors import audit_events_list
from audit.services import audit_record
from offices.permissions import can_manage_api_tokens, can_read_audit_log, roles_for
from offices.selectors import role_managers

AUDIT_PAGE_SIZE = 50


def _sign_in_context() -> dict[str, Any]:
    return {
        "oidc_enabled": oidc.oidc_enabled(),
        "local_login": oidc.local_login_enabled() or not oidc.oidc_enabled(),
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }


class LoginView(auth_views.LoginView):
    """The sign-in page: the provider's button when OIDC is on, the password form while
    LOCAL_LOGIN is on (a superuser's password is accepted either way: the break-glass)."""

    authentication_form = LocalLoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_sign_in_context()}


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here, and at the provider too when the session came from it and the provider
    offers RP-initiated logout."""
    after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    provider_url = None
    if request.session.get(oidc.SESSION_OIDC) and oidc.oidc_enabled():
        try:
            provider_url = oidc.provider_logout_url(request, post_logout_redirect_uri=after)
        except Exception:  # signing out here must never fail on the provider's account
            provider_url = None
    logout(request)
    if provider_url is None:
        return HttpResponseRedirect(after)
    # A page that moves on to the provider, not a redirect: the Content-Security-Policy's
    # form-action 'self' forbids a sign-out form's redirect to another site.
    return render(request, "accounts/signing_out.html", {"provider_url": provider_url})


class OidcAuthenticateView(OIDCAuthenticationRequestView):
    """Send the person to the provider (authorization code with PKCE, state and nonce)."""

    get_settings = staticmethod(oidc.oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The endpoints are read in get(), after the "is OIDC on" check.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.oidc_enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: refuse (and audit) a wrong state, a refused code, a bad
    token or claim; send a person without a role to the page that says so."""

    get_settings = staticmethod(oidc.oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.oidc_enabled():
            raise Http404
        if request.GET.get("error"):
            request.accounts_oidc_failure = f"provider error: {request.GET['error']}"
        elif "code" in request.GET and request.GET.get("state") not in request.session.get(
            "oidc_states", {}
        ):
            request.accounts_oidc_failure = "unknown state"
        try:
            return super().get(request)
        except SuspiciousOperation:
            request.accounts_oidc_failure = "unknown state"
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        request = self.request
        user = getattr(self, "user", None)
        reason = getattr(request, "accounts_oidc_failure", "")
        if not reason and user is not None and not user.is_active:
            reason = "account deactivated in the tracker"
        audit_record(
            actor=None,
            actor_label=user.get_username() if user is not None else "",
            action=AuditEvent.Action.SIGN_IN_FAILED,
            target=user.get_username() if user is not None else "",
            details={"method": "oidc", "reason": reason or "refused"},
            request=request,
        )
        if user is not None and not user.is_active:
            messages.error(
                request,
                _("Your account in the tracker is deactivated. Ask an HQ results manager."),
            )
        else:
            messages.error(request, _("Sign-in through your organisation's account failed."))
        return HttpResponseRedirect(reverse("login"))

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        if not roles_for(self.user).roles:
            return redirect("accounts:no_role")
        return response


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    """Signed in, but no role yet: say so, and whom to ask."""
    if roles_for(request.user).roles:
        return redirect("home")
    return render(
        request,
        "accounts/no_role.html",
        {"managers": role_managers(), "contact": settings.ACCESS_REQUEST_CONTACT},
    )


# --- API tokens ----------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The machine clients' tokens, and the form that issues a new one (shown once)."""
    _require(can_manage_api_tokens(request.user))
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = api_token_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            office=form.cleaned_data["office"],
            expires_at=form.expires_at,
            request=request,
        )
        # Rendered, not redirected: the secret must not be kept anywhere to show it later.
        response = render(
            request, "accounts/api_token_created.html", {"token": token, "secret": secret}
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": api_tokens_list()})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_manage_api_tokens(request.user))
    token = get_object_or_404(ApiToken, pk=pk)
    api_token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("The token of “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


# --- Audit log -----------------------------------------------------------------------------


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require(can_read_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_list(
        action=filters.get("action") or "",
        who=filters.get("who") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
