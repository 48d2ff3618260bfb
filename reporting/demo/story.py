"""How the demo's updates went: each one's status in its period, its workflow history and the
narratives offices write. Plain functions of a random generator, no database; the texts are in
reporting/data/demo_texts.json.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.demo import demo_data, working_time
from deliverables.demo.figures import COVID_DIP, Pair, Quarter
from deliverables.models import Indicator
from reporting.models import IndicatorUpdate, ReportingPeriod

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_texts.json"
Measure = Indicator.Measure
Status = IndicatorUpdate.Status

# The demo's "now": the last quarter of the strategy is open, the three before it closed,
# everything earlier locked.
OPEN_PERIOD = (2023, 4)
CLOSED_PERIODS = {(2023, 1), (2023, 2), (2023, 3)}
# Share of updates never started, by year, in the locked periods.
MISSING_BY_YEAR = {2019: 0.12, 2020: 0.09, 2021: 0.06, 2022: 0.04}

# One state of an update's workflow: its fields, when, by whom, and the history's reason.
Step = tuple[dict[str, Any], dt.datetime, Any, str]


@dataclass(frozen=True)
class DemoTexts:
    narratives: tuple[str, ...]  # context an office sometimes adds
    narrative_up: str  # explains a value far above the previous one
    narrative_down: str  # explains a value far below the previous one
    narrative_covid: str  # explains the COVID-19 dip
    return_comments: tuple[str, ...]  # why a reviewer returned an update


@functools.cache
def demo_texts() -> DemoTexts:
    """Return the demo's narratives and review comments, read once from the data file."""
    data = demo_data(DATA_FILE)
    return DemoTexts(
        narratives=tuple(data["narratives"]),
        narrative_up=data["narrative_up"],
        narrative_down=data["narrative_down"],
        narrative_covid=data["narrative_covid"],
        return_comments=tuple(data["return_comments"]),
    )


def period_state(key: Quarter) -> str:
    """Return the demo state of a period: locked up to 2022, 2023-Q1–Q3 closed, 2023-Q4 open."""
    if key == OPEN_PERIOD:
        return ReportingPeriod.State.OPEN
    if key in CLOSED_PERIODS:
        return ReportingPeriod.State.CLOSED
    return ReportingPeriod.State.LOCKED


def status_draw(rng: random.Random, year: int, quarter: int) -> str | None:
    """Draw an update's status for a period (None: not started)."""
    draw = rng.random()
    if (year, quarter) < min(CLOSED_PERIODS):
        return None if draw < MISSING_BY_YEAR.get(year, 0.04) else Status.APPROVED
    if (year, quarter) == OPEN_PERIOD:
        for status, below in [
            (None, 0.35),
            (Status.DRAFT, 0.77),
            (Status.SUBMITTED, 0.92),
            (Status.APPROVED, 0.97),
        ]:
            if draw < below:
                return status
        return Status.RETURNED
    if quarter < 3:
        return None if draw < 0.05 else Status.SUBMITTED if draw < 0.10 else Status.APPROVED
    for status, below in [(None, 0.08), (Status.SUBMITTED, 0.35), (Status.RETURNED, 0.47)]:
        if draw < below:
            return status
    return Status.APPROVED


def narrative(
    pair: Pair,
    key: Quarter,
    value: Decimal | None,
    previous: Decimal | None,
    rng: random.Random,
) -> str:
    """Explain a change the reviewers would ask about; otherwise sometimes add context."""
    texts = demo_texts()
    draw = rng.random()
    if value is None:
        return ""
    if pair.spec.covid_dip and key in COVID_DIP:
        return texts.narrative_covid
    if pair.spec.measure in (Measure.NUMBER, Measure.PERCENTAGE) and previous:
        if value > previous * 3:
            return texts.narrative_up
        if value < previous / 3:
            return texts.narrative_down
    return rng.choice(texts.narratives) if draw < 0.2 else ""


def workflow(
    period: ReportingPeriod, status: str, *, field_user: Any, reviewer: Any, rng: random.Random
) -> list[Step]:
    """Return the update's states, oldest first, each with when, who and why."""
    day = dt.timedelta(days=1)
    # Foreign keys by id: snapshots are shallow copies that share the related-object cache.
    state = {
        "status": Status.DRAFT,
        "submitted_at": None,
        "submitted_by_id": None,
        "reviewed_at": None,
        "reviewed_by_id": None,
        "review_comment": "",
    }
    created = working_time(period.end_date + day * rng.randint(1, 18), rng)
    steps = [(dict(state), created, field_user, "Created")]
    if status == Status.DRAFT:
        return steps
    late = rng.random() < 0.07
    submitted_on = period.deadline + (
        day * rng.randint(1, 20) if late else -day * rng.randint(0, 10)
    )
    submitted = max(working_time(submitted_on, rng), created + dt.timedelta(hours=2))
    state.update(status=Status.SUBMITTED, submitted_at=submitted, submitted_by_id=field_user.pk)
    steps.append((dict(state), submitted, field_user, "Submitted"))
    if status == Status.SUBMITTED:
        return steps
    reviewed = submitted + day * rng.randint(1, 10)
    returned_first = status == Status.RETURNED or rng.random() < 0.08
    if returned_first:
        comment = rng.choice(demo_texts().return_comments)
        state.update(
            status=Status.RETURNED,
            reviewed_at=reviewed,
            reviewed_by_id=reviewer.pk,
            review_comment=comment,
        )
        steps.append((dict(state), reviewed, reviewer, f"Returned: {comment}"))
        if status == Status.RETURNED:
            return steps
        resubmitted = reviewed + day * rng.randint(1, 6)
        state.update(status=Status.SUBMITTED, submitted_at=resubmitted)
        steps.append((dict(state), resubmitted, field_user, "Submitted"))
        reviewed = resubmitted + day * rng.randint(1, 7)
    state.update(
        status=Status.APPROVED,
        reviewed_at=reviewed,
        reviewed_by_id=reviewer.pk,
        review_comment="",
    )
    steps.append((dict(state), reviewed, reviewer, "Approved"))
    return steps
