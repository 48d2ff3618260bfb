"""Fill a PostgreSQL database fast for the benchmark, with COPY.

Scale: offices grow with SCALE, indicators and periods do not. SCALE=1 is 180 offices × 60
assigned indicators × 20 quarterly periods = 216,000 updates; SCALE=10 is 1,800 offices, 2.16
million updates; SCALE=0.02 is 4 offices, 4,800 updates. What grows in a real organisation is
the number of offices reporting (and periods, which a single strategy fixes at 20).

Offices, indicators and targets are made with bulk_create (the measure mix `KINDS`);
assignments and updates, the bulk, go through `COPY ... FROM STDIN`. Number indicators ask for
breakdowns that sum to the total (sex and age; cumulative ones population group too) and carry
the gender and inequalities markers; one number update in `UNBROKEN` gives no breakdown, so the
roll-ups' coverage is measured incomplete, as offices report it. Statuses: older periods are
nearly all approved; the last two are still being reported (submitted, draft, returned), as they
would be on a real reporting day.
"""

from __future__ import annotations

import io
import itertools
import json
import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office, Region
from outcomes.models import Marker
from outcomes.services import strategy_load
from reporting.models import IndicatorUpdate
from reporting.services.periods import periods_ensure

INDICATORS = 60
OFFICES_AT_SCALE_1 = 180
# Rows per COPY statement.
COPY_CHUNK = 50_000
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

# One number update in UNBROKEN gives its total without a breakdown.
UNBROKEN = 8
POPULATION = ["migrants", "idps", "refugees", "returnees", "host_community"]

# (approved, submitted, returned) cumulative thresholds; the rest are drafts.
MIX_SETTLED = (0.96, 0.98, 0.985)
MIX_RECENT = (0.40, 0.75, 0.80)


def _office_count(scale: float) -> int:
    return max(2, round(OFFICES_AT_SCALE_1 * scale))


def _iso_codes() -> list[str]:
    """Return the two-letter codes no office uses yet (the bench's country offices take them)."""
    used = set(Office.objects.exclude(iso_code="").values_list("iso_code", flat=True))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b for a, b in itertools.product(letters, letters) if a + b not in used]


def _copy(table: str, columns: list[str], rows: list[list[str]]) -> None:
    """COPY rows (already text; `\\N` is NULL) into the table."""
    buffer = io.StringIO()
    buffer.writelines("\t".join(row) + "\n" for row in rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
        )


def _offices(n: int) -> list[Office]:
    regions = list(Region.objects.order_by("code"))
    isos = _iso_codes()
    Office.objects.bulk_create(
        [
            Office(
                code=f"bench-co-{k}",
                name=f"Bench office {k:05d}",
                kind=Office.Kind.COUNTRY if k < len(isos) else Office.Kind.REGIONAL,
                iso_code=isos[k] if k < len(isos) else "",
                region=regions[k % len(regions)],
            )
            for k in range(n)
        ],
        batch_size=1000,
    )
    return list(Office.objects.filter(code__startswith="bench-co-").order_by("pk"))


def _indicators(strategy, rng: random.Random) -> list[Indicator]:
    deliverables = [d for o in strategy.outcome_set.all() for d in o.deliverables.all()]
    made = []
    for n in range(INDICATORS):
        measure, cumulative = KINDS[n % len(KINDS)]
        made.append(
            Indicator(
                strategy=strategy,
                deliverable=deliverables[n % len(deliverables)],
                code=f"BENCH.{n:02d}",
                name=f"Bench indicator {n}",
                measure=measure,
                cumulative=cumulative,
                direction="decrease" if n % 11 == 5 else "increase",
                ordinal_levels=["None", "Basic", "Developed", "Advanced"]
                if measure == "ordinal"
                else [],
                disaggregations=(
                    (["sex", "age", "population"] if cumulative else ["sex", "age"])
                    if measure == "number"
                    else []
                ),
                baseline_value=Decimal(rng.choice(["0", "10", "20"])),
                baseline_year=strategy.start_year - 1,
            )
        )
    Indicator.objects.bulk_create(made)
    indicators = list(Indicator.objects.filter(code__startswith="BENCH.").order_by("pk"))
    targets = []
    for indicator in indicators:
        value = {"number": 5000, "percentage": 60, "yes_no": 80, "ordinal": 3}.get(
            indicator.measure
        )
        if value is not None:
            targets += [
                IndicatorTarget(indicator=indicator, year=year, value=Decimal(value))
                for year in strategy.years
            ]
    IndicatorTarget.objects.bulk_create(targets)
    # The marker pages lead with the breakdowns of their number indicators.
    markers = {m.code: m for m in Marker.objects.filter(strategy=strategy)}
    tagged = Indicator.markers.through
    tagged.objects.bulk_create(
        [
            tagged(indicator_id=i.pk, marker_id=markers[code].pk)
            for i in indicators
            if i.measure == "number"
            for code in ("gender", "inequalities")
            if code in markers
        ]
    )
    return indicators


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _update_columns() -> list[str]:
    return [f.column for f in IndicatorUpdate._meta.concrete_fields if not f.primary_key]


