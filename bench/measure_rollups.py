"""Roll-ups: the full rebuild (totals and breakdowns by sex, age and population group, one pass)
against its floors, its plan, what it wrote for the breakdowns, and the incremental recompute."""

from __future__ import annotations

import statistics
import time

from django.db import connection, transaction

from bench.context import Context, log, summary
from bench.processes import celery_eager
from deliverables.models import Indicator
from offices.models import Office
from reporting.models import IndicatorUpdate
from reporting.services.workflow import update_approve
from rollups import services as rollups
from rollups.models import Rollup
from rollups.services import rollup_rebuild_full, rollup_recompute
from rollups.services.sql import bucket_rows_sql, global_rows_sql

# The floor: the aggregate of the roll-up's shape (indicator × period × region, and indicator ×
# period for global) over the approved updates, without targets, spans or statuses. The outer
# sums keep PostgreSQL from dropping the inner ones as unused.
GROUPING_SETS_SQL = """
SELECT count(*), sum(g.v), sum(g.n), sum(g.d), sum(g.c) FROM (
    SELECT u.indicator_id, u.period_id, o.region_id,
        sum(u.value) AS v, sum(u.numerator) AS n, sum(u.denominator) AS d, count(*) AS c
    FROM {updates} u JOIN {offices} o ON o.id = u.office_id
    WHERE u.status = 'approved'
    GROUP BY GROUPING SETS ((u.indicator_id, u.period_id, o.region_id),
        (u.indicator_id, u.period_id))
) AS g
"""
# The figure reported before the floor above: one sum per (indicator, office, period).
GROUP_BY_SQL = """
SELECT count(*), sum(g.v) FROM (
    SELECT indicator_id, office_id, period_id, sum(value) AS v
    FROM {updates} WHERE status = 'approved'
    GROUP BY indicator_id, office_id, period_id
) AS g
"""


# The breakdowns' check: for cumulative number indicators, the global strategy-to-date women at
# the last period (the roll-ups) against the approved updates' own parts summed here.
PARTS_SQL = """
SELECT
    (SELECT count(*) FROM {updates} u
        WHERE u.status = 'approved' AND u.disaggregations::text <> '{{}}'),
    (SELECT coalesce(sum((u.disaggregations->'sex'->>'female')::numeric), 0)
        FROM {updates} u JOIN {indicators} i ON i.id = u.indicator_id
        WHERE u.status = 'approved' AND i.measure = 'number' AND i.cumulative
            AND i.code LIKE 'BENCH.%'),
    (SELECT coalesce(sum(r.part_sex_female), 0) FROM {rollups} r
        JOIN {indicators} i ON i.id = r.indicator_id
        WHERE r.scope = 'global' AND r.span = 'std' AND i.measure = 'number' AND i.cumulative
            AND i.code LIKE 'BENCH.%'
            AND r.period_id = (SELECT id FROM {periods} ORDER BY start_date DESC LIMIT 1)),
    (SELECT count(*) FROM {rollups} r
        WHERE r.covered_sex_updates > 0 OR r.covered_age_updates > 0
            OR r.covered_population_updates > 0),
    (SELECT count(*) FROM {rollups} r
        WHERE r.covered_sex_updates > 0 AND r.covered_sex_updates < r.updates_count)
"""


