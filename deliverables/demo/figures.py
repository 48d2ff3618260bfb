"""The demo's figures: what each office reports on each indicator every quarter, and the
baselines and targets that follow from them. Plain functions of a random generator, no database;
each office/indicator pair draws from a generator of its own, so one pair never shifts another's
figures.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from core.demo import four_places, nice, poisson, split
from deliverables.demo.catalogue import IndicatorSpec
from deliverables.models import Indicator
from offices.models import Office

Measure = Indicator.Measure

SEASON = {1: 0.9, 2: 1.0, 3: 1.05, 4: 1.05}
# Activities fell while COVID-19 restrictions lasted (indicators with `covid_dip`).
COVID_DIP = {(2020, 2): 0.35, (2020, 3): 0.6, (2020, 4): 0.85}

Quarter = tuple[int, int]


@dataclass
class Pair:
    """One office reporting on one indicator."""

    office: Office
    spec: IndicatorSpec
    size: float  # how large the office's operation is (1 is a medium office)
    city: str = ""  # a main city other than the capital, for qualitative texts
    # One per quarter, in order: value, or numerator and denominator (percentages), or text,
    # and disaggregations (of the value, or of a percentage's numerator).
    values: list[dict] = field(default_factory=list)
    start: float = 0  # number levels: the office's level at the baseline


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
            city=pair.city or "the capital",
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
        return four_places(round(spec.base * 100, 1))
    return four_places(spec.base)


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
        return four_places(round(spec.base + (spec.goal - spec.base) * share, 1))
    if spec.measure == Measure.YES_NO:  # the share of offices answering yes, in percent
        return four_places(round(100 * (spec.base + (spec.goal - spec.base) * share), 1))
    if spec.measure == Measure.ORDINAL:
        return Decimal(round(spec.base + (spec.goal - spec.base) * share))
    return None