def bench_fill(
    *, scale: float, seed: int = 1, log: Callable[[str], None] = print
) -> dict[str, int | float]:
    """Make the strategy, offices, 60 indicators, assignments and updates; return the counts."""
    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        strategy, _report = strategy_load()
        periods = periods_ensure(strategy=strategy)
        offices = _offices(_office_count(scale))
        indicators = _indicators(strategy, rng)
    log(
        f"  framework: {len(offices)} offices, {len(indicators)} indicators, {len(periods)} periods"
    )

    now = timezone.now().isoformat()
    _copy(
        Assignment._meta.db_table,
        ["created_at", "updated_at", "indicator_id", "office_id", "is_active"],
        [[now, now, str(i.pk), str(o.pk), "t"] for o in offices for i in indicators],
    )

    columns = _update_columns()
    recent = {p.pk for p in periods[-2:]}
    rows: list[list[str]] = []
    total = 0
    for office in offices:
        for period in periods:
            mix = MIX_RECENT if period.pk in recent else MIX_SETTLED
            reported = period.end_date.isoformat() + "T12:00:00+00:00"
            for indicator in indicators:
                roll = rng.random()
                status = (
                    "approved"
                    if roll < mix[0]
                    else "submitted"
                    if roll < mix[1]
                    else "returned"
                    if roll < mix[2]
                    else "draft"
                )
                value = numerator = denominator = None
                text, disaggregations = "", "{}"
                measure = indicator.measure
                if measure == "number":
                    amount = rng.randint(0, 500)
                    value = str(amount)
                    parts = {
                        "sex": dict(
                            zip(
                                ["female", "male", "other_unknown"],
                                _split(amount, 3, rng),
                                strict=True,
                            )
                        ),
                        "age": dict(
                            zip(["0_17", "18_59", "60_plus"], _split(amount, 3, rng), strict=True)
                        ),
                    }
                    if "population" in indicator.disaggregations:
                        parts["population"] = dict(
                            zip(POPULATION, _split(amount, len(POPULATION), rng), strict=True)
                        )
                    if rng.randrange(UNBROKEN) == 0:
                        parts = {}
                    disaggregations = json.dumps(parts)
                elif measure == "percentage":
                    den = rng.randint(1, 200)
                    num = rng.randint(0, den)
                    numerator, denominator = str(num), str(den)
                    value = str((Decimal(100 * num) / den).quantize(Decimal("0.0001")))
                elif measure == "yes_no":
                    value = str(rng.randint(0, 1))
                elif measure == "ordinal":
                    value = str(rng.randint(1, 4))
                else:
                    text = "Narrative of what changed this quarter."
                row = {
                    "created_at": now,
                    "updated_at": now,
                    "indicator_id": str(indicator.pk),
                    "office_id": str(office.pk),
                    "period_id": str(period.pk),
                    "measure": measure,
                    "status": status,
                    "version": "2" if status != "draft" else "1",
                    "value": value,
                    "numerator": numerator,
                    "denominator": denominator,
                    "text": text,
                    "disaggregations": disaggregations,
                    "narrative": "",
                    "review_comment": "Please check the source." if status == "returned" else "",
                    "submitted_at": reported if status != "draft" else None,
                    "submitted_by_id": None,
                    "reviewed_at": reported if status in {"approved", "returned"} else None,
                    "reviewed_by_id": None,
                    "updated_by_id": None,
                }
                rows.append([r"\N" if row[c] is None else row[c] for c in columns])
                if len(rows) >= COPY_CHUNK:
                    _copy(IndicatorUpdate._meta.db_table, columns, rows)
                    total += len(rows)
                    rows = []
    _copy(IndicatorUpdate._meta.db_table, columns, rows)
    total += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "offices": len(offices),
        "indicators": len(indicators),
        "periods": len(periods),
        "assignments": len(offices) * len(indicators),
        "updates": total,
        "seconds": round(time.perf_counter() - started, 2),
    }
