"""The Celery tasks of background jobs and of the broker outbox; what each kind of job does is
its runner (jobs.runner)."""

from celery import shared_task

from jobs.outbox import outbox_sweep
from jobs.runner import job_run_by_id
from jobs.sweeps import jobs_sweep_stale


@shared_task(acks_late=True)
def job_run_task(job_id: int) -> str:
    """Run a background job. Failures are recorded on the job, not retried automatically (a bad
    request fails the same way twice); the page shows the message and offers a retry."""
    return job_run_by_id(job_id=job_id)


@shared_task
def outbox_sweep_task() -> int:
    """Beat, every OUTBOX_SWEEP_SECONDS: send the tasks kept while the broker was down."""
    return outbox_sweep()


@shared_task
def jobs_sweep_stale_task() -> int:
    """Beat, every minute: fail jobs whose worker died (the page offers a retry)."""
    return jobs_sweep_stale()
