"""Sign-in through the organisation's OpenID Connect provider (mozilla-django-oidc).

Off unless `OIDC_ISSUER` is set. The provider's endpoints come from its discovery document,
fetched once per process and kept (`oidc_discovery`). mozilla-django-oidc does the
authorization code flow with PKCE, state and nonce; this module adds what it leaves to us:
strict ID token checks (issuer, audience, expiry), a verified e-mail, users created without a
role, roles pre-filled from a group claim, and the tokens kept in the session so the session
can be re-checked against the provider (`accounts.middleware`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

logger = logging.getLogger(__name__)

# Session keys (mozilla-django-oidc itself keeps "oidc_states" and "oidc_id_token").
SESSION_OIDC = "accounts_oidc"  # this session was opened through the provider
SESSION_REFRESH_TOKEN = "accounts_oidc_refresh_token"  # noqa: S105 - a session key
SESSION_RECHECK_AT = "accounts_oidc_recheck_at"  # epoch seconds
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 - a session key

# mozilla-django-oidc setting -> discovery document field.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

_discovery_lock = threading.Lock()
_discovery_cache: dict[str, dict[str, Any]] = {}


def clock() -> float:
    """The time ID tokens and sessions are checked against (tests move it forward)."""
    return time.time()


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", ""))


def local_login_enabled() -> bool:
    return bool(getattr(settings, "LOCAL_LOGIN", True))


def oidc_issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/")


def oidc_discovery() -> dict[str, Any]:
    """Return the provider's discovery document, fetched on first use and then kept."""
    issuer = oidc_issuer()
    cached = _discovery_cache.get(issuer)
    if cached is not None:
        return cached
    with _discovery_lock:
        if issuer not in _discovery_cache:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration",
                timeout=settings.OIDC_TIMEOUT,
                verify=settings.OIDC_VERIFY_SSL,
            )
            response.raise_for_status()
            document = response.json()
            # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer we asked.
            if document.get("issuer", "").rstrip("/") != issuer:
                raise ImproperlyConfigured(
                    f"The discovery document of {issuer} names issuer {document.get('issuer')!r}."
                )
            _discovery_cache[issuer] = document
    return _discovery_cache[issuer]


