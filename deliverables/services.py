"""Writes to deliverables, indicators, their targets and assignments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.loading import row_upsert
from deliverables.models import Deliverable
from outcomes.models import Outcome

if TYPE_CHECKING:
    from core.loading import LoadReport
    from outcomes.models import Strategy


def deliverables_load(*, strategy: Strategy, outcomes: list[dict], report: LoadReport) -> None:
    """Create or bring up to date each outcome's deliverables (the strategy's own wording)."""
    by_code = {o.code: o for o in Outcome.objects.filter(strategy=strategy)}
    for item in outcomes:
        outcome = by_code[item["code"]]
        for order, d in enumerate(item["deliverables"], start=1):
            row_upsert(
                Deliverable,
                report,
                {"outcome": outcome, "code": d["code"]},
                {"title": d["title"], "short_title": d.get("short_title", ""), "order": order},
            )
