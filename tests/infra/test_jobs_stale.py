"""The worker killed in the middle of an export: the stale-job sweeper marks the job failed
(nothing stays "running" for ever), the page offers a retry, and the retried export gives the
same file as one made without a fault."""

from __future__ import annotations

import datetime as dt
import signal
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, OutboxTask
from jobs.runner import job_run
from jobs.sweeps import jobs_sweep_stale
from tests.exports.helpers import export_job
from tests.infra.broker import celery_on_broker, file_broker_options
from tests.infra.processes import celery_worker, database_url, process_env

Status = Job.Status


def test_sweeper_fails_only_jobs_nobody_works_on(db, settings, users, world):
    # given jobs running and queued, some long without a sign of life
    settings.JOB_STALE_SECONDS, settings.JOB_QUEUED_MAX_SECONDS = 600, 3600
    now = timezone.now()
    strategy = world["strategy"]

    def job(status, age_seconds):
        made = export_job(users["hq"], strategy)
        Job.objects.filter(pk=made.pk).update(
            status=status, updated_at=now - dt.timedelta(seconds=age_seconds)
        )
        return made.pk

    dead, alive = job(Status.RUNNING, 700), job(Status.RUNNING, 30)
    forgotten, waiting_broker = job(Status.QUEUED, 4000), job(Status.QUEUED, 4000)
    OutboxTask.objects.create(task="jobs.tasks.job_run_task", args=[waiting_broker])
    # when the sweeper runs
    assert jobs_sweep_stale(now=now) == 2
    # then the dead and the forgotten ones are failed with a reason, the others left alone
    status = dict(Job.objects.values_list("pk", "status"))
    assert status == {
        dead: Status.FAILED,
        alive: Status.RUNNING,
        forgotten: Status.FAILED,
        waiting_broker: Status.QUEUED,
    }
    assert "worker stopped" in Job.objects.get(pk=dead).error
    assert "Retry" in Job.objects.get(pk=forgotten).error


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_export_then_retried_from_the_page(
    client, settings, tmp_path, users, world
):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process shares the test database only on PostgreSQL")
    # given the file a CSV export gives without any fault
    reference = job_run(job=export_job(users["hq"], world["strategy"], format="csv"))
    with reference.result_file.open("rb") as handle:
        expected = handle.read()
    broker = tmp_path / "broker"
    options = file_broker_options(broker)
    env = process_env(
        DATABASE_URL=database_url(tmp_path),
        CELERY_BROKER_URL="filesystem://",
        CELERY_BROKER_DIR=str(broker),
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    with celery_on_broker(settings, "filesystem://", options):
        client.force_login(users["hq"])
        response = client.post(
            reverse("reporting:export_create"),
            {"preset": "", "period_from": "2019-Q1", "period_to": "2023-Q4", "format": "csv"},
        )
        job = Job.objects.exclude(pk=reference.pk).get()
        # when a worker takes it and is killed (SIGKILL) in the middle
        slow = env | {"DJANGO_SETTINGS_MODULE": "tests.infra.settings_slow_worker"}
        with celery_worker(slow, queues="long") as worker:
            deadline = time.monotonic() + 60
            while Job.objects.get(pk=job.pk).status != Status.RUNNING:
                assert time.monotonic() < deadline, "the worker did not start the job"
                time.sleep(0.2)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        assert Job.objects.get(pk=job.pk).status == Status.RUNNING  # nobody will finish it
        # then the sweeper (beat, every minute) marks it failed once it shows no progress
        settings.JOB_STALE_SECONDS = 0
        assert jobs_sweep_stale(now=timezone.now() + dt.timedelta(seconds=1)) == 1
        page = client.get(response.url)
        assert page.status_code == 200
        assert reverse("reporting:export_retry", args=[job.pk]) in page.content.decode()
        # when HQ presses Retry and a worker runs it
        retried = client.post(reverse("reporting:export_retry", args=[job.pk]))
        assert retried.status_code == 302
        with celery_worker(env, queues="long"):
            deadline = time.monotonic() + 90
            while Job.objects.get(pk=job.pk).status != Status.DONE:
                assert Job.objects.get(pk=job.pk).status != Status.FAILED
                assert time.monotonic() < deadline, "the retried export did not finish"
                time.sleep(0.3)
    # then the file downloads and has the same numbers as the one made without a fault
    download = client.get(reverse("reporting:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == expected
