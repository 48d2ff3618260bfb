"""The one Celery task of background jobs; what each kind does is its runner (jobs.services)."""

from celery import shared_task

from jobs.runner import job_run_by_id


@shared_task(acks_late=True)
def job_run_task(job_id: int) -> str:
    """Run a background job. Failures are recorded on the job, not retried automatically (a bad
    request fails the same way twice); the page shows the message and offers a retry."""
    return job_run_by_id(job_id=job_id)
