"""Switch the test process's Celery app to a real broker (not eager) for one test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from celery.signals import task_postrun
from django.db import connection
from kombu import pools as kombu_pools

from strategy_tracker.celery import app as celery_app

KEYS = ("broker_url", "result_backend", "task_always_eager", "broker_transport_options")


def celery_pools_reset() -> None:
    """Forget the app's broker connection pools and result backend; the next use opens the
    configured broker's. (Closing them is not enough: kombu keeps closed pools in a global
    registry.)"""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None  # it holds the old pool
    kombu_pools.reset()  # kombu's global connection and producer pools
    vars(celery_app._local).pop("backend", None)  # the result backend, built once per thread


def file_broker_options(folder: Path) -> dict:
    """The transport options of kombu's filesystem broker in `folder` (as `make run` uses)."""
    for name in ("queue", "processed", "control"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }


@contextmanager
def celery_on_broker(settings, url: str, options: dict | None = None) -> Iterator[object]:
    saved = {key: celery_app.conf.get(key) for key in KEYS}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(
        broker_url=url,
        result_backend=None,
        task_always_eager=False,
        broker_transport_options=options or {},
    )
    celery_pools_reset()

    def close_worker_connection(**kwargs):
        connection.close()  # the worker thread's own connection, so the test db can be dropped

    task_postrun.connect(close_worker_connection, weak=False)
    try:
        yield celery_app
    finally:
        task_postrun.disconnect(close_worker_connection)
        celery_app.conf.update(saved)
        celery_pools_reset()
