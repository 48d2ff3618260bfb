"""API tokens for machine clients (other systems that read or write through the REST API)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ApiToken(TimeStampedModel):
    """One token of a named client. Only a hash of the secret is kept: it is shown once.

    Each token acts as its own service user, whose single role gives the token's scope: the
    steering committee's (reads everything submitted) for read-only, field staff of one office
    for write.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read-only")
        WRITE = "write", _("Write for one office")

    name = models.CharField(_("client name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("office"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        verbose_name=_("service user"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="read", office__isnull=True)
                | Q(scope="write", office__isnull=False),
                name="api_token_write_has_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