def oidc_discovery_forget() -> None:
    """Drop the kept discovery documents (tests; a provider that moved its endpoints)."""
    with _discovery_lock:
        _discovery_cache.clear()


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings lookup, with the endpoints taken from discovery."""
    if attr in _DISCOVERED:
        return oidc_discovery()[_DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def email_claim(claims: dict[str, Any]) -> str:
    return str(claims.get(settings.OIDC_EMAIL_CLAIM) or "").strip()


def email_is_verified(claims: dict[str, Any]) -> bool:
    """Is the e-mail verified? Its claim (OIDC_EMAIL_VERIFIED_CLAIM: `email_verified`, or e.g.
    Entra ID's `xms_edov`) must say so: true, or "true" as some providers send it."""
    verified = claims.get(settings.OIDC_EMAIL_VERIFIED_CLAIM)
    if isinstance(verified, str):
        return verified.strip().lower() == "true"
    return verified is True


class OidcFailure(Exception):
    """Why a sign-in through the provider was refused (kept for the audit log)."""


class OidcBackend(OIDCAuthenticationBackend):
    """Authenticate the provider's callback: match the person by verified e-mail, or create
    them without a role. Refuses quietly (returns None) everything else, so password sign-ins
    go on to the next backend."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for every sign-in, password ones too: read the provider
        # settings (and fetch discovery) only when a callback is really being handled.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    def get_user(self, user_id: Any) -> Any:
        # ModelBackend's: an account deactivated here loses its session at once.
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if request is None or not oidc_enabled() or "username" in kwargs:
            return None
        if not (request.GET.get("code") and request.GET.get("state")):
            return None
        try:
            OIDCAuthenticationBackend.__init__(self)
            return super().authenticate(request, **kwargs)
        except OidcFailure as exc:
            request.accounts_oidc_failure = str(exc)
        except requests.HTTPError as exc:
            # e.g. the provider refused the code: used already, expired, or PKCE mismatch.
            body = exc.response.text[:200] if exc.response is not None else ""
            request.accounts_oidc_failure = f"token endpoint refused: {body}"
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as exc:
            request.accounts_oidc_failure = f"{type(exc).__name__}: {exc}"[:300]
        return None

    # --- the ID token ---------------------------------------------------------------------

    def get_payload_data(self, token: bytes | str, key: Any) -> dict[str, Any]:
        """Verify the ID token's signature, issuer, audience and lifetime."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise OidcFailure(f"ID token signed with {header.get('alg')!r}")
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=oidc_issuer(),
                # Expiry is checked below against `clock()`, so tests can move time forward.
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "require": ["iss", "aud", "sub", "exp", "iat"],
                },
            )
        except jwt.PyJWTError as exc:
            raise OidcFailure(f"ID token refused: {exc}") from exc
        now, leeway = clock(), settings.OIDC_CLOCK_LEEWAY
        if float(payload["exp"]) < now - leeway:
            raise OidcFailure("ID token expired")
        if float(payload["iat"]) > now + leeway:
            raise OidcFailure("ID token issued in the future")
        return payload

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as exc:  # e.g. a wrong nonce
            raise OidcFailure(str(exc)) from exc

    # --- the tokens, kept for the session re-check ------------------------------------------

    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.token_info = super().get_token(payload)
        return self.token_info

    def store_tokens(self, access_token: str, id_token: str) -> None:
        session = self.request.session
        info = getattr(self, "token_info", {})
        session[SESSION_OIDC] = True
        session[SESSION_ID_TOKEN] = id_token
        if info.get("refresh_token"):
            session[SESSION_REFRESH_TOKEN] = info["refresh_token"]
        else:
            session.pop(SESSION_REFRESH_TOKEN, None)
        session[SESSION_RECHECK_AT] = recheck_at(info.get("expires_in"))

    # --- the person ---------------------------------------------------------------------------

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict:
        """The ID token's claims with the userinfo endpoint's over them: some providers (Entra
        ID) put the groups and the e-mail's verification in the ID token only."""
        info = super().get_userinfo(access_token, id_token, payload)
        if str(info.get("sub")) != str(payload.get("sub")):
            raise OidcFailure("userinfo is about another subject than the ID token")
        return {**payload, **info}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not email_claim(claims):
            raise OidcFailure(f"no {settings.OIDC_EMAIL_CLAIM!r} claim")
        if not email_is_verified(claims):
            raise OidcFailure(f"e-mail {email_claim(claims)} is not verified")
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        # Machine clients' service users never sign in as people.
        return self.UserModel.objects.filter(
            email__iexact=email_claim(claims), api_token__isnull=True
        )

    def create_user(self, claims: dict[str, Any]) -> Any:
        from accounts.services import user_create_from_claims

        return user_create_from_claims(claims=claims, request=self.request)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        from accounts.services import user_update_from_claims

        return user_update_from_claims(user=user, claims=claims)


def recheck_at(expires_in: Any) -> float:
    """When the session must next be checked at the provider: when its access token expires,
    and no later than OIDC_SESSION_MAX_AGE from now."""
    longest = settings.OIDC_SESSION_MAX_AGE
    try:
        lifetime = min(float(expires_in), longest) if expires_in else longest
    except (TypeError, ValueError):
        lifetime = longest
    return clock() + max(lifetime, 0)


def provider_logout_url(request: Any, *, post_logout_redirect_uri: str) -> str | None:
    """The provider's RP-initiated logout URL for this session, or None when it has none."""
    endpoint = oidc_discovery().get("end_session_endpoint")
    if not endpoint:
        return None
    params = {"client_id": settings.OIDC_RP_CLIENT_ID}
    id_token = request.session.get(SESSION_ID_TOKEN)
    if id_token:
        params["id_token_hint"] = id_token
    params["post_logout_redirect_uri"] = post_logout_redirect_uri
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"
