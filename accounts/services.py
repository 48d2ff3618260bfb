"""Writes of the accounts app: people from the provider's claims, session re-checks, machine-
client API tokens, and deactivating people not seen for a while."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import oidc
from accounts.models import ApiToken
from audit.models import AuditEvent
from audit.services import audit_record
from offices.models import Office, Region, RoleAssignment
from offices.permissions import can_manage_api_tokens, role_may_come_from_group_claim
from offices.services import role_grant

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AbstractUser
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "stk_"  # noqa: S105 - marks the tracker's tokens, not a secret
# A token's last use is written at most this often (a busy client would write on every call).
LAST_USED_PRECISION = dt.timedelta(seconds=60)


# --- People from the provider -----------------------------------------------------------------


def _username_for(email: str) -> str:
    """The e-mail address, lowercased, as username; a suffix when it is already taken."""
    user_model = get_user_model()
    base = email.lower()[:140]
    username, n = base, 1
    while user_model.objects.filter(username=username).exists():
        n += 1
        username = f"{base}.{n}"
    return username


def group_roles_from_claims(*, claims: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the role assignments that OIDC_GROUP_ROLES maps the person's groups to.

    A mapping value is a role (`hq_manager`, `steering`), a role at an office
    (`field_staff@co-ke`, `reviewer@hq`) or a reviewer of a region (`reviewer@region:nairobi`).
    Administrator is never granted from a claim; unknown roles, offices or regions are skipped.
    """
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    grants = []
    for group in groups:
        value = settings.OIDC_GROUP_ROLES.get(str(group))
        if not value:
            continue
        role, _at, scope = value.partition("@")
        if not role_may_come_from_group_claim(role):
            logger.warning("OIDC_GROUP_ROLES: %r maps to %r: no claim may grant it", group, role)
            continue
        grant: dict[str, Any] = {"role": role, "group": str(group)}
        if scope.startswith("region:"):
            grant["region"] = Region.objects.filter(code=scope.removeprefix("region:")).first()
            if grant["region"] is None:
                continue
        elif scope:
            grant["office"] = Office.objects.filter(code=scope).first()
            if grant["office"] is None:
                continue
        grants.append(grant)
    return grants


@transaction.atomic
def user_create_from_claims(
    *, claims: dict[str, Any], request: HttpRequest | None = None
) -> AbstractUser:
    """Create a person on their first sign-in through the provider: no password, and no role
    unless a group claim pre-fills one (OIDC_GROUP_ROLES)."""
    email = oidc.email_claim(claims)
    user = get_user_model()(
        username=_username_for(email),
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    user.set_unusable_password()  # a local password would bypass the provider's MFA
    user.save()
    audit_record(
        actor=None,
        actor_label=user.get_username(),
        action=AuditEvent.Action.USER_CREATED,
        target=user.get_username(),
        details={"source": "oidc", "sub": str(claims.get("sub", ""))},
        request=request,
    )
    for grant in group_roles_from_claims(claims=claims):
        role_grant(
            user=user,
            role=grant["role"],
            office=grant.get("office"),
            region=grant.get("region"),
            source=f"group claim {grant['group']}",
            request=request,
        )
    return user


def user_update_from_claims(*, user: AbstractUser, claims: dict[str, Any]) -> AbstractUser:
    """Keep the name in step with the provider (roles are never changed by a sign-in)."""
    first = str(claims.get("given_name") or user.first_name)[:150]
    last = str(claims.get("family_name") or user.last_name)[:150]
    if (first, last) != (user.first_name, user.last_name):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    return user


# --- Session re-check against the provider ---------------------------------------------------


def oidc_session_refresh(*, request: HttpRequest) -> bool:
    """Re-check a provider session whose check is due: use the refresh token; the provider
    refuses it when the person was disabled or removed, or their provider session ended.
    Without a refresh token the session has simply reached its end. Returns whether it may
    go on. An unreachable provider also ends it: access is refused when it cannot be checked."""
    session = request.session
    refresh_token = session.get(oidc.SESSION_REFRESH_TOKEN)
    if not refresh_token:
        return False
    # Parallel requests of one page (htmx) must not all spend the refresh token: the provider
    # rotates it and takes a second use for theft, ending the session. One refreshes; the
    # others go on meanwhile.
    lock = f"accounts:oidc-refresh:{session.session_key}"
    if not cache.add(lock, True, timeout=settings.OIDC_TIMEOUT + 5):
        return True
    try:
        return _oidc_refresh(request=request, refresh_token=refresh_token)
    finally:
        cache.delete(lock)


def _oidc_refresh(*, request: HttpRequest, refresh_token: str) -> bool:
    session = request.session
    payload = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "client_secret": settings.OIDC_RP_CLIENT_SECRET,
    }
    try:
        response = requests.post(
            oidc.oidc_discovery()["token_endpoint"],
            data=payload,
            timeout=settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
        )
    except requests.RequestException as exc:
        logger.warning("OIDC refresh failed: %s", exc)
        return False
    if response.status_code != 200:
        logger.info("OIDC refresh refused (%s): %s", response.status_code, response.text[:200])
        return False
    info = response.json()
    if info.get("refresh_token"):  # rotated
        session[oidc.SESSION_REFRESH_TOKEN] = info["refresh_token"]
    if info.get("id_token"):
        session[oidc.SESSION_ID_TOKEN] = info["id_token"]
    session[oidc.SESSION_RECHECK_AT] = oidc.recheck_at(info.get("expires_in"))
    # Seen: the stale-user command counts from here.
    get_user_model().objects.filter(pk=request.user.pk).update(last_login=timezone.now())
    return True


