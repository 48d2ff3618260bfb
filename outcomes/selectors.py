"""Reads of the strategy and its framework."""

from __future__ import annotations

from outcomes.models import Strategy


def strategy_current() -> Strategy | None:
    """Return the strategy the tracker works on: the current one (the latest if several are
    marked current), else the latest of any; None before a strategy is loaded."""
    return (
        Strategy.objects.filter(is_current=True).order_by("-start_year", "code").first()
        or Strategy.objects.order_by("-start_year", "code").first()
    )
