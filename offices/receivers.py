"""What offices does when the apps below it signal (connected in OfficesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from offices.services import offices_load
from outcomes.signals import strategy_loaded


@receiver(strategy_loaded, dispatch_uid="offices.strategy_loaded")
def offices_follow_strategy(*, data: dict, report: Any, **_kwargs: Any) -> None:
    """Load the regions (each with its regional office) and headquarters the file lists."""
    offices_load(regions=data["regions"], headquarters=data["headquarters"], report=report)
