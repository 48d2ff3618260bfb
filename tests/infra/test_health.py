"""/healthz (liveness) and /readyz (database, migrations, Redis, a worker answering)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker

from tests.infra.broker import celery_on_broker
from tests.infra.processes import redis_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_green_when_tasks_run_in_process(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "redis", "worker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.worker
def test_readyz_needs_redis_and_a_worker_answering(client, settings):
    with redis_server() as (url, redis_stop, _start), celery_on_broker(settings, url) as app:
        settings.REDIS_URL = url
        # given Redis up but no worker: not ready, the worker check says why
        waiting = client.get("/readyz")
        assert waiting.status_code == 503
        assert waiting.json()["checks"]["worker"]["ok"] is False
        assert waiting.json()["checks"]["redis"]["ok"] is True
        # when a worker runs: ready, naming it
        with start_worker(app, pool="solo", perform_ping_check=False):
            ready = client.get("/readyz")
            assert ready.status_code == 200, ready.json()
            assert ready.json()["checks"]["worker"]["detail"]
        # when Redis stops: not ready, and no URL in the answer
        redis_stop()
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.json()["checks"]["redis"]["ok"] is False
        assert url not in down.content.decode()