def breakdown_stats() -> dict:
    """Return what the rebuild wrote for the breakdowns, and whether the global women (strategy
    to date, cumulative counts) equal the approved updates' parts summed directly."""
    from reporting.models import ReportingPeriod

    sql = PARTS_SQL.format(
        updates=IndicatorUpdate._meta.db_table,
        indicators=Indicator._meta.db_table,
        rollups=Rollup._meta.db_table,
        periods=ReportingPeriod._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        updates, parts, rolled, rows, partial = cursor.fetchone()
    return {
        "breakdown_indicators": Indicator.objects.filter(code__startswith="BENCH.")
        .exclude(disaggregations=[])
        .count(),
        "breakdown_updates": updates,
        "breakdown_rows": rows,
        "breakdown_rows_incomplete": partial,
        "breakdown_women_updates": float(parts),
        "breakdown_women_rollups": float(rolled),
        "breakdowns_match": 1 if parts == rolled else 0,
    }


def _timed_sql(sql: str) -> float:
    """Run a read-only statement under the rebuild's planner settings; return its seconds."""
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in rollups.PG_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        started = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        return time.perf_counter() - started


def measure_rollup_rebuild(ctx: Context) -> dict:
    """Time `rollup_rebuild_full` and, in turn with it, the bare aggregates over the same rows."""
    tables = {
        "updates": IndicatorUpdate._meta.db_table,
        "offices": Office._meta.db_table,
    }
    grouping_sql, group_by_sql = GROUPING_SETS_SQL.format(**tables), GROUP_BY_SQL.format(**tables)
    runs = 1 if ctx.quick or ctx.args.scale >= 5 else 3
    seconds, grouping, group_by, rows, by_scope = [], [], [], 0, {}
    for n in range(max(3, runs)):
        if n < runs:
            started = time.perf_counter()
            done = rollup_rebuild_full()
            seconds.append(time.perf_counter() - started)
            rows, by_scope = done.rows, done.by_scope
            log(f"  rebuild {n + 1}/{runs}: {seconds[-1]:.2f} s, {rows:,} rows")
        grouping.append(_timed_sql(grouping_sql))
        group_by.append(_timed_sql(group_by_sql))
    log(f"  bare GROUPING SETS aggregate: median {statistics.median(grouping):.3f} s")
    approved = IndicatorUpdate.objects.filter(status=IndicatorUpdate.Status.APPROVED).count()
    breakdowns = breakdown_stats()
    log(
        f"  breakdowns: {breakdowns['breakdown_rows']:,} rows from "
        f"{breakdowns['breakdown_updates']:,} approved updates with a breakdown; roll-ups = "
        f"updates' parts: {'yes' if breakdowns['breakdowns_match'] else 'NO'}"
    )
    median = statistics.median(seconds)
    floor, old_floor = statistics.median(grouping), statistics.median(group_by)
    return {
        "explain_first_chunk": rebuild_explain(ctx),
        "runs": [round(s, 3) for s in seconds],
        "median_s": round(median, 3),
        "rows": rows,
        "by_scope": by_scope,
        "approved_updates": approved,
        **breakdowns,
        "grouping_sets_s": round(floor, 4),
        "ratio_to_grouping_sets": round(median / floor, 1) if floor else None,
        "bare_sql_s": round(old_floor, 4),
        "ratio_to_bare_sql": round(median / old_floor, 1) if old_floor else None,
        "note": "grouping sets = sum of value, numerator, denominator and count of the approved "
        "updates GROUP BY GROUPING SETS ((indicator, period, region), (indicator, period)); bare "
        "SQL = sum(value) GROUP BY (indicator, office, period); each the median of 3, timed in "
        "turn with the rebuilds under the rebuild's planner settings",
    }


def rebuild_explain(ctx: Context) -> list[str]:
    """EXPLAIN ANALYZE the rebuild's two statements (the buckets', then global's from them) for
    the first chunk of its largest shape (rolled back), under the settings the rebuild runs
    them with, to show where the time goes."""
    by_shape: dict = {}
    for indicator in Indicator.objects.order_by("pk"):
        by_shape.setdefault(rollups.indicator_shape(indicator), []).append(indicator.pk)
    shape, ids = max(by_shape.items(), key=lambda item: len(item[1]))
    ids = ids[: rollups.REBUILD_CHUNK]
    params: dict = {}
    ind_filter = rollups.ids_filter(ids, params)
    params = rollups.statement_params(params)
    statements = [
        (
            "buckets",
            bucket_rows_sql(
                vendor=connection.vendor,
                ind_filter=ind_filter,
                win_filter=rollups.ALL_WINDOWS,
                bucket_filter="1 = 1",
                shape=shape,
            ),
        ),
        (
            "global",
            global_rows_sql(
                vendor=connection.vendor, ind_filter=ind_filter, win_filter=rollups.ALL_WINDOWS
            ),
        ),
    ]
    plan: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        rollups.lock_indicators(ids)
        cursor.execute(
            f"DELETE FROM {Rollup._meta.db_table} WHERE indicator_id = ANY(%s)",  # noqa: S608
            [ids],
        )
        for name, value in rollups.PG_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        for name, sql in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan += [*([f"--- then {name}"] if plan else []), *(r[0] for r in cursor.fetchall())]
        transaction.set_rollback(True)
    heading = f"The buckets' statement, then global's, for {len(ids)} indicators of {shape}"
    (ctx.workdir / "rebuild-explain.txt").write_text("\n".join([heading, *plan]) + "\n")
    log(f"  EXPLAIN ANALYZE of the first chunk: {ctx.workdir / 'rebuild-explain.txt'}")
    return plan


def measure_rollup_incremental(ctx: Context) -> dict:
    """Approve N submitted updates through `update_approve`, tasks eager (in this process), and
    time, separately, `rollup_recompute` of the same (indicator, period) right after."""
    n = 10 if ctx.quick else 50
    updates = ctx.take_submitted(n)
    celery_eager(True)
    approval, recompute, rows = [], [], []
    budget_at = time.perf_counter() + ctx.args.budget
    try:
        for update in updates:
            if len(recompute) >= 10 and time.perf_counter() > budget_at:
                break  # a slow recomputation at a large scale: keep the run bounded
            started = time.perf_counter()
            update_approve(user=ctx.reviewer, update=update)
            approval.append(time.perf_counter() - started)
            started = time.perf_counter()
            rows.append(rollup_recompute(indicator=update.indicator, period=update.period))
            recompute.append(time.perf_counter() - started)
    finally:
        celery_eager(not ctx.redis_url)
    return {
        "recompute": summary(recompute),
        "approval_total": summary(approval),
        "rows_per_recompute_median": statistics.median(rows),
        "stopped_by_time_budget": len(recompute) < n,
        "note": "recompute = rollup_recompute(indicator, period) alone; approval_total = "
        "update_approve with its on-commit tasks (roll-up recompute and notification) run "
        "eagerly in the same process",
    }
