"""Seed a demo database (`manage.py seed_demo`): each app seeds its own part through its own
services, in the order of the layers, and the roll-ups are rebuilt at the end.

offices/demo.py makes the country offices, HQ departments, logins and people; deliverables.demo
the indicators, targets and assignments (and each office's quarterly figures); reporting.demo the
periods and the updates with their history; plans/demo.py the delivery and resource plans.

Deterministic for a seed: every random draw comes from one core.demo.DemoRandom (a generator of
its own for each office/indicator pair, so Kenya's figures do not change with `--offices`). Only
`created_at`/`updated_at` follow the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, models, transaction

from core.demo import DemoRandom
from deliverables.demo import demo_indicators_clear, demo_indicators_exist, demo_indicators_seed
from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.demo import (
    DEMO_LOGINS,
    DemoLogin,
    demo_offices_exist,
    demo_offices_seed,
    offices_catalogue,
)
from offices.models import Office
from outcomes.models import Strategy
from outcomes.selectors import strategy_current
from outcomes.services import strategy_load
from plans.demo import seed_plans
from reporting.demo import demo_reporting_clear, demo_reporting_seed
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.services import rollup_rebuild_full

DEFAULT_OFFICES = 40
DEFAULT_SEED = 2019
# The order of the summary's counts.
COUNTS = (
    "country offices",
    "HQ departments",
    "reporting periods",
    "indicators",
    "targets",
    "assignments",
    "users",
    "indicator updates",
    "update history records",
    "roll-ups",
)


@dataclass
class DemoReport:
    """What seed_demo did: counts by kind, updates by status, and the demo logins."""

    seed: int
    skipped: bool = False
    cleared: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    plans_seeded: bool = False
    logins: list[DemoLogin] = field(default_factory=lambda: list(DEMO_LOGINS))


def demo_is_seeded(*, strategy: Strategy) -> bool:
    """Return whether the strategy already has indicators (from an earlier seed or by hand)."""
    return demo_indicators_exist(strategy=strategy)


@transaction.atomic
def demo_clear(*, strategy: Strategy) -> bool:
    """Delete the reporting data seed_demo created for the strategy; return whether there was any.

    Goes: updates and their history, indicators (with their targets, assignments and roll-ups).
    Offices and users stay, so other apps' rows that point at them survive; seeding again brings
    them up to date, and the plans' demo replaces its own data.
    """
    if not demo_is_seeded(strategy=strategy) and not demo_offices_exist():
        return False
    demo_reporting_clear(strategy=strategy)
    demo_indicators_clear(strategy=strategy)
    return True


@transaction.atomic
def demo_seed(
    *, offices: int = DEFAULT_OFFICES, seed: int = DEFAULT_SEED, if_empty: bool = False
) -> DemoReport:
    """Seed (or re-seed, replacing the earlier demo data) a deterministic demo world.

    With `if_empty`, do nothing when the strategy already has indicators. Raise ValueError
    when `offices` is not between 1 and the number of countries in the catalogue.
    """
    countries = len(offices_catalogue().countries)
    if not 1 <= offices <= countries:
        raise ValueError(f"--offices must be between 1 and {countries}.")
    strategy = strategy_current()
    if strategy is None:
        strategy, _report = strategy_load()
    if if_empty and demo_is_seeded(strategy=strategy):
        return DemoReport(seed=seed, skipped=True)
    report = DemoReport(seed=seed, cleared=demo_clear(strategy=strategy))
    rand = DemoRandom(seed)
    # Each app gets what the apps below it made; `rand.main` is drawn from in this order.
    made_offices = demo_offices_seed(rand=rand, offices=offices)
    made_indicators = demo_indicators_seed(rand=rand, strategy=strategy, offices=made_offices)
    reporting = demo_reporting_seed(
        rand=rand, strategy=strategy, offices=made_offices, indicators=made_indicators
    )
    seed_plans(rng=rand.part("extension", "plans"), strategy=strategy)
    report.plans_seeded = True
    _analyze(Office, Indicator, Assignment, IndicatorTarget, ReportingPeriod, IndicatorUpdate)
    # Dashboards read roll-ups: compute them all now, as the nightly rebuild would.
    counts = {
        **made_offices.counts,
        **made_indicators.counts,
        **reporting.counts,
        "roll-ups": rollup_rebuild_full(strategy=strategy).rows,
    }
    report.counts = {name: counts[name] for name in COUNTS}
    report.statuses = reporting.statuses
    return report


def _analyze(*tables: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load.

    Inside the seeding transaction the statistics still describe empty tables, and the roll-up
    rebuild that follows would be planned for them (minutes instead of a second).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
