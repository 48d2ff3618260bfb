"""What reporting does after its own signals (connected in ReportingConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from jobs.outbox import task_send_on_commit
from reporting.signals import update_workflow_step, updates_workflow_digest
from reporting.tasks import notification_digest_task, notification_send_task


@receiver(update_workflow_step, dispatch_uid="reporting.notify_workflow_step")
def notify_workflow_step(*, update: Any, step: str, notify: bool = True, **_kw: Any) -> None:
    """E-mail the people a workflow step concerns, once its transaction commits."""
    if not notify:
        return
    update_id = update.pk
    task_send_on_commit(notification_send_task, step, update_id)


@receiver(updates_workflow_digest, dispatch_uid="reporting.notify_workflow_digest")
def notify_workflow_digest(*, updates: list, step: str, **_kw: Any) -> None:
    """E-mail each person a bulk action concerns once, listing its updates, after commit."""
    ids = [update.pk for update in updates]
    if ids:
        task_send_on_commit(notification_digest_task, step, ids)
