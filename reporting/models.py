"""Reporting periods, indicator updates and their evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, TolerantDecimalField
from deliverables.models import Indicator
from offices.models import Office
from outcomes.models import Strategy


class ReportingPeriod(TimeStampedModel):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        LOCKED = "locked", _("Locked")

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="periods", verbose_name=_("strategy")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("e.g. 2021-Q3"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    deadline = models.DateField(_("submission deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="period_code_unique"),
            models.UniqueConstraint(
                fields=["strategy", "year", "quarter"], name="period_quarter_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="period_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def accepts_submissions(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.LOCKED


class IndicatorUpdate(TimeStampedModel):
    """What one office reports for one indicator in one period.

    `value` holds the figure whatever the measure: a number; a percentage (computed from
    numerator / denominator); 1 or 0 for yes/no; the level number for ordinal measures.
    Qualitative updates carry `text`. For a cumulative indicator it is what happened in the
    period; otherwise the level at the period's end.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="updates", verbose_name=_("indicator")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="updates", verbose_name=_("office")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="updates", verbose_name=_("period")
    )
    # Copied from the indicator so the database itself can hold percentage updates to a
    # numerator and denominator (a check constraint cannot look at another table).
    measure = models.CharField(_("measure"), max_length=20, choices=Indicator.Measure.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save; guards against lost edits.")
    )
    # Tolerant: a row stored out of range is read and shown flagged, never a broken page.
    value = TolerantDecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = TolerantDecimalField(
        _("numerator"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    denominator = TolerantDecimalField(
        _("denominator"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    disaggregations = models.JSONField(
        _("disaggregated values"),
        default=dict,
        blank=True,
        help_text=_('{"sex": {"female": 10, "male": 8, "other_unknown": 0}, ...}'),
    )
    narrative = models.TextField(_("narrative"), blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start_date", "office__name", "indicator__code"]
        verbose_name = _("indicator update")
        verbose_name_plural = _("indicator updates")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "office", "period"],
                name="one_update_per_indicator_office_period",
            ),
            # A percentage with a value carries the numerator and a positive denominator.
            models.CheckConstraint(
                condition=(
                    ~Q(measure="percentage")
                    | Q(value__isnull=True)
                    # isnull too: a missing denominator makes "> 0" NULL, which a CHECK lets pass
                    | Q(numerator__isnull=False, denominator__isnull=False, denominator__gt=0)
                ),
                name="percentage_has_numerator_and_denominator",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="numerator_not_above_denominator",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(measure="yes_no") | Q(value__isnull=True) | Q(value__in=[0, 1]),
                name="yes_no_value_is_0_or_1",
            ),
        ]
        indexes = [
            # What roll-ups read: an indicator's counted updates, of some offices or all.
            models.Index(
                fields=["indicator", "office"],
                condition=models.Q(status__in=["approved", "submitted"]),
                name="update_rollup_idx",
            ),
            models.Index(fields=["office", "period"], name="update_office_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.office} · {self.period}"

    @property
    def is_editable_status(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    @property
    def has_value(self) -> bool:
        if self.measure == Indicator.Measure.QUALITATIVE:
            return bool(self.text.strip())
        return self.value is not None


def evidence_upload_to(instance: "UpdateEvidence", filename: str) -> str:
    update = instance.update
    return f"evidence/{update.period.code}/{update.office.code}/{update.indicator_id}/{filename}"


class UpdateEvidence(TimeStampedModel):
    update = models.ForeignKey(
        IndicatorUpdate, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("update")
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
