"""Reads of reporting periods for the page that manages them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reporting.models import ReportingPeriod


@dataclass
class PeriodRow:
    period: ReportingPeriod
    history: list[Any]  # historical records, newest first, with a change reason


def period_rows() -> list[PeriodRow]:
    """Return every period, newest first, each with the recorded changes of its state."""
    periods = list(ReportingPeriod.objects.select_related("strategy").order_by("-start_date"))
    records: dict[int, list[Any]] = {}
    for record in (
        ReportingPeriod.history.filter(id__in=[p.pk for p in periods])
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")
    ):
        records.setdefault(record.id, []).append(record)
    return [PeriodRow(period=p, history=records.get(p.pk, [])) for p in periods]
