"""Background jobs: long work done by a Celery worker, with the progress the person waiting sees."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


def job_result_upload_to(instance: "Job", filename: str) -> str:
    return f"jobs/{instance.kind}/{instance.pk}/{filename}"


class Job(TimeStampedModel):
    """Long work done by a Celery worker (an export, a full roll-up rebuild, an import), with
    the progress the person waiting sees and the file it produced."""

    class Kind(models.TextChoices):
        MEMBERSHIP_UPDATE = "membership_update", _("Membership update export")
        ROLLUP_REBUILD = "rollup_rebuild", _("Full roll-up rebuild")
        EXCEL_IMPORT = "excel_import", _("Excel import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("current step"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    result_file = models.FileField(
        _("result file"), upload_to=job_result_upload_to, max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The language the job's file is written in (a membership update in en, fr or es).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        db_table = "reporting_job"  # created by reporting's migrations; no data moves
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_at_most_100")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class OutboxTask(models.Model):
    """A Celery task that could not be handed to the broker (Redis down): kept here, in the same
    database as the change that asked for it, until beat's sweep sends it (`jobs.outbox`)."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
