"""The audit log: who signed in (or failed to), changed a role or issued an API token.

A bottom-layer app: it knows nothing of the project but the user model, so every app above it
(offices, accounts) can record events.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class AuditEvent(TimeStampedModel):
    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        SESSION_ENDED = "session_ended", _("Session ended by the identity provider")
        USER_CREATED = "user_created", _("Account created")
        USER_DEACTIVATED = "user_deactivated", _("Account deactivated")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_CHANGED = "role_changed", _("Role changed")
        ROLE_REVOKED = "role_revoked", _("Role revoked")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")

    # Kept when the person is deleted: the label below still says who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    target = models.CharField(_("target"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["action", "-created_at"], name="audit_action_created"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_created"),
        ]

    def __str__(self) -> str:
        who = self.actor_label or "-"
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.get_action_display()} {self.target}"
