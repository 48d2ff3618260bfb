"""Sending Celery tasks so that a broker outage loses nothing.

`task_send` hands a task to the broker; when the broker cannot be reached (Redis down) it keeps
the task as an `OutboxTask` row instead and notes it for the current request, so the person is
told that their change is saved and the dashboards will catch up. Celery beat runs
`outbox_sweep` every OUTBOX_SWEEP_SECONDS: once the broker is back, the kept tasks are sent
(oldest first). Every task sent this way is idempotent (a recomputation, a job run by id), so
sending one twice is harmless.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from celery import Task
from celery import current_app as celery_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from jobs.models import OutboxTask

logger = logging.getLogger(__name__)

# How many tasks the current request could not send (read by DeferredWorkMiddleware).
deferred_var: ContextVar[list[str] | None] = ContextVar("deferred_tasks", default=None)

# A broker that is down answers within this (kombu retries the publish this many times).
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
SWEEP_BATCH = 500

try:  # what the Redis client raises when kombu does not wrap it
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    BROKER_ERRORS: tuple[type[BaseException], ...] = (
        BrokerError,
        RedisConnectionError,
        RedisTimeoutError,
        ConnectionError,
        TimeoutError,
    )
except ImportError:  # pragma: no cover - redis is in requirements.txt
    BROKER_ERRORS = (BrokerError, ConnectionError, TimeoutError)


def _publish(task_name: str, args: list[Any]) -> None:
    celery_app.tasks[task_name].apply_async(args=args, retry_policy=PUBLISH_RETRY_POLICY)


def task_send(task: Task, *args: Any) -> bool:
    """Send the task now; if the broker is unreachable keep it for the sweep. Return whether it
    was sent. Call it outside a transaction (in `transaction.on_commit`)."""
    if task.app.conf.task_always_eager:
        task.delay(*args)  # runs in-process: no broker to miss
        return True
    try:
        _publish(task.name, list(args))
    except BROKER_ERRORS as error:
        OutboxTask.objects.create(task=task.name, args=list(args), last_error=str(error)[:300])
        logger.warning("Broker unreachable: %s%s kept in the outbox (%s)", task.name, args, error)
        deferred = deferred_var.get()
        if deferred is not None:
            deferred.append(task.name)
        return False
    return True


def task_send_on_commit(task: Task, *args: Any) -> None:
    """Send the task once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: task_send(task, *args))


def outbox_sweep() -> int:
    """Send the kept tasks, oldest first, until the broker fails again; return how many went."""
    sent = 0
    for row in OutboxTask.objects.order_by("pk")[:SWEEP_BATCH]:
        try:
            _publish(row.task, row.args)
        except BROKER_ERRORS as error:
            OutboxTask.objects.filter(pk=row.pk).update(
                attempts=row.attempts + 1, last_error=str(error)[:300]
            )
            break
        OutboxTask.objects.filter(pk=row.pk).delete()
        sent += 1
    if sent:
        logger.info("Outbox: %s kept task(s) sent to the broker", sent)
    return sent


def outbox_pending() -> int:
    return OutboxTask.objects.count()
