"""The demo's figures, statuses and workflow: plain functions of a random generator, no
database. `demo.seed.seed` gives each office/indicator pair a generator of its own, so what
one pair draws never shifts another's figures.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from deliverables.models import Indicator
from demo.seed.catalogue import (
    CITIES,
    NARRATIVE_COVID,
    NARRATIVE_DOWN,
    NARRATIVE_UP,
    NARRATIVES,
    RETURN_COMMENTS,
    IndicatorSpec,
)
from offices.models import Office
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.validation import percentage_of

Measure = Indicator.Measure
Status = IndicatorUpdate.Status

# The demo's "now": the last quarter of the strategy is open, the three before it closed,
# everything earlier locked.
OPEN_PERIOD = (2023, 4)
CLOSED_PERIODS = {(2023, 1), (2023, 2), (2023, 3)}
SEASON = {1: 0.9, 2: 1.0, 3: 1.05, 4: 1.05}
COVID_DIP = {(2020, 2): 0.35, (2020, 3): 0.6, (2020, 4): 0.85}
# Share of updates never started, by year, in the locked periods.
MISSING_BY_YEAR = {2019: 0.12, 2020: 0.09, 2021: 0.06, 2022: 0.04}

Quarter = tuple[int, int]
# One state of an update's workflow: its fields, when, by whom, and the history's reason.
Step = tuple[dict[str, Any], dt.datetime, Any, str]


@dataclass
class Pair:
    """One office reporting on one indicator."""

    office: Office
    spec: IndicatorSpec
    size: float
    values: list[dict] = field(default_factory=list)  # one per quarter, in order
    start: float = 0  # number levels: the office's level at the baseline


def at(day: dt.date, rng: random.Random) -> dt.datetime:
    """Return a time during the working day of `day`, in UTC."""
    return dt.datetime(
        day.year, day.month, day.day, 7 + rng.randrange(10), rng.randrange(60), tzinfo=dt.UTC
    )


def split(total: int, weights: list[float]) -> list[int]:
    """Split a whole number into parts proportional to the weights that add up exactly."""
    scale = sum(weights)
    if total <= 0 or scale <= 0:
        return [0] * len(weights)
    raw = [total * w / scale for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def poisson(rng: random.Random, mean: float) -> int:
    """Draw a small count (Knuth's method; the means here are below 20)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def nice(value: float) -> int:
    """Round a target the way people write them (two significant figures above 100)."""
    if value < 100:
        return round(value)
    magnitude = 10 ** (math.floor(math.log10(value)) - 1)
    return round(value / magnitude) * magnitude


def decimal(value: float | int | Decimal | None) -> Decimal | None:
    """Return a figure as a Decimal with at most four places (the fields' scale), None as None."""
    return None if value is None else Decimal(str(round(value, 4)))


def series(pair: Pair, quarters: list[Quarter], rng: random.Random) -> None:
    """Fill the pair's figures for every quarter, whether or not they will be reported."""
    generate = {
        Measure.NUMBER: _series_number,
        Measure.PERCENTAGE: _series_percentage,
        Measure.YES_NO: _series_yes_no,
        Measure.ORDINAL: _series_ordinal,
        Measure.QUALITATIVE: _series_qualitative,
    }[pair.spec.measure]
    generate(pair, quarters, rng)


def _series_number(pair: Pair, quarters: list[Quarter], rng: random.Random) -> None:
    spec = pair.spec
    performance = math.exp(rng.gauss(-0.04, 0.18))
    weights = _weights(spec, rng)
    if not spec.cumulative:
        level = max(0, round(spec.base * pair.size + rng.gauss(0, 0.5)))
        pair.start = level
    for year, quarter in quarters:
        if spec.cumulative:
            expected = spec.base * pair.size * spec.goal ** (year - quarters[0][0])
            expected *= SEASON[quarter]
            if spec.covid_dip:
                expected *= COVID_DIP.get((year, quarter), 1)
            amount = expected * performance
            if amount < 20:
                value = poisson(rng, amount)
            else:
                value = round(amount * math.exp(rng.gauss(0, 0.15)))
                if value >= 10000:
                    value = round(value, -2)
        else:
            if rng.random() < spec.goal * performance:
                level += 1
            value = level
        pair.values.append({"value": value, "disaggregations": _disaggregate(value, weights, rng)})


def _series_percentage(pair: Pair, quarters: list[Quarter], rng: random.Random) -> None:
    spec = pair.spec
    spread = max(abs(spec.goal - spec.base) * 0.4, spec.base * 0.08)
    start = min(95.0, max(0.5, rng.gauss(spec.base, spread)))
    end = start + (spec.goal - spec.base) * rng.uniform(0.5, 1.2)
    weights = _weights(spec, rng)
    for index, _quarter in enumerate(quarters):
        share = start + (end - start) * (index + 1) / len(quarters)
        share += rng.gauss(0, spread / 4)
        share = min(99.5, max(0.5, share))
        denominator = max(3, round(spec.sample * pair.size * math.exp(rng.gauss(0, 0.2))))
        if denominator >= 10000:
            denominator = round(denominator, -2)
        numerator = min(denominator, round(denominator * share / 100))
        pair.values.append(
            {
                "numerator": numerator,
                "denominator": denominator,
                "value": percentage_of(Decimal(numerator), Decimal(denominator)),
                "disaggregations": _disaggregate(numerator, weights, rng),
            }
        )


def _series_yes_no(pair: Pair, quarters: list[Quarter], rng: random.Random) -> None:
    spec = pair.spec
    if rng.random() < spec.base:
        turns_yes = -1
    elif rng.random() < (spec.goal - spec.base) / (1 - spec.base) * 1.1:
        turns_yes = rng.randrange(len(quarters))
    else:
        turns_yes = len(quarters)
    for index, _quarter in enumerate(quarters):
        pair.values.append({"value": 1 if index >= turns_yes else 0})


def _series_ordinal(pair: Pair, quarters: list[Quarter], rng: random.Random) -> None:
    top = len(pair.spec.ordinal_levels)
    level = min(top - 1, max(1, round(rng.gauss(pair.spec.base, 0.8))))
    for _quarter in quarters:
        if rng.random() < 0.09:
            level = min(top, level + 1)
        pair.values.append({"value": level})


def _series_qualitative(pair: Pair, quarters: list[Quarter], rng: random.Random) -> None:
    office = pair.office
    for _quarter in quarters:
        text = rng.choice(pair.spec.texts).format(
            country=office.name if office.kind == Office.Kind.COUNTRY else "the country",
            city=CITIES.get(office.iso_code, "the capital"),
            n=rng.randint(3, 9),
        )
        pair.values.append({"text": text})


def _weights(spec: IndicatorSpec, rng: random.Random) -> dict[str, list[float]]:
    """Each dimension's category weights for one office (fixed, jittered per quarter)."""
    weights = {}
    for dimension in spec.disaggregations:
        if dimension == "sex":
            female = min(0.8, max(0.2, rng.gauss(0.52, 0.08)))
            other = rng.uniform(0.0, 0.03)
            weights[dimension] = [female, 1 - female - other, other]
        elif dimension == "age":
            children = min(0.6, max(0.05, rng.gauss(0.32, 0.08)))
            older = min(0.2, max(0.02, rng.gauss(0.08, 0.03)))
            weights[dimension] = [children, 1 - children - older, older]
        else:
            weights[dimension] = [rng.gammavariate(0.7, 1) + 0.01 for _ in range(5)]
    return weights


def _disaggregate(
    total: int, weights: dict[str, list[float]], rng: random.Random
) -> dict[str, dict[str, int]]:
    result = {}
    for dimension, base in weights.items():
        jittered = [w * math.exp(rng.gauss(0, 0.1)) for w in base]
        codes = [code for code, _label in Indicator.DIMENSION_CATEGORIES[dimension]]
        result[dimension] = dict(zip(codes, split(int(total), jittered), strict=True))
    return result


def baseline(spec: IndicatorSpec, pairs: list[Pair]) -> Decimal | None:
    """The global baseline (the year before the strategy): nothing yet for counts, a level
    otherwise."""
    if spec.measure == Measure.QUALITATIVE:
        return None
    if spec.measure == Measure.NUMBER:
        if spec.cumulative:
            return Decimal(0)
        return Decimal(sum(p.start for p in pairs))
    if spec.measure == Measure.YES_NO:
        return decimal(round(spec.base * 100, 1))
    return decimal(spec.base)


def target(
    spec: IndicatorSpec, year: int, pairs: list[Pair], *, ambition: float, years: list[int]
) -> Decimal | None:
    """The target for a year over the given offices: an amount for cumulative counts (that
    year's), a level otherwise (the level to reach by the year's end)."""
    first, baseline_year = years[0], years[0] - 1
    share = (year - baseline_year) / (years[-1] - baseline_year)
    if spec.measure == Measure.NUMBER and spec.cumulative:
        per_office = [spec.base * p.size * spec.goal ** (year - first) * 4 for p in pairs]
        return Decimal(nice(sum(per_office) * ambition))
    if spec.measure == Measure.NUMBER:
        levels = [p.start + spec.goal * 4 * (year - baseline_year) for p in pairs]
        return Decimal(round(sum(levels) * ambition))
    if spec.measure == Measure.PERCENTAGE:
        return decimal(round(spec.base + (spec.goal - spec.base) * share, 1))
    if spec.measure == Measure.YES_NO:  # the share of offices answering yes, in percent
        return decimal(round(100 * (spec.base + (spec.goal - spec.base) * share), 1))
    if spec.measure == Measure.ORDINAL:
        return Decimal(round(spec.base + (spec.goal - spec.base) * share))
    return None


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
    draw = rng.random()
    if value is None:
        return ""
    if pair.spec.covid_dip and key in COVID_DIP:
        return NARRATIVE_COVID
    if pair.spec.measure in (Measure.NUMBER, Measure.PERCENTAGE) and previous:
        if value > previous * 3:
            return NARRATIVE_UP
        if value < previous / 3:
            return NARRATIVE_DOWN
    return rng.choice(NARRATIVES) if draw < 0.2 else ""


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
    created = at(period.end_date + day * rng.randint(1, 18), rng)
    steps = [(dict(state), created, field_user, "Created")]
    if status == Status.DRAFT:
        return steps
    late = rng.random() < 0.07
    submitted_on = period.deadline + (
        day * rng.randint(1, 20) if late else -day * rng.randint(0, 10)
    )
    submitted = max(at(submitted_on, rng), created + dt.timedelta(hours=2))
    state.update(status=Status.SUBMITTED, submitted_at=submitted, submitted_by_id=field_user.pk)
    steps.append((dict(state), submitted, field_user, "Submitted"))
    if status == Status.SUBMITTED:
        return steps
    reviewed = submitted + day * rng.randint(1, 10)
    returned_first = status == Status.RETURNED or rng.random() < 0.08
    if returned_first:
        comment = rng.choice(RETURN_COMMENTS)
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
