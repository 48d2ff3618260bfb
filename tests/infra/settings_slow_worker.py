"""Settings of the worker the stale-job test kills: the test settings, not eager (it is a real
worker on the broker of CELERY_BROKER_URL), with a membership update runner that takes its
time."""

from strategy_tracker.settings.test import *  # noqa: F403
from strategy_tracker.settings.test import CELERY_BROKER_URL, JOB_RUNNERS

CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
JOB_RUNNERS = {**JOB_RUNNERS, "membership_update": "tests.infra.runners.membership_update_slow"}
