"""The resource mobilization plan: human (FTE) and financial (USD) allocations per
deliverable or institutional output and year, on one abstract allocation."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from deliverables.models import Deliverable
from offices.models import Office
from outcomes.models import InstitutionalOutput, Strategy
from plans.models.results import ResultLinkMixin, links_one_result

NOT_NEGATIVE = [
    MinValueValidator(
        Decimal("0"), message=_("Must be zero or more; negative values are not allowed.")
    )
]

HR_DUPLICATE = _(
    "This office already has an allocation for this deliverable or output and year; "
    "edit that one instead."
)
FR_DUPLICATE = _(
    "There is already an allocation from this source for this deliverable or output, year and "
    "office; edit that one instead."
)


def _quantity(verbose_name: str, *, max_digits: int) -> models.DecimalField:
    """Return a field for an amount or FTE: two decimals, zero by default, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )


def allocation_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Return the constraints every allocation table has, named `<prefix>_…`."""
    return [
        links_one_result(f"{prefix}_links_one_result"),
        models.CheckConstraint(
            condition=Q(year__gte=1900, year__lte=2200), name=f"{prefix}_year_plausible"
        ),
    ]


def unique_per_result(
    name: str, fields: list[str], message: str, **condition: bool
) -> list[models.UniqueConstraint]:
    """Return one unique constraint per kind of result (deliverable, institutional output);
    `name` holds "{result}" and `condition` narrows both further."""
    return [
        models.UniqueConstraint(
            fields=[result, *fields],
            condition=Q(**{f"{result}__isnull": False}, **condition),
            name=name.format(result=result),
            violation_error_message=message,
        )
        for result in ("deliverable", "output")
    ]


class ResourceAllocation(ResultLinkMixin, TimeStampedModel):
    """What an office or HQ gives a deliverable or output in a year, in some resource.

    The related names follow each table's Meta.default_related_name; each kind names its own
    constraints (allocation_constraints) and says what tells its rows apart (`detail_label`).
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, verbose_name=_("strategy"))
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("deliverable"),
    )
    output = models.ForeignKey(
        InstitutionalOutput,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("institutional output"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, verbose_name=_("office"))
    notes = models.TextField(_("notes"), blank=True)

    # The URL name of the page that edits a row of this kind.
    edit_url_name = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.result_code} {self.year} · {self.detail_label()}"

    def get_absolute_url(self) -> str:
        return reverse(self.edit_url_name, args=[self.pk])

    def detail_label(self) -> str:
        """Return what tells this row apart from the result's other rows of the same year."""
        raise NotImplementedError


class HumanResource(ResourceAllocation):
    """Staff time (full-time equivalents) an office gives a deliverable or output in a year."""

    fte_planned = _quantity(_("FTE planned"), max_digits=8)
    fte_actual = _quantity(_("FTE actual"), max_digits=8)

    edit_url_name = "plans:human_resource_edit"

    class Meta(ResourceAllocation.Meta):
        ordering = ["year", "office__name", "pk"]
        verbose_name = _("human resource allocation")
        verbose_name_plural = _("human resource allocations")
        default_related_name = "human_resources"
        constraints = [
            *allocation_constraints("human_resource"),
            models.CheckConstraint(
                condition=Q(fte_planned__gte=0, fte_actual__gte=0),
                name="human_resource_fte_not_negative",
                violation_error_message=_("FTE cannot be negative."),
            ),
            *unique_per_result("human_resource_{result}_unique", ["year", "office"], HR_DUPLICATE),
        ]

    def detail_label(self) -> str:
        return str(self.office)


class FinancialResource(ResourceAllocation):
    """US dollars from one funding source for a deliverable or output in a year."""

    class Source(models.TextChoices):
        UNEARMARKED = "unearmarked", _("Unearmarked")
        EARMARKED = "earmarked", _("Earmarked")
        UN_POOLED = "un_pooled", _("UN pooled funds")
        DFI = "dfi", _("Development finance institutions")
        OTHER = "other", _("Other")

    source = models.CharField(_("funding source"), max_length=20, choices=Source.choices)
    # Unlike staff time, money may be global: no office.
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("office"),
        help_text=_(
            "Optional: the office the money is allocated to; its region counts it in the "
            "regional totals. Leave empty for global allocations."
        ),
    )
    amount_planned = _quantity(_("planned (USD)"), max_digits=16)
    amount_mobilized = _quantity(_("mobilized (USD)"), max_digits=16)
    amount_spent = _quantity(_("spent (USD)"), max_digits=16)

    edit_url_name = "plans:financial_resource_edit"

    class Meta(ResourceAllocation.Meta):
        ordering = ["year", "source", "pk"]
        verbose_name = _("financial resource allocation")
        verbose_name_plural = _("financial resource allocations")
        default_related_name = "financial_resources"
        constraints = [
            *allocation_constraints("financial_resource"),
            models.CheckConstraint(
                condition=Q(amount_planned__gte=0, amount_mobilized__gte=0, amount_spent__gte=0),
                name="financial_resource_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=["unearmarked", "earmarked", "un_pooled", "dfi", "other"]),
                name="financial_resource_source_valid",
            ),
            # One row per result, year, source and office (or global, when office is empty).
            *unique_per_result(
                "financial_resource_{result}_office_unique",
                ["year", "source", "office"],
                FR_DUPLICATE,
                office__isnull=False,
            ),
            *unique_per_result(
                "financial_resource_{result}_global_unique",
                ["year", "source"],
                FR_DUPLICATE,
                office__isnull=True,
            ),
        ]

    def detail_label(self) -> str:
        return str(self.get_source_display())
