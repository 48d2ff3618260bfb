"""Deliverables, the indicators that measure them (or an institutional output), their yearly
targets and which offices report on them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from offices.models import Office
from outcomes.models import (
    GcmObjective,
    InstitutionalOutput,
    Marker,
    Outcome,
    SdgTarget,
    StrategicPriority,
    Strategy,
)


class Deliverable(TimeStampedModel):
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("outcome")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("Roman numeral, e.g. ii."))
    title = models.CharField(_("title"), max_length=400)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["outcome__order", "order", "code"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="deliverable_code_unique")
        ]

    def __str__(self) -> str:
        return f"({self.outcome.code}.{self.code}) {self.title}"

    @property
    def full_code(self) -> str:
        return f"{self.outcome.code.upper()}.{self.code}"


class Indicator(TimeStampedModel):
    class Measure(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage")
        YES_NO = "yes_no", _("Yes / no")
        ORDINAL = "ordinal", _("Ordinal (levels)")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class Dimension(models.TextChoices):
        SEX = "sex", _("Sex")
        AGE = "age", _("Age")
        POPULATION = "population", _("Population group")

    # Measures whose figures do not grow with the size of an office (a share, an answer, a
    # level): an office without a target of its own is held to the global one. Counts are not:
    # a global count is the sum over offices, not any one office's target.
    SCALE_FREE_MEASURES: tuple[str, ...] = (Measure.PERCENTAGE, Measure.YES_NO, Measure.ORDINAL)

    # The categories of each disaggregation dimension (DOMAIN.md).
    DIMENSION_CATEGORIES: dict[str, list[tuple[str, str]]] = {
        "sex": [
            ("female", _("Female")),
            ("male", _("Male")),
            ("other_unknown", _("Other or unknown")),
        ],
        "age": [("0_17", _("0–17")), ("18_59", _("18–59")), ("60_plus", _("60+"))],
        "population": [
            ("migrants", _("Migrants")),
            ("idps", _("Internally displaced")),
            ("refugees", _("Refugees")),
            ("returnees", _("Returnees")),
            ("host_community", _("Host community")),
        ],
    }

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("strategy")
    )
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("deliverable"),
    )
    output = models.ForeignKey(
        InstitutionalOutput,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("institutional output"),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. A.i.1 or O.b.2"))
    name = models.CharField(_("name"), max_length=400)
    definition = models.TextField(_("definition"), blank=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_("Values add up across periods (e.g. people assisted); otherwise a level."),
    )
    ordinal_levels = models.JSONField(
        _("ordinal levels"),
        default=list,
        blank=True,
        help_text=_("Ordinal measures: level labels, lowest first; level 1 is the first."),
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    disaggregations = models.JSONField(
        _("disaggregation dimensions"),
        default=list,
        blank=True,
        help_text=_('Any of "sex", "age", "population".'),
    )
    markers = models.ManyToManyField(
        Marker, blank=True, related_name="indicators", verbose_name=_("markers")
    )
    priorities = models.ManyToManyField(
        StrategicPriority,
        blank=True,
        related_name="indicators",
        verbose_name=_("strategic priorities"),
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="indicators", verbose_name=_("SDG targets")
    )
    gcm_objectives = models.ManyToManyField(
        GcmObjective, blank=True, related_name="indicators", verbose_name=_("GCM objectives")
    )
    # Reference-sheet fields of a results monitoring framework.
    method_of_calculation = models.TextField(_("method of calculation"), blank=True)
    data_source = models.TextField(_("data source and means of verification"), blank=True)
    collection_method = models.CharField(_("collection method"), max_length=200, blank=True)
    reporting_frequency = models.CharField(
        _("reporting frequency"), max_length=60, blank=True, default="Quarterly"
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["strategy", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="indicator_code_unique"),
            # An indicator measures exactly one deliverable or one institutional output.
            models.CheckConstraint(
                condition=(
                    Q(deliverable__isnull=False, output__isnull=True)
                    | Q(deliverable__isnull=True, output__isnull=False)
                ),
                name="indicator_measures_one_result",
            ),
            models.CheckConstraint(
                condition=Q(
                    measure__in=["number", "percentage", "yes_no", "ordinal", "qualitative"]
                ),
                name="indicator_measure_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def result(self) -> Deliverable | InstitutionalOutput:
        """Return the deliverable or institutional output this indicator measures."""
        return self.deliverable or self.output

    @property
    def is_numeric(self) -> bool:
        return self.measure != self.Measure.QUALITATIVE

    def level_label(self, level: int | None) -> str:
        if level is None or not self.ordinal_levels:
            return ""
        index = int(level) - 1
        return self.ordinal_levels[index] if 0 <= index < len(self.ordinal_levels) else str(level)


class IndicatorTarget(TimeStampedModel):
    """A yearly target: global when office is empty, otherwise that office's own."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_targets",
        verbose_name=_("office"),
    )
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["indicator", "year", "office"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(office__isnull=True),
                name="one_global_target_per_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "office"],
                condition=Q(office__isnull=False),
                name="one_office_target_per_year",
            ),
        ]

    def __str__(self) -> str:
        scope = self.office or _("global")
        return f"{self.indicator.code} {self.year} ({scope}): {self.value}"


class Assignment(TimeStampedModel):
    """An office reports on an indicator only when it is assigned to it."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("indicator")
    )
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("office")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["office__name", "indicator__code"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "office"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office} → {self.indicator.code}"
