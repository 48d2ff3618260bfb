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

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
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
