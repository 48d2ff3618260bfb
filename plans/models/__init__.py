"""The delivery plan (actions, published versions of it) and the resource mobilization plan
(human and financial resources per deliverable or institutional output and year).

The delivery plan's models are defined here rather than in a submodule: django-simple-history
keeps HistoricalAction in the app's models module only when Action is defined in it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from deliverables.models import Deliverable
from offices.models import Office
from outcomes.models import InstitutionalOutput, Strategy
from plans.models.resources import FinancialResource, HumanResource, ResourceAllocation
from plans.models.results import ResultLinkMixin, links_one_result


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
            links_one_result("action_links_one_result"),
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
            links_one_result("action_snapshot_links_one_result"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.title}"


__all__ = [
    "Action",
    "ActionSnapshot",
    "DeliveryPlanVersion",
    "FinancialResource",
    "HumanResource",
    "ResourceAllocation",
    "ResultLinkMixin",
]
