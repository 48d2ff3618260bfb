"""Creating and retrying background jobs (running them is `jobs.runner`, sweeping the stale
ones `jobs.sweeps`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.outbox import task_send_on_commit
from jobs.runner import JobError
from jobs.tasks import job_run_task

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def job_enqueue(*, job: Job) -> None:
    """Hand the job to a worker once the current transaction commits (kept in the outbox while
    the broker is unreachable: the job stays queued and beat's sweep sends it)."""
    task_send_on_commit(job_run_task, job.pk)


@transaction.atomic
def _active_language() -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    active = (translation.get_language() or "").split("-")[0]
    return active if active in codes else settings.LANGUAGE_CODE


def job_create(
    *,
    kind: str,
    params: dict[str, Any] | None = None,
    user: AbstractBaseUser | None = None,
    language: str | None = None,
) -> Job:
    """Create a queued job and hand it to a worker once the transaction commits.

    `language` is the one its file, steps and errors are written in (default: the active
    language, the one of the person asking).
    """
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        created_by=user if user is not None and user.is_authenticated else None,
        message=_("Queued"),
        language=language or _active_language(),
    )
    job_enqueue(job=job)
    return job


@transaction.atomic
def job_retry(*, job: Job) -> Job:
    """Queue a failed job again with the same parameters; raise JobError for any other."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != Job.Status.FAILED:
        raise JobError(_("Only a failed job can be retried."))
    job.status, job.progress, job.message, job.error = Job.Status.QUEUED, 0, _("Queued"), ""
    job.started_at = job.finished_at = None
    job.save()
    job_enqueue(job=job)
    return job
