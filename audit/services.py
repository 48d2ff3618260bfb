"""Writes to the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client says it is.
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Record one event. `actor` may be anonymous (a failed sign-in): then `actor_label`
    (e.g. the username that was tried) says who it claimed to be."""
    known = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if known is not None and not actor_label:
        actor_label = known.get_username()
    return AuditEvent.objects.create(
        actor=known,
        actor_label=actor_label[:254],
        action=action,
        target=str(target)[:255],
        details=details or {},
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else ""),
    )
