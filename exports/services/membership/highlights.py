"""The membership update's highlights: the latest approved narratives of each result."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from exports.services.membership.data import Highlight
from outcomes.models import Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod

HIGHLIGHTS_PER_RESULT = 3
HIGHLIGHT_MAX_CHARS = 600


def highlights_by_result(
    *, strategy: Strategy, in_range: list[ReportingPeriod]
) -> dict[tuple[str, int], list[Highlight]]:
    """Return the latest approved non-empty narratives, a few per outcome and per output, by
    ("outcome", pk) or ("output", pk)."""
    ranked = (
        IndicatorUpdate.objects.filter(
            indicator__strategy=strategy,
            status=IndicatorUpdate.Status.APPROVED,
            period__in=[p.pk for p in in_range],
        )
        .exclude(narrative="")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("indicator__deliverable__outcome_id"), F("indicator__output_id")],
                order_by=[
                    F("period__start_date").desc(),
                    F("reviewed_at").desc(nulls_last=True),
                    F("pk").desc(),
                ],
            )
        )
        .filter(rank__lte=HIGHLIGHTS_PER_RESULT)
        .select_related("indicator__deliverable__outcome", "indicator__output", "office", "period")
        .order_by("-period__start_date", "pk")
    )
    result: dict[tuple[str, int], list[Highlight]] = defaultdict(list)
    for update in ranked:
        indicator = update.indicator
        if indicator.deliverable_id:
            key = ("outcome", indicator.deliverable.outcome_id)
            code = indicator.deliverable.full_code
        else:
            key, code = ("output", indicator.output_id), f"O.{indicator.output.code}"
        text = " ".join(update.narrative.split())
        if len(text) > HIGHLIGHT_MAX_CHARS:
            text = text[: HIGHLIGHT_MAX_CHARS - 1].rstrip() + "…"
        result[key].append(
            Highlight(
                result_code=code,
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                office=update.office.name,
                period=update.period.code,
                text=text,
            )
        )
    return result
