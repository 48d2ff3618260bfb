"""Redis down when an update is approved: the approval is saved, the reviewer is told nothing
is lost, and the roll-up catches up once Redis is back (beat's outbox sweep, every
OUTBOX_SWEEP_SECONDS = 30 s, then the worker). A real redis-server of the test's own, stopped
and started again by the test."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError
from django.urls import reverse

from jobs.models import Job, OutboxTask
from jobs.outbox import outbox_sweep
from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_save, update_submit
from rollups.models import Rollup
from tests.infra.broker import celery_on_broker
from tests.infra.processes import redis_server

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite's shared in-memory test database while the worker writes
        time.sleep(0.1)
    return False


def test_approval_with_redis_down_is_saved_and_caught_up_when_redis_returns(
    client, settings, users, number_indicator, kenya, period
):
    # given Kenya's submitted update of 40 people, with Celery on a Redis of the test's own
    update = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(
            value=Decimal("40"), disaggregations={"sex": {"female": 20, "male": 20}}
        ),
    )
    update_submit(user=users["field"], update=update)
    with redis_server() as (url, redis_stop, redis_start), celery_on_broker(settings, url) as app:
        # when Redis stops and the Nairobi reviewer approves the update in the review queue
        redis_stop()
        client.force_login(users["reviewer"])
        response = client.post(
            reverse("reporting:review_queue"),
            {"update": [f"{update.pk}:{IndicatorUpdate.objects.get(pk=update.pk).version}"]},
        )
        # then the approval is saved and the reviewer is told nothing is lost
        assert response.status_code == 302
        assert IndicatorUpdate.objects.get(pk=update.pk).status == "approved"
        assert response["X-Background-Deferred"]
        page = client.get(response.url)
        assert "nothing is lost" in page.content.decode()
        # and the recomputation (and the e-mail) wait in the outbox
        kept_rows = list(OutboxTask.objects.all())
        kept = {row.task for row in kept_rows}
        assert "rollups.tasks.rollup_recompute_task" in kept

        # when Redis is back and beat's sweep runs, with a worker on Redis
        redis_start()
        assert outbox_sweep() == len(kept_rows)
        assert not OutboxTask.objects.exists()
        with start_worker(app, pool="solo", perform_ping_check=False):
            # then the global roll-up counts the approved figure
            assert _wait_for(
                lambda: (
                    Rollup.objects.filter(
                        indicator=number_indicator, period=period, span="period", scope="global"
                    )
                    .values_list("actual", flat=True)
                    .first()
                    == 40
                )
            )


def test_export_with_redis_down_stays_queued_and_runs_when_redis_returns(
    client, settings, world, users
):
    with redis_server() as (url, redis_stop, redis_start), celery_on_broker(settings, url) as app:
        # given Redis down
        redis_stop()
        client.force_login(users["hq"])
        # when HQ asks for a CSV membership update
        response = client.post(
            reverse("reporting:export_create"),
            {"preset": "", "period_from": "2023-Q1", "period_to": "2023-Q4", "format": "csv"},
        )
        # then it is accepted (no 500), queued, and kept in the outbox
        assert response.status_code == 302
        job = Job.objects.get()
        assert job.status == Job.Status.QUEUED
        assert OutboxTask.objects.filter(task="jobs.tasks.job_run_task", args=[job.pk]).exists()
        # when Redis returns, the sweep sends it and a worker makes the file
        redis_start()
        assert outbox_sweep() == 1
        with start_worker(app, pool="solo", perform_ping_check=False, queues=["long"]):
            assert _wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE)
