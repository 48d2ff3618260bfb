"""A slow membership update runner, for the worker that the stale-job test kills mid-job."""

import time

from exports.services.jobs import membership_update_run


def membership_update_slow(*, job, progress):
    progress(5, "Working slowly")
    time.sleep(120)  # the test kills the worker long before this ends
    return membership_update_run(job=job, progress=progress)
