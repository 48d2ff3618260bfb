"""The strategy and its results framework: outcomes, institutional outputs, markers and the
reference lists (strategic priorities, megatrends, frameworks, SDG targets, GCM objectives)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Strategy(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["-start_year", "code"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="strategy_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class StrategyPart(TimeStampedModel):
    """A coded, ordered element of one strategy's framework."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, verbose_name=_("strategy"))
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["strategy", "order", "code"]

    def __str__(self) -> str:
        return f"({self.code}) {getattr(self, 'title', '') or getattr(self, 'name', '')}"


class Outcome(StrategyPart):
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta(StrategyPart.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="outcome_code_unique")
        ]


class InstitutionalOutput(StrategyPart):
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)

    class Meta(StrategyPart.Meta):
        verbose_name = _("institutional output")
        verbose_name_plural = _("institutional outputs")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="output_code_unique")
        ]


class Marker(StrategyPart):
    """A cross-cutting issue the strategy mainstreams (inequalities, environment, gender)."""

    name = models.CharField(_("name"), max_length=200)

    class Meta(StrategyPart.Meta):
        verbose_name = _("cross-cutting marker")
        verbose_name_plural = _("cross-cutting markers")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="marker_code_unique")
        ]


class StrategicPriority(StrategyPart):
    name = models.CharField(_("name"), max_length=200)

    class Meta(StrategyPart.Meta):
        verbose_name = _("strategic priority")
        verbose_name_plural = _("strategic priorities")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="priority_code_unique")
        ]


class Megatrend(StrategyPart):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta(StrategyPart.Meta):
        verbose_name = _("megatrend")
        verbose_name_plural = _("megatrends")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="megatrend_code_unique")
        ]


class Framework(StrategyPart):
    """A multilateral framework the strategy supports (2030 Agenda, Paris Agreement, ...)."""

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)

    class Meta(StrategyPart.Meta):
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="framework_code_unique")
        ]


class SdgTarget(TimeStampedModel):
    """A target of the 2030 Agenda (e.g. 10.7); a reference list shared by every strategy."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    goal = models.PositiveSmallIntegerField(_("goal"))
    title = models.TextField(_("title"))

    class Meta:
        ordering = ["goal", "code"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self) -> str:
        return f"SDG {self.code}"


class GcmObjective(TimeStampedModel):
    """An objective (1–23) of the Global Compact for Safe, Orderly and Regular Migration."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=23), name="gcm_objective_1_to_23"
            )
        ]

    def __str__(self) -> str:
        return f"GCM {self.number}: {self.title}"
