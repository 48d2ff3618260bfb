"""What makes roll-ups recompute: the signals of the apps below (connected in RollupsConfig)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from deliverables.signals import indicator_figures_changed
from jobs.outbox import task_send, task_send_on_commit
from reporting.signals import update_workflow_step
from rollups.tasks import rollup_recompute_task


@receiver(update_workflow_step, dispatch_uid="rollups.update_workflow_step")
def rollups_follow_update(*, update: Any, **_kwargs: Any) -> None:
    """Recompute the roll-ups a workflow step touched, once its transaction commits."""
    ids = (update.indicator_id, update.period_id, update.office_id)
    task_send_on_commit(rollup_recompute_task, *ids)


@receiver(indicator_figures_changed, dispatch_uid="rollups.indicator_figures_changed")
def rollups_follow_indicator(*, indicator_id: int, **_kwargs: Any) -> None:
    """Recompute every roll-up of an indicator whose targets, baseline, measure or assignments
    changed (they can move every window of every bucket), once the transaction commits.

    Several changes in one transaction (an admin save, a bulk assignment) recompute once: the
    callback is looked for among those the transaction holds, so a rollback forgets it too."""
    connection = transaction.get_connection()
    if any(
        getattr(callback, "rollup_indicator_id", None) == indicator_id and not callback.done
        for _sids, callback, _robust in connection.run_on_commit
    ):
        return

    def recompute() -> None:
        recompute.done = True  # type: ignore[attr-defined]
        task_send(rollup_recompute_task, indicator_id)

    recompute.rollup_indicator_id = indicator_id  # type: ignore[attr-defined]
    recompute.done = False  # type: ignore[attr-defined]
    transaction.on_commit(recompute)