# --- API tokens for machine clients ----------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    actor: AbstractBaseUser,
    name: str,
    scope: str,
    expires_at: dt.datetime,
    office: Office | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for a named client; return it with its secret, which is never shown
    again. Its service user gets one role: steering (read-only) or field staff of `office`."""
    if not can_manage_api_tokens(actor):
        raise PermissionDenied(_("Only HQ results managers and administrators manage API tokens."))
    if scope == ApiToken.Scope.WRITE and office is None:
        raise ValueError("A write token needs an office.")
    if scope == ApiToken.Scope.READ:
        office = None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = secret[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8]
    user = get_user_model().objects.create_user(
        username=f"api-client.{prefix}", first_name=name[:150], last_name="(API client)"
    )  # no password: it can only authenticate with its token
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        key_hash=_hash(secret),
        scope=scope,
        office=office,
        user=user,
        created_by=actor,
        expires_at=expires_at,
    )
    if scope == ApiToken.Scope.WRITE:
        role = RoleAssignment.Role.FIELD_STAFF
    else:
        role = RoleAssignment.Role.STEERING
    role_grant(
        user=user, role=role, office=office, actor=actor, source="api token", request=request
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TOKEN_CREATED,
        target=str(token),
        details={
            "token_id": token.pk,
            "scope": scope,
            "office": office.code if office else None,
            "expires_at": expires_at.isoformat(),
        },
        request=request,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(
    *, actor: AbstractBaseUser, token: ApiToken, request: HttpRequest | None = None
) -> ApiToken:
    """Revoke a token at once (idempotent); its service user is deactivated too."""
    if not can_manage_api_tokens(actor):
        raise PermissionDenied(_("Only HQ results managers and administrators manage API tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        get_user_model().objects.filter(pk=token.user_id).update(is_active=False)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TOKEN_REVOKED,
            target=str(token),
            details={"token_id": token.pk},
            request=request,
        )
    return token


def api_token_find(*, secret: str) -> ApiToken | None:
    """Return the token with this secret (usable or not), or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    return ApiToken.objects.select_related("user", "office").filter(key_hash=_hash(secret)).first()


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used now (to the minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- People not seen for a while -------------------------------------------------------------


@transaction.atomic
def users_deactivate_stale(*, days: int, dry_run: bool = False) -> list[str]:
    """Deactivate the people who have not signed in for `days` days (never signed in: since
    their account was created). Superusers (the break-glass account) and machine clients'
    service users are left alone. Returns the usernames."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    stale = get_user_model().objects.filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
        is_active=True,
        is_superuser=False,
        api_token__isnull=True,
    )
    usernames = sorted(stale.values_list("username", flat=True))
    if dry_run or not usernames:
        return usernames
    get_user_model().objects.filter(username__in=usernames).update(is_active=False)
    for username in usernames:
        audit_record(
            actor=None,
            action=AuditEvent.Action.USER_DEACTIVATED,
            target=username,
            details={"reason": "not seen", "days": days},
        )
    return usernames
