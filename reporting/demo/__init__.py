"""Demo reporting (seeded by demo.services.demo_seed after the indicators): the strategy's 20
quarters in their states, and the offices' updates in every status with their workflow history.

Updates are written in bulk with a history synthesised from their workflow (going through the
workflow services for tens of thousands of updates would take minutes), but every value passes
reporting.services.validation first, as the entry form, the API and the Excel upload do.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import QuerySet

from core.demo import DemoRandom, four_places
from reporting.demo.story import (
    CLOSED_PERIODS,
    Step,
    narrative,
    period_state,
    status_draw,
    workflow,
)
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.periods import period_set_state, periods_ensure
from reporting.services.validation import UpdateValues, submission_check, values_normalize

if TYPE_CHECKING:
    from deliverables.demo import DemoIndicators
    from deliverables.demo.figures import Pair, Quarter
    from deliverables.models import Indicator
    from offices.demo import DemoOffices
    from outcomes.models import Strategy

Status = IndicatorUpdate.Status
BATCH = 1000
# Statuses whose values once passed the submission rules.
REPORTED = (Status.SUBMITTED, Status.APPROVED, Status.RETURNED)


@dataclass
class DemoReporting:
    """What the reporting demo made: counts by kind, and updates by status."""

    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)


def demo_reporting_clear(*, strategy: Strategy) -> None:
    """Delete the strategy's updates and their history (the indicators stay)."""
    _updates_delete(IndicatorUpdate.objects.filter(indicator__strategy=strategy))
    IndicatorUpdate.history.filter(indicator__strategy=strategy).delete()


def _updates_delete(updates: QuerySet[IndicatorUpdate]) -> None:
    """Delete updates in one statement, rows that point at them first.

    The ORM's delete would write a history record for each of tens of thousands of updates
    (django-simple-history listens to every deletion), only for them to be deleted next.
    """
    for relation in IndicatorUpdate._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": updates}
        )
        if relation.on_delete is models.SET_NULL:
            related.update(**{relation.field.name: None})
        else:
            related.delete()
    updates._raw_delete(updates.db)


def demo_reporting_seed(
    *, rand: DemoRandom, strategy: Strategy, offices: DemoOffices, indicators: DemoIndicators
) -> DemoReporting:
    """Create the periods in their demo states and the updates of every office and indicator."""
    report = DemoReporting()
    periods = periods_ensure(strategy=strategy)
    for period in periods:
        state = period_state((period.year, period.quarter))
        if period.state != state:
            period_set_state(user=offices.hq_user, period=period, state=state)
    report.counts["reporting periods"] = len(periods)
    _updates(rand, offices, indicators, {(p.year, p.quarter): p for p in periods}, report)
    return report


def _statuses(
    rand: DemoRandom, offices: DemoOffices, indicators: DemoIndicators
) -> dict[tuple[int, int], str | None]:
    """Every (pair, quarter)'s status, with the guarantees the demo promises."""
    pairs, quarters = indicators.pairs, indicators.quarters
    statuses: dict[tuple[int, int], str | None] = {}
    for p_index, pair in enumerate(pairs):
        rng = rand.part("status", pair.office.code, pair.spec.code)
        for q_index, (year, quarter) in enumerate(quarters):
            statuses[p_index, q_index] = status_draw(rng, year, quarter)
    # The anchor office's open period: some indicators not started, some drafts, the rest
    # submitted.
    last = len(quarters) - 1
    anchor = [i for i, p in enumerate(pairs) if p.office == offices.anchor]
    rand.part("kenya-open").shuffle(anchor)
    not_started, drafts = max(2, len(anchor) // 3), max(2, len(anchor) // 2)
    for rank, p_index in enumerate(anchor):
        if rank < not_started:
            statuses[p_index, last] = None
        elif rank < not_started + drafts:
            statuses[p_index, last] = Status.DRAFT
        else:
            statuses[p_index, last] = Status.SUBMITTED
    # Every status appears in the last closed quarter, however small the demo.
    closed = quarters.index(max(CLOSED_PERIODS))
    present = {statuses[p, closed] for p in range(len(pairs))}
    others = [p for p in range(len(pairs)) if pairs[p].office != offices.anchor]
    for status in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED):
        if status not in present and others:
            statuses[others.pop(0), closed] = status
    return statuses


