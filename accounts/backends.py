"""Sign-in backends: the organisation's OpenID Connect provider, and passwords against the
tracker's own accounts."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts import oidc
from accounts.oidc import (
    SESSION_ID_TOKEN,
    SESSION_OIDC,
    SESSION_RECHECK_AT,
    SESSION_REFRESH_TOKEN,
    email_claim,
    email_is_verified,
    local_login_enabled,
    oidc_enabled,
    oidc_issuer,
    oidc_setting,
    recheck_at,
)
from accounts.services import user_create_from_claims, user_update_from_claims

logger = logging.getLogger(__name__)


class LocalPasswordBackend(ModelBackend):
    """Django's password backend, except that with LOCAL_LOGIN=false only superusers (the
    break-glass account) may use a password; everyone else signs in through the provider.
    The same rule drops the password sessions of others once local login is turned off."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return local_login_enabled() or bool(getattr(user, "is_superuser", False))


def axes_exempt(request: Any, credentials: dict | None = None) -> bool:
    """django-axes' whitelist: a provider callback carries no username, so its failures would
    all count against one "no username" key per address and lock out everyone behind it. The
    provider guards its own sign-in (with MFA); axes keeps guarding passwords."""
    return credentials is not None and "username" not in credentials


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
                # Expiry is checked below against `oidc.clock()`, so tests can move time forward.
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "require": ["iss", "aud", "sub", "exp", "iat"],
                },
            )
        except jwt.PyJWTError as exc:
            raise OidcFailure(f"ID token refused: {exc}") from exc
        now, leeway = oidc.clock(), settings.OIDC_CLOCK_LEEWAY
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
        return user_create_from_claims(claims=claims, request=self.request)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return user_update_from_claims(user=user, claims=claims)
