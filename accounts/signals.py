"""Sign-ins, failed password sign-ins and sign-outs go to the audit log.

Failed sign-ins through the provider are recorded by the callback view, with the reason.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import audit_record

OIDC_BACKEND = "accounts.backends.OidcBackend"


def _method(request) -> str:
    session = getattr(request, "session", None)
    backend = session.get(BACKEND_SESSION_KEY, "") if session is not None else ""
    return "oidc" if backend == OIDC_BACKEND else "password"


@receiver(user_logged_in, dispatch_uid="accounts_audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs):
    audit_record(
        actor=user,
        action=AuditEvent.Action.SIGN_IN,
        target=user.get_username(),
        details={"method": _method(request)},
        request=request,
    )


@receiver(user_login_failed, dispatch_uid="accounts_audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if not username:  # a provider callback: its view records the reason
        return
    audit_record(
        actor=None,
        actor_label=str(username),
        action=AuditEvent.Action.SIGN_IN_FAILED,
        target=str(username),
        details={"method": "password"},
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="accounts_audit_sign_out")
def audit_sign_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "accounts_logout_reason", "")
    audit_record(
        actor=user,
        action=AuditEvent.Action.SESSION_ENDED if reason else AuditEvent.Action.SIGN_OUT,
        target=user.get_username(),
        details={"reason": reason} if reason else {},
        request=request,
    )
