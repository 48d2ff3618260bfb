"""The project's Celery app on the bench's queues, for the workers the bench starts
(`celery -A bench.celery_app worker`): what they send goes to the bench's queues too."""

import os

from bench.processes import queue_plan_apply
from strategy_tracker.celery import app

queue_plan_apply(app, os.environ["BENCH_QUEUE_PREFIX"])

__all__ = ["app"]
