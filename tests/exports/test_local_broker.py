"""Without Redis, `make run` still runs long work outside the request: Celery on kombu's
filesystem broker (no server), consumed by a worker beside the web server."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError
from django.urls import reverse

from jobs.models import Job

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite's shared in-memory test database while the worker writes
        time.sleep(0.1)
    return False


def test_export_without_redis_is_queued_by_the_request_and_made_by_the_worker(
    client, world, users, settings, tmp_path
):
    from tests.infra.broker import celery_on_broker, file_broker_options

    with celery_on_broker(settings, "filesystem://", file_broker_options(tmp_path)) as app:
        client.force_login(users["hq"])
        # when HQ asks for a PDF membership update
        response = client.post(
            reverse("reporting:export_create"),
            {"preset": "", "period_from": "2023-Q1", "period_to": "2023-Q4", "format": "pdf"},
        )
        # then the request returns at once to the progress page, the job waiting for a worker
        assert response.status_code == 302
        job = Job.objects.get()
        assert job.status == Job.Status.QUEUED
        assert list((tmp_path / "queue").iterdir()), "the task is in the file broker"
        page = client.get(response.url)
        assert b"progress" in page.content
        # and the worker on the same file broker makes the file
        with start_worker(app, pool="solo", perform_ping_check=False, queues=["long", "quick"]):
            assert _wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE)
    job.refresh_from_db()
    assert job.result_file.name.endswith(".pdf")
