"""What deliverables does when the apps below it signal (connected in DeliverablesConfig)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from deliverables.services import deliverables_load
from outcomes.signals import strategy_loaded


@receiver(strategy_loaded, dispatch_uid="deliverables.strategy_loaded")
def deliverables_follow_strategy(*, strategy: Any, data: dict, report: Any, **_kw: Any) -> None:
    """Load each outcome's deliverables from the strategy's data file."""
    deliverables_load(strategy=strategy, outcomes=data["outcomes"], report=report)
