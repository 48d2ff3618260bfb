"""Roll-ups (docs/domain.md, "Roll-up rules"): recompute from the source rows and replace, never
increment, so any recomputation can run twice, or concurrently, and give the same numbers.

The arithmetic is one family of set-based statements (`sql`) used by the incremental
recomputation, the full rebuild and the office figures read on request, which therefore cannot
disagree. Decisions:

- Only approved updates count; the `provisional_…` columns apply the same rule to approved +
  submitted updates.
- Stored rows: a global row for every indicator, period and span (status `no_data` when nothing
  is approved); a bucket row — each region's (scope "region"), and headquarters' units that
  belong to no region (scope "hq") — where one of its offices has an approved or submitted
  figure in the span. Global rows are the sums of the bucket rows. An office's own figures are
  computed from its updates when a page asks (`office_figures`), never stored.
- Across offices: number → sum; percentage → Σnumerators / Σdenominators × 100 (numerator and
  denominator stored); yes/no → actual = count of yes, numerator = yes, denominator = reporting
  offices, share = yes / reporting × 100; ordinal → `distribution` {level: offices}, actual =
  offices at or above the target level, share = that over reporting offices × 100; qualitative →
  number of narratives. Breakdowns (sex, age, population group) are summed like the totals, with
  the number of updates that gave each and their total (coverage).
- Across periods (`ytd`, `std`): cumulative indicators add their periods (updates_count = the
  updates added); non-cumulative ones (and every ordinal one: a level is a state) take each
  office's latest figure in the span (updates_count = one per office), then combine offices.
- Targets: global rows use the global target; an office its own target for the year, else (for
  percentages, yes/no and ordinal, which do not depend on scale) the global one
  (deliverables.selectors.target_for is the same rule); buckets the sum of their assigned
  offices' targets for number indicators when every one of them has a target for the year (else
  none), and the global target for the scale-free measures.
  Cumulative number indicators: period = year's target / periods in the year, ytd = year's
  target (pro-rated × k/n, k = the year's periods ended by this one), std = sum of the strategy's
  yearly targets up to this year (pro-rated: earlier years + this year × k/n) — and no target at
  all when a year up to this one has none. Otherwise the target of the period's year, pro-rated
  on the straight line from the baseline (at the end of the baseline year) to the target (at the
  end of its year). Ordinal levels are not pro-rated.
- Progress = (actual − baseline) / (target − baseline) on the share for yes/no; for ordinal it is
  the share at or above the target level (the row shows the indicator's baseline level). The
  baseline is 0 for cumulative number indicators and for number indicators below global scope
  (the indicator's baseline is an organisation-wide figure); the indicator's baseline (0 if
  unset) otherwise. Status: rollups.bands.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deliverables.models import Indicator
from jobs.models import Job
from jobs.runner import ProgressCallback
from offices.models import Office
from reporting.models import ReportingPeriod
from rollups.bands import status_band_params
from rollups.models import BREAKDOWN_DIMENSIONS, Rollup
from rollups.services.sql import Shape, bucket_rows_sql, global_rows_sql

if TYPE_CHECKING:
    from outcomes.models import Strategy

Scope, Span = Rollup.Scope, Rollup.Span
logger = logging.getLogger(__name__)

# First key of the PostgreSQL advisory locks taken per indicator ("RLUP").
LOCK_NAMESPACE = 0x524C5550 & 0x7FFFFFFF
# For the statements (PostgreSQL). The planner cannot estimate their CTEs (it guesses a few
# rows each) and would pick nested loops or merge joins over tens of thousands of rows: hash
# joins are right here. Compiling large statements with LLVM (JIT) takes seconds and saves
# milliseconds. A full rebuild's sorts and hash tables should stay in memory.
PG_SETTINGS = {
    "enable_nestloop": "off",
    "enable_mergejoin": "off",
    "jit": "off",
    "work_mem": "256MB",
}
# Indicators per statement and transaction in a full rebuild.
REBUILD_CHUNK = 60
BUCKETS = (Scope.REGION, Scope.HEADQUARTERS)
ALL_WINDOWS = "1 = 1"

# The windows (end period, span) that contain period `period_id`: its own period row, the ytd
# rows of it and the later periods of its year, the std rows of it and every later period.
TOUCHED_WINDOWS = """(
    (spans.span = 'period' AND per.per_id = %(period_id)s)
    OR (spans.span = 'ytd'
        AND per.year = (SELECT p2.year FROM per p2 WHERE p2.per_id = %(period_id)s)
        AND per.seq >= (SELECT p2.seq FROM per p2 WHERE p2.per_id = %(period_id)s))
    OR (spans.span = 'std'
        AND per.seq >= (SELECT p2.seq FROM per p2 WHERE p2.per_id = %(period_id)s))
)"""


def indicator_shape(indicator: Indicator) -> Shape:
    """Return what the statements must compute for this indicator (rollups.services.sql)."""
    ordinal = indicator.measure == Indicator.Measure.ORDINAL
    asked = set(indicator.disaggregations or [])
    return Shape(
        cumulative=indicator.cumulative and not ordinal,
        ordinal=ordinal,
        dims=tuple(dim for dim in BREAKDOWN_DIMENSIONS if dim in asked),
    )


def ids_filter(ids: list[int], params: dict, prefix: str = "i") -> str:
    """Return a condition `{col} IN (…)` on these ids, adding their parameters to `params`."""
    names = []
    for n, pk in enumerate(ids):
        params[f"{prefix}{n}"] = pk
        names.append(f"%({prefix}{n})s")
    return "{col} IN (" + ", ".join(names) + ")"


@dataclass
class RebuildReport:
    indicators: int = 0
    rows: int = 0
    chunks: int = 0
    seconds: float = 0.0
    by_scope: dict[str, int] = field(default_factory=dict)


def statement_params(extra: dict) -> dict:
    """Return a statement's parameters: bands, computation time and the filters' values."""
    computed_at = Rollup._meta.get_field("computed_at").get_db_prep_value(
        timezone.now(), connection
    )
    return {
        **status_band_params(as_float=connection.vendor != "postgresql"),
        "computed_at": computed_at,
        **extra,
    }


def _lock_indicators(indicator_ids: list[int]) -> None:
    """Serialize recomputations of the same indicator until the transaction ends (PostgreSQL).

    The transaction writes derived rows only, so its commit need not wait for the disk: were
    the server to crash before the write-ahead log reached it, the sweep and the nightly
    rebuild write the same rows again. SQLite allows one writer at a time anyway.
    """
    if connection.vendor != "postgresql":
        return
    locks = "; ".join(
        f"SELECT pg_advisory_xact_lock({LOCK_NAMESPACE:d}, {int(pk):d})"
        for pk in sorted(indicator_ids)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL synchronous_commit TO OFF; {locks}")


def execute(sql: str, params: dict, *, bulk: bool = True) -> int:
    """Run one of the INSERT statements and return the number of rows it wrote.

    `bulk` (a rebuild, or a whole indicator) plans for tens of thousands of rows; a small
    recomputation keeps the planner's own choices, which suit a few hundred.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            # sqlite3 reports no rowcount for a statement that starts with WITH.
            cursor.execute("SELECT changes()")
            return cursor.fetchone()[0]
        if not bulk:
            return _execute_prepared(cursor, sql, params)
        for name, value in PG_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        cursor.execute(sql, params)
        written = max(cursor.rowcount, 0)
        # Back to the session's values for whatever else the enclosing transaction does.
        for name in PG_SETTINGS:
            cursor.execute(f"SET LOCAL {name} TO DEFAULT")
        return written


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _execute_prepared(cursor: Any, sql: str, params: dict) -> int:
    """Run a small recomputation's statement as a prepared statement of this connection: its
    text is long and planning it would cost more than running it (PostgreSQL)."""
    name, text, names = _prepared_form(sql)
    prepared = _prepared_names(connection.connection)
    if name not in prepared:
        cursor.execute(f"PREPARE {name} AS {text}".replace("%", "%%"))
        prepared.add(name)
    values = ", ".join(["%s"] * len(names))
    # The same plan serves every indicator and period: planning anew each time is the cost.
    cursor.execute(
        f"SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE {name} ({values})",
        [params[n] for n in names],
    )
    return max(cursor.rowcount, 0)


