"""Generate a large, reproducible data set for benchmarks: at scale 1.0, 180 offices × 60
indicators (every measure, cumulative or not) × 20 quarters ≈ 216,000 updates, mostly approved.

    DJANGO_SETTINGS_MODULE=strategy_tracker.settings.dev .venv/bin/python -c \
        "import django; django.setup(); from bench.generate import bench_generate; \
         print(bench_generate(scale=1.0, seed=1))"

Rows are written with bulk_create (no history, no workflow): this is data to measure reads and
roll-ups on, not a test of the workflow. Running it again adds nothing it already made.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office, Region
from outcomes.services import strategy_load
from reporting.models import IndicatorUpdate
from reporting.services.periods import periods_ensure

Status = IndicatorUpdate.Status
# (measure, cumulative) in the proportions a results framework usually has.
KINDS = [
    ("number", True),
    ("number", True),
    ("number", False),
    ("percentage", False),
    ("percentage", False),
    ("yes_no", False),
    ("ordinal", False),
    ("qualitative", False),
]


@dataclass
class BenchData:
    offices: int
    indicators: int
    periods: int
    updates: int


def _iso_codes() -> list[str]:
    used = set(Office.objects.exclude(iso_code="").values_list("iso_code", flat=True))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b for a, b in itertools.product(letters, letters) if a + b not in used]


@transaction.atomic
def bench_generate(*, scale: float = 1.0, seed: int = 1) -> BenchData:
    """Create offices, indicators, targets, assignments and updates; return how many exist."""
    rng = random.Random(seed)
    strategy, _report = strategy_load()
    periods = periods_ensure(strategy=strategy)
    regions = list(Region.objects.order_by("code"))
    n_offices, n_indicators = max(1, round(180 * scale)), max(1, round(60 * scale))

    isos = _iso_codes()
    Office.objects.bulk_create(
        [
            Office(
                code=f"bench-co-{n}",
                name=f"Bench office {n}",
                kind=Office.Kind.COUNTRY,
                iso_code=isos[n],
                region=regions[n % len(regions)],
            )
            if n < len(isos)
            else Office(
                code=f"bench-co-{n}",
                name=f"Bench office {n}",
                kind=Office.Kind.REGIONAL,
                region=regions[n % len(regions)],
            )
            for n in range(n_offices)
        ],
        ignore_conflicts=True,
    )
    offices = list(Office.objects.filter(code__startswith="bench-co-").order_by("pk"))

    deliverables = [d for o in strategy.outcome_set.all() for d in o.deliverables.all()]
    Indicator.objects.bulk_create(
        [
            Indicator(
                strategy=strategy,
                deliverable=deliverables[n % len(deliverables)],
                code=f"BENCH.{n}",
                name=f"Bench indicator {n}",
                measure=KINDS[n % len(KINDS)][0],
                cumulative=KINDS[n % len(KINDS)][1],
                direction="decrease" if n % 11 == 5 else "increase",
                ordinal_levels=["None", "Basic", "Developed", "Advanced"]
                if KINDS[n % len(KINDS)][0] == "ordinal"
                else [],
                baseline_value=Decimal(rng.choice(["0", "10", "20"])),
                baseline_year=strategy.start_year - 1,
            )
            for n in range(n_indicators)
        ],
        ignore_conflicts=True,
    )
    indicators = list(Indicator.objects.filter(code__startswith="BENCH.").order_by("pk"))

    targets = []
    for indicator in indicators:
        for year in strategy.years:
            value = {"number": 5000, "percentage": 60, "yes_no": 80, "ordinal": 3}.get(
                indicator.measure
            )
            if value is not None:
                targets.append(
                    IndicatorTarget(indicator=indicator, year=year, value=Decimal(value))
                )
    IndicatorTarget.objects.bulk_create(targets, ignore_conflicts=True)
    Assignment.objects.bulk_create(
        [Assignment(indicator=i, office=o) for i in indicators for o in offices],
        ignore_conflicts=True,
    )

    batch: list[IndicatorUpdate] = []
    for indicator, office, period in itertools.product(indicators, offices, periods):
        roll = rng.random()
        status = (
            Status.APPROVED if roll < 0.85 else Status.SUBMITTED if roll < 0.95 else Status.DRAFT
        )
        update = IndicatorUpdate(
            indicator=indicator,
            office=office,
            period=period,
            measure=indicator.measure,
            status=status,
        )
        if indicator.measure == "number":
            update.value = Decimal(rng.randint(0, 500))
        elif indicator.measure == "percentage":
            update.denominator = Decimal(rng.randint(1, 200))
            update.numerator = Decimal(rng.randint(0, int(update.denominator)))
            update.value = (100 * update.numerator / update.denominator).quantize(Decimal("0.0001"))
        elif indicator.measure == "yes_no":
            update.value = Decimal(rng.randint(0, 1))
        elif indicator.measure == "ordinal":
            update.value = Decimal(rng.randint(1, 4))
        else:
            update.text = "Narrative of what changed."
        batch.append(update)
        if len(batch) >= 5000:
            IndicatorUpdate.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    IndicatorUpdate.objects.bulk_create(batch, ignore_conflicts=True)
    return BenchData(
        offices=len(offices),
        indicators=len(indicators),
        periods=len(periods),
        updates=IndicatorUpdate.objects.filter(indicator__in=indicators).count(),
    )
