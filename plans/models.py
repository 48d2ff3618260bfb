"""The delivery plan (actions, published versions of it) and the resource mobilization plan
(human and financial resources per deliverable or institutional output and year)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from deliverables.models import Deliverable
from offices.models import Office
from outcomes.models import InstitutionalOutput, Strategy

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


def _one_result(name: str) -> models.CheckConstraint:
    """Link a row to exactly one deliverable or one institutional output (like an Indicator)."""
    return models.CheckConstraint(
        condition=(
            Q(deliverable__isnull=False, output__isnull=True)
            | Q(deliverable__isnull=True, output__isnull=False)
        ),
        name=name,
        violation_error_message=_("Choose either a deliverable or an institutional output."),
    )


class ResultLinkMixin:
    """What a row linked to a deliverable or an institutional output can say about it."""

    deliverable: Deliverable | None
    output: InstitutionalOutput | None

    @property
    def result(self) -> Deliverable | InstitutionalOutput | None:
        """Return the deliverable or institutional output this row belongs to."""
        return self.deliverable or self.output

    @property
    def result_code(self) -> str:
        """Return a short code: "A.i" for a deliverable, "O.b" for an institutional output."""
        if self.deliverable is not None:
            return self.deliverable.full_code
        if self.output is not None:
            return f"O.{self.output.code}"
        return ""


class Action(ResultLinkMixin, TimeStampedModel):
    """A concrete action of the delivery plan, with its expected results."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        DROPPED = "dropped", _("Dropped")

    # Statuses of an action that is still expected to finish; only these can be overdue.
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.DELAYED)

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="actions", verbose_name=_("strategy")
    )
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("deliverable"),
    )
    output = models.ForeignKey(
        InstitutionalOutput,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("institutional output"),
    )
    title = models.CharField(_("title"), max_length=300)
    expected_results = models.TextField(_("expected results"))
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        verbose_name=_("responsible office"),
    )
    lead = models.CharField(
        _("lead"), max_length=200, blank=True, help_text=_("The person who leads the action.")
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    progress_notes = models.TextField(_("progress notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "title", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            _one_result("action_links_one_result"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="action_dates_ordered",
                violation_error_message=_("The due date must be on or after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "delayed", "dropped"]),
                name="action_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["strategy", "status", "due_date"], name="action_status_due_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class DeliveryPlanVersion(TimeStampedModel):
    """A published version of a strategy's delivery plan; its actions are kept as snapshots."""

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="delivery_plan_versions",
        verbose_name=_("strategy"),
    )
    number = models.PositiveIntegerField(_("version number"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["strategy", "-number"]
        verbose_name = _("delivery plan version")
        verbose_name_plural = _("delivery plan versions")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"], name="delivery_plan_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="delivery_plan_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return _("Version %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("plans:version_detail", args=[self.pk])


class ActionSnapshot(ResultLinkMixin, TimeStampedModel):
    """An action as it stood when a version of the delivery plan was published.

    `action_key` is the action's id at publication, so versions compare exactly even after the
    action itself has been deleted (then `action` is empty).
    """

    version = models.ForeignKey(
        DeliveryPlanVersion,
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("version"),
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("action"),
    )
    action_key = models.PositiveBigIntegerField(_("action number"))
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deliverable"),
    )
    output = models.ForeignKey(
        InstitutionalOutput,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institutional output"),
    )
    title = models.CharField(_("title"), max_length=300)
    expected_results = models.TextField(_("expected results"))
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible office")
    )
    lead = models.CharField(_("lead"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Action.Status.choices)
    progress_notes = models.TextField(_("progress notes"), blank=True)

    class Meta:
        ordering = ["version", "due_date", "title", "action_key"]
        verbose_name = _("action snapshot")
        verbose_name_plural = _("action snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "action_key"], name="action_snapshot_unique"
            ),
            _one_result("action_snapshot_links_one_result"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.title}"


class HumanResource(ResultLinkMixin, TimeStampedModel):
    """Staff time (full-time equivalents) an office gives a deliverable or output in a year."""

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="human_resources",
        verbose_name=_("strategy"),
    )
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="human_resources",
        verbose_name=_("deliverable"),
    )
    output = models.ForeignKey(
        InstitutionalOutput,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="human_resources",
        verbose_name=_("institutional output"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="human_resources", verbose_name=_("office")
    )
    fte_planned = models.DecimalField(
        _("FTE planned"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    fte_actual = models.DecimalField(
        _("FTE actual"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["year", "office__name", "pk"]
        verbose_name = _("human resource allocation")
        verbose_name_plural = _("human resource allocations")
        constraints = [
            _one_result("human_resource_links_one_result"),
            models.CheckConstraint(
                condition=Q(fte_planned__gte=0, fte_actual__gte=0),
                name="human_resource_fte_not_negative",
                violation_error_message=_("FTE cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2200), name="human_resource_year_plausible"
            ),
            models.UniqueConstraint(
                fields=["deliverable", "year", "office"],
                condition=Q(deliverable__isnull=False),
                name="human_resource_deliverable_unique",
                violation_error_message=HR_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["output", "year", "office"],
                condition=Q(output__isnull=False),
                name="human_resource_output_unique",
                violation_error_message=HR_DUPLICATE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result_code} {self.year} · {self.office}"

    def get_absolute_url(self) -> str:
        return reverse("plans:human_resource_edit", args=[self.pk])


class FinancialResource(ResultLinkMixin, TimeStampedModel):
    """US dollars from one funding source for a deliverable or output in a year."""

    class Source(models.TextChoices):
        UNEARMARKED = "unearmarked", _("Unearmarked")
        EARMARKED = "earmarked", _("Earmarked")
        UN_POOLED = "un_pooled", _("UN pooled funds")
        DFI = "dfi", _("Development finance institutions")
        OTHER = "other", _("Other")

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="financial_resources",
        verbose_name=_("strategy"),
    )
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financial_resources",
        verbose_name=_("deliverable"),
    )
    output = models.ForeignKey(
        InstitutionalOutput,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financial_resources",
        verbose_name=_("institutional output"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=20, choices=Source.choices)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financial_resources",
        verbose_name=_("office"),
        help_text=_(
            "Optional: the office the money is allocated to; its region counts it in the "
            "regional totals. Leave empty for global allocations."
        ),
    )
    amount_planned = models.DecimalField(
        _("planned (USD)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    amount_mobilized = models.DecimalField(
        _("mobilized (USD)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    amount_spent = models.DecimalField(
        _("spent (USD)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["year", "source", "pk"]
        verbose_name = _("financial resource allocation")
        verbose_name_plural = _("financial resource allocations")
        constraints = [
            _one_result("financial_resource_links_one_result"),
            models.CheckConstraint(
                condition=Q(amount_planned__gte=0, amount_mobilized__gte=0, amount_spent__gte=0),
                name="financial_resource_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=["unearmarked", "earmarked", "un_pooled", "dfi", "other"]),
                name="financial_resource_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2200),
                name="financial_resource_year_plausible",
            ),
            # One row per result, year, source and office (or global, when office is empty).
            models.UniqueConstraint(
                fields=["deliverable", "year", "source", "office"],
                condition=Q(deliverable__isnull=False, office__isnull=False),
                name="financial_resource_deliverable_office_unique",
                violation_error_message=FR_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["deliverable", "year", "source"],
                condition=Q(deliverable__isnull=False, office__isnull=True),
                name="financial_resource_deliverable_global_unique",
                violation_error_message=FR_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["output", "year", "source", "office"],
                condition=Q(output__isnull=False, office__isnull=False),
                name="financial_resource_output_office_unique",
                violation_error_message=FR_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["output", "year", "source"],
                condition=Q(output__isnull=False, office__isnull=True),
                name="financial_resource_output_global_unique",
                violation_error_message=FR_DUPLICATE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result_code} {self.year} · {self.get_source_display()}"

    def get_absolute_url(self) -> str:
        return reverse("plans:financial_resource_edit", args=[self.pk])
