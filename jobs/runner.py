"""Running a background job: queued → running (with progress) → done, or failed with a message
the person waiting can read (the rest of the lifecycle, creating and retrying, is in
`jobs.services`).

What a job does is a *runner* registered for its kind in `settings.JOB_RUNNERS` (a dotted path,
so this bottom layer never imports the apps above it). A runner is called as
`runner(job=job, progress=progress)`; it reports progress with `progress(percent, message)`,
raises `JobError` for a failure the person can act on, and returns a `JobOutput` (a file to
offer for download), a short message, or None.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.files import FileStoreError, file_store
from jobs.models import Job

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]


class JobError(Exception):
    """A job that cannot be done as asked; the message is shown to the person waiting."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class JobOutput:
    """The file a job produced."""

    name: str
    data: bytes
    message: str = ""


def job_runner(kind: str) -> Callable[..., Any]:
    """Return the work function registered for this kind of job."""
    return import_string(settings.JOB_RUNNERS[kind])


def job_progress(*, job: Job, percent: int, message: str) -> None:
    """Record how far the job is (committed at once, so the page polling it sees it)."""
    job.progress, job.message = max(0, min(100, percent)), message[:300]
    Job.objects.filter(pk=job.pk).update(
        progress=job.progress, message=job.message, updated_at=timezone.now()
    )


def _job_fail(job: Job, message: str) -> Job:
    job.status, job.error, job.message = Job.Status.FAILED, message, _("Failed")
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "message", "finished_at", "updated_at"])
    return job


def job_run(*, job: Job, on_progress: ProgressCallback | None = None) -> Job:
    """Run a queued (or retried) job: mark it running, call its runner, save what it made and
    mark it done, or record the failure. A job already done is left alone (a redelivered task).

    Not atomic on purpose: each step is committed, so the page polling the job sees it. Its
    steps and errors are written in the job's language (the one of the person who asked).
    """
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _job_run(job=job, on_progress=on_progress)


def _job_run(*, job: Job, on_progress: ProgressCallback | None) -> Job:
    if job.status == Job.Status.DONE:
        return job

    def step(percent: int, message: str) -> None:
        job_progress(job=job, percent=percent, message=message)
        if on_progress is not None:
            on_progress(job.progress, job.message)

    job.status, job.error, job.finished_at = Job.Status.RUNNING, "", None
    job.started_at = timezone.now()
    job.save(update_fields=["status", "error", "started_at", "finished_at", "updated_at"])
    step(0, _("Started"))
    try:
        output = job_runner(job.kind)(job=job, progress=step)
        message = _("Ready")
        if isinstance(output, JobOutput):
            step(90, _("Saving the file"))
            file_store(
                field_file=job.result_file, filename=output.name, content=ContentFile(output.data)
            )
            message = output.message or message
        elif isinstance(output, str) and output:
            message = output
    except (JobError, FileStoreError) as error:
        job.result_file.name = ""  # nothing partial is offered for download
        return _job_fail(job, error.message)
    except Exception as error:
        # Recorded on the job for the person waiting; the worker log has the traceback.
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        return _job_fail(
            job,
            _(
                "The job failed unexpectedly (%(error)s). Try again; if it fails again, tell "
                "the administrators."
            )
            % {"error": f"{type(error).__name__}: {error}"[:500]},
        )
    job.status, job.progress, job.message = Job.Status.DONE, 100, message[:300]
    job.finished_at = timezone.now()
    job.save()
    if on_progress is not None:
        on_progress(100, job.message)
    return job


def job_run_by_id(*, job_id: int) -> str:
    """Run the job with this id (what the task receives); return its final status, or
    "skipped" when it no longer exists or is already done."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status == Job.Status.DONE:
        return "skipped"
    return job_run(job=job).status
