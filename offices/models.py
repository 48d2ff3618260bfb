"""Regions, offices and the roles people hold in them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Region(TimeStampedModel):
    """An IOM region, named after its regional office's city (e.g. Nairobi)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    city = models.CharField(_("regional office city"), max_length=100)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["city"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.city} ({self.name})"


class Office(TimeStampedModel):
    class Kind(models.TextChoices):
        HEADQUARTERS = "hq", _("Headquarters")
        HQ_DEPARTMENT = "hq_department", _("HQ department")
        REGIONAL = "regional", _("Regional office")
        COUNTRY = "country", _("Country office")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=2, blank=True, help_text=_("Country offices only.")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("region"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            # Country and regional offices belong to a region; headquarters units do not.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["country", "regional"], region__isnull=False)
                    | Q(kind__in=["hq", "hq_department"], region__isnull=True)
                ),
                name="office_region_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="country") | Q(iso_code__regex=r"^[A-Z]{2}$"),
                name="country_office_has_iso_code",
            ),
            models.UniqueConstraint(
                fields=["iso_code"], condition=Q(kind="country"), name="one_office_per_country"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_headquarters(self) -> bool:
        return self.kind in {self.Kind.HEADQUARTERS, self.Kind.HQ_DEPARTMENT}


class RoleAssignment(TimeStampedModel):
    """One role a person holds, with its scope; a person may hold several."""

    class Role(models.TextChoices):
        FIELD_STAFF = "field_staff", _("Field staff")
        REVIEWER = "reviewer", _("Reviewer")
        STEERING = "steering", _("Steering committee")
        HQ_MANAGER = "hq_manager", _("HQ results manager")
        ADMINISTRATOR = "administrator", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("office"),
        help_text=_("Field staff: their office. Reviewer at HQ: the headquarters office."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("region"),
        help_text=_("Reviewer of a region."),
    )

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="field_staff", office__isnull=False, region__isnull=True)
                    | Q(role="reviewer", office__isnull=False, region__isnull=True)
                    | Q(role="reviewer", office__isnull=True, region__isnull=False)
                    | Q(
                        role__in=["steering", "hq_manager", "administrator"],
                        office__isnull=True,
                        region__isnull=True,
                    )
                ),
                name="role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(office__isnull=True, region__isnull=True),
                name="role_unscoped_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "office"],
                condition=Q(office__isnull=False),
                name="role_office_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="role_region_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = self.office or self.region
        label = self.get_role_display()
        return f"{self.user} — {label} ({scope})" if scope else f"{self.user} — {label}"


class UserProfile(TimeStampedModel):
    """What a person prefers, kept beside their account: the language of pages and e-mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    # Empty: no choice made yet; pages follow the browser and e-mails the default language.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)
