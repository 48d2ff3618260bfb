"""What makes roll-ups recompute: the signals of the apps below (connected in RollupsConfig)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from reporting.signals import update_workflow_step
from rollups.tasks import rollup_recompute_task


@receiver(update_workflow_step, dispatch_uid="rollups.update_workflow_step")
def rollups_follow_update(*, update: Any, **_kwargs: Any) -> None:
    """Recompute the roll-ups a workflow step touched, once its transaction commits."""
    ids = (update.indicator_id, update.period_id, update.office_id)
    transaction.on_commit(lambda: rollup_recompute_task.delay(*ids))