@lru_cache(maxsize=256)
def _prepared_form(sql: str) -> tuple[str, str, tuple[str, ...]]:
    """Return the statement's name, its text with numbered parameters, and their names."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    text = _PLACEHOLDER.sub(number, sql)
    name = "rollup_" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
    return name, text, tuple(names)


def _prepared_names(raw_connection: Any) -> set[str]:
    """The statements prepared on this database session: forgotten when Django reconnects,
    as the session's prepared statements go with it."""
    held = getattr(connection, "_rollup_prepared", None)
    if held is None or held[0] is not raw_connection:
        held = (raw_connection, set())
        connection._rollup_prepared = held
    return held[1]


def _touched_rows(*, period: ReportingPeriod) -> Q:
    """Return the filter for the stored rows of the windows a change in `period` touches."""
    later = ReportingPeriod.objects.filter(
        strategy_id=period.strategy_id, start_date__gte=period.start_date
    )
    return (
        Q(span=Span.PERIOD, period=period)
        | Q(span=Span.YEAR_TO_DATE, period__in=later.filter(year=period.year))
        | Q(span=Span.STRATEGY_TO_DATE, period__in=later)
    )


def _replace(
    *, rows: Q, bucket_sql: str | None, global_sql: str, params: dict, bulk: bool = True
) -> int:
    """Delete the stored rows, then write the buckets' rows and global's from them."""
    Rollup.objects.filter(rows)._raw_delete(Rollup.objects.db)
    written = execute(bucket_sql, params, bulk=bulk) if bucket_sql else 0
    return written + execute(global_sql, params, bulk=bulk)


