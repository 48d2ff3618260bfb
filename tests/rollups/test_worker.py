"""A real Celery worker on the real Redis broker recomputes a roll-up after an approval made
through the web. Needs REDIS_URL (and a database the worker thread can share: the test is
transactional, so what the web request commits is what the worker reads)."""

import os
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import OperationalError, connection
from django.urls import reverse

from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_save, update_submit
from rollups.models import Rollup
from strategy_tracker.celery import app as celery_app
from tests.infra.broker import celery_pools_reset

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_worker_app(settings):
    """Celery switched to the Redis broker, not eager, for this test only."""
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI is set but REDIS_URL is not: the real-worker test must run in CI.")
        pytest.skip("REDIS_URL is not set: no Redis broker to start a real worker against.")
    saved = {
        key: celery_app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    celery_pools_reset()  # drop any connection made to the old broker
    celery_app.control.purge()  # nothing left over from an earlier run

    def close_worker_connection(**kwargs):
        # The worker thread has its own database connection; close it so the test database
        # can be flushed and dropped afterwards.
        connection.close()

    task_postrun.connect(close_worker_connection, weak=False)
    yield celery_app
    task_postrun.disconnect(close_worker_connection)
    celery_app.conf.update(saved)
    celery_pools_reset()


def _wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite's shared in-memory test database: the worker is writing that table
        time.sleep(0.1)
    return False


def test_rollup_worker_recomputes_after_a_web_approval(
    redis_worker_app, client, users, number_indicator, kenya, period
):
    # given Kenya's submitted update of 40 people for 2023-Q4
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

    def global_row():
        return Rollup.objects.filter(
            indicator=number_indicator, period=period, span="period", scope="global"
        ).first()

    assert not redis_worker_app.conf.task_always_eager  # tasks really go through Redis
    with start_worker(redis_worker_app, pool="solo", perform_ping_check=False):
        # the submission's recomputation shows the figure as provisional only
        assert _wait_for(lambda: (row := global_row()) and row.provisional_actual == 40)
        assert global_row().actual is None
        # when the Nairobi reviewer approves it in the review queue (the web page)
        client.force_login(users["reviewer"])
        response = client.post(
            reverse("reporting:review_queue"),
            {"update": [f"{update.pk}:{IndicatorUpdate.objects.get(pk=update.pk).version}"]},
        )
        assert response.status_code == 302
        assert IndicatorUpdate.objects.get(pk=update.pk).status == "approved"
        # then the worker, fed through Redis after the commit, recomputes the roll-up
        assert _wait_for(lambda: (row := global_row()) and row.actual == 40), (
            "The worker did not recompute the roll-up within 10 s of the approval."
        )
    row = global_row()
    assert (row.updates_count, row.offices_count, row.status) == (1, 1, "off_track")