def _values(pair: Pair, q_index: int, status: str, rng: random.Random) -> UpdateValues:
    """The values an office entered for one quarter (drafts may still be incomplete)."""
    values = dict(pair.values[q_index])
    if status == Status.DRAFT and rng.random() < 0.2:
        values = {}  # opened, nothing entered yet
    elif status == Status.DRAFT and rng.random() < 0.3:
        values.pop("disaggregations", None)  # breakdown still to come
    return UpdateValues(
        value=four_places(values.get("value")),
        numerator=four_places(values.get("numerator")),
        denominator=four_places(values.get("denominator")),
        text=values.get("text", ""),
        disaggregations=values.get("disaggregations", {}),
    )


def _checked(
    pair: Pair,
    indicator: Indicator,
    key: Quarter,
    status: str,
    values: UpdateValues,
    previous: Decimal | None,
    rng: random.Random,
) -> UpdateValues:
    """Return the values as validation cleans them, with their narrative; raise ValueError when
    the demo would write what the entry rules refuse."""
    cleaned, errors = values_normalize(indicator=indicator, values=values)
    cleaned.narrative = narrative(pair, key, cleaned.value, previous, rng)
    if not errors and status in REPORTED:
        errors = submission_check(indicator=indicator, values=cleaned, previous_value=previous)
    if errors:
        raise ValueError(f"Demo update {indicator.code} {pair.office.code} {key}: {errors}")
    return cleaned


def _updates(
    rand: DemoRandom,
    offices: DemoOffices,
    indicators: DemoIndicators,
    periods: dict[tuple[int, int], ReportingPeriod],
    report: DemoReporting,
) -> None:
    statuses = _statuses(rand, offices, indicators)
    updates: list[IndicatorUpdate] = []
    steps_of: list[list[Step]] = []
    for p_index, pair in enumerate(indicators.pairs):
        rng = rand.part("update", pair.office.code, pair.spec.code)
        indicator = indicators.indicators[pair.spec.code]
        previous: Decimal | None = None  # the last submitted or approved value
        for q_index, key in enumerate(indicators.quarters):
            status = statuses[p_index, q_index]
            if status is None:
                continue
            period = periods[key]
            values = _values(pair, q_index, status, rng)
            values = _checked(pair, indicator, key, status, values, previous, rng)
            update = IndicatorUpdate(
                indicator=indicator,
                office=pair.office,
                period=period,
                measure=indicator.measure,
                value=values.value,
                numerator=values.numerator,
                denominator=values.denominator,
                text=values.text,
                disaggregations=values.disaggregations,
                narrative=values.narrative,
            )
            steps = workflow(
                period,
                status,
                field_user=offices.focal_point[pair.office.pk],
                reviewer=offices.reviewer_for(pair.office),
                rng=rng,
            )
            for name, value in steps[-1][0].items():
                setattr(update, name, value)
            update.version = len(steps)
            update.updated_by_id = steps[-1][2].pk
            updates.append(update)
            steps_of.append(steps)
            if status in (Status.SUBMITTED, Status.APPROVED) and update.value is not None:
                previous = update.value
    created = IndicatorUpdate.objects.bulk_create(updates, batch_size=BATCH)
    history = _history(created, steps_of)
    counts = Counter(u.status for u in created)
    report.statuses = {s.value: counts.get(s.value, 0) for s in Status}
    total = len(indicators.pairs) * len(indicators.quarters)
    report.statuses["not started"] = total - len(created)
    report.counts["indicator updates"] = len(created)
    report.counts["update history records"] = history


def _history(created: list[IndicatorUpdate], steps_of: list[list[Step]]) -> int:
    """Write each update's history, one record per workflow step; return how many."""
    snapshots = []
    for update, steps in zip(created, steps_of, strict=True):
        for version, (state, when, user, reason) in enumerate(steps, start=1):
            snapshot = copy.copy(update)
            for name, value in state.items():
                setattr(snapshot, name, value)
            snapshot.version = version
            snapshot.updated_by_id = user.pk
            snapshot.updated_at = when
            snapshot._history_date = when
            snapshot._history_user = user
            snapshot._change_reason = reason[:100]  # the history's reason holds 100 characters
            snapshots.append(snapshot)
    IndicatorUpdate.history.bulk_history_create(snapshots, batch_size=BATCH)
    return len(snapshots)