def rollup_recompute(
    *, indicator: Indicator, period: ReportingPeriod, office: Office | None = None
) -> int:
    """Recompute the roll-ups a change to (indicator, period) touches; return the rows written.

    The period's own row, the year-to-date rows of it and the later periods of its year and the
    strategy-to-date rows of it and every later period: of the office's bucket (its region, or
    headquarters) when an office is given, of every bucket otherwise, then global from the
    buckets. Replaced in one transaction under a lock on the indicator.
    """
    vendor = connection.vendor
    ind_filter = "{col} = %(indicator_id)s"
    params = statement_params({"indicator_id": indicator.pk, "period_id": period.pk})
    bucket_q = Q(scope__in=BUCKETS)
    bucket_filter = "1 = 1"
    if office is not None:
        params["bucket"] = office.region_id or 0
        # The bucket's offices by id, so that the updates are read through the index on
        # (indicator, office) rather than all of the indicator's and then filtered.
        offices = Office.objects.filter(region_id=office.region_id).values_list("pk", flat=True)
        bucket_filter = "{col} = %(bucket)s AND " + ids_filter(
            sorted(offices), params, prefix="o"
        ).format(col="u.office_id")
        bucket_q = (
            Q(scope=Scope.REGION, region_id=office.region_id)
            if office.region_id
            else Q(scope=Scope.HEADQUARTERS)
        )
    touched = Q(indicator=indicator) & _touched_rows(period=period)
    with transaction.atomic():
        _lock_indicators([indicator.pk])
        Rollup.objects.filter(touched & bucket_q)._raw_delete(Rollup.objects.db)
        written = execute(
            bucket_rows_sql(
                vendor=vendor,
                ind_filter=ind_filter,
                win_filter=TOUCHED_WINDOWS,
                bucket_filter=bucket_filter,
                shape=indicator_shape(indicator),
            ),
            params,
            bulk=False,
        )
        return written + _replace(
            rows=touched & Q(scope=Scope.GLOBAL),
            bucket_sql=None,
            global_sql=global_rows_sql(
                vendor=vendor, ind_filter=ind_filter, win_filter=TOUCHED_WINDOWS
            ),
            params=params,
            bulk=False,
        )


def rollup_recompute_indicator(*, indicator: Indicator) -> int:
    """Recompute every roll-up of one indicator (after its targets, baseline, measure or
    assignments change: every window of every bucket can move); return the rows written."""
    vendor = connection.vendor
    ind_filter = "{col} = %(indicator_id)s"
    with transaction.atomic():
        _lock_indicators([indicator.pk])
        return _replace(
            rows=Q(indicator=indicator),
            bucket_sql=bucket_rows_sql(
                vendor=vendor,
                ind_filter=ind_filter,
                win_filter=ALL_WINDOWS,
                bucket_filter="1 = 1",
                shape=indicator_shape(indicator),
            ),
            global_sql=global_rows_sql(
                vendor=vendor, ind_filter=ind_filter, win_filter=ALL_WINDOWS
            ),
            params=statement_params({"indicator_id": indicator.pk}),
        )


def rollup_recompute_by_ids(
    *, indicator_id: int, period_id: int | None = None, office_id: int | None = None
) -> int:
    """Recompute by ids (what the Celery task receives): one period's windows, or the whole
    indicator without a period; 0 if the indicator or period no longer exists."""
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        return 0
    if period_id is None:
        return rollup_recompute_indicator(indicator=indicator)
    period = ReportingPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return 0
    office = Office.objects.filter(pk=office_id).first() if office_id else None
    return rollup_recompute(indicator=indicator, period=period, office=office)


def rollup_rebuild_full(
    *,
    strategy: Strategy | None = None,
    progress: ProgressCallback | None = None,
    chunk: int = REBUILD_CHUNK,
) -> RebuildReport:
    """Recompute every roll-up (of one strategy, or of all); return what was written.

    Indicators are done in chunks of one shape (what the statement computes for them), each
    replaced in its own transaction under the indicators' locks, so an incremental
    recomputation running meanwhile waits rather than interleaves; `progress(percent,
    message)` hears of each chunk.
    """
    started = time.perf_counter()
    indicators = Indicator.objects.order_by("pk")
    if strategy is not None:
        indicators = indicators.filter(strategy=strategy)
    by_shape: dict[Shape, list[int]] = {}
    for indicator in indicators.only("pk", "measure", "cumulative", "disaggregations"):
        by_shape.setdefault(indicator_shape(indicator), []).append(indicator.pk)
    batches = [
        (shape, ids[i : i + chunk])
        for shape, ids in sorted(by_shape.items(), key=lambda item: item[1][0])
        for i in range(0, len(ids), chunk)
    ]
    report = RebuildReport(indicators=sum(len(ids) for ids in by_shape.values()))
    vendor = connection.vendor
    report_progress = progress or (lambda _percent, _message: None)
    report_progress(0, _("Rebuilding the roll-ups of %(n)s indicators") % {"n": report.indicators})
    for number, (shape, batch) in enumerate(batches, start=1):
        params: dict = {}
        ind_filter = ids_filter(batch, params)
        with transaction.atomic():
            _lock_indicators(batch)
            report.rows += _replace(
                rows=Q(indicator_id__in=batch),
                bucket_sql=bucket_rows_sql(
                    vendor=vendor,
                    ind_filter=ind_filter,
                    win_filter=ALL_WINDOWS,
                    bucket_filter="1 = 1",
                    shape=shape,
                ),
                global_sql=global_rows_sql(
                    vendor=vendor, ind_filter=ind_filter, win_filter=ALL_WINDOWS
                ),
                params=statement_params(params),
            )
        report.chunks += 1
        report_progress(
            min(99, round(100 * number / len(batches))),
            _("%(n)s of %(m)s batches: %(rows)s roll-up rows")
            % {"n": number, "m": len(batches), "rows": report.rows},
        )
    report.seconds = time.perf_counter() - started
    report.by_scope = dict(
        Rollup.objects.filter(indicator__in=indicators)
        .values_list("scope")
        .annotate(n=Count("pk"))
        .values_list("scope", "n")
    )
    return report


def rollup_rebuild_run(*, job: Job, progress: ProgressCallback) -> str:
    """The runner of a full rebuild job (jobs.runner); `job.params` may name one strategy."""
    from outcomes.models import Strategy

    strategy_id = (job.params or {}).get("strategy_id")
    strategy = Strategy.objects.get(pk=strategy_id) if strategy_id else None
    report = rollup_rebuild_full(strategy=strategy, progress=progress)
    return _("%(rows)s roll-up rows for %(n)s indicators in %(s).2f s") % {
        "rows": report.rows,
        "n": report.indicators,
        "s": report.seconds,
    }
