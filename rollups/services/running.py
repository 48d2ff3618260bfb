"""Running the roll-up statements: which statement an indicator needs (its shape), their
parameters, the per-indicator locks, and executing them (prepared, for small recomputations)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from deliverables.models import Indicator
from reporting.models import ReportingPeriod
from rollups.bands import status_band_params
from rollups.models import BREAKDOWN_DIMENSIONS, Rollup
from rollups.services.sql import Shape, bucket_rows_sql, global_rows_sql

Scope, Span = Rollup.Scope, Rollup.Span

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
        ratio=indicator.measure == Indicator.Measure.PERCENTAGE,
    )


def ids_filter(ids: list[int], params: dict, prefix: str = "i") -> str:
    """Return a condition `{col} IN (…)` on these ids, adding their parameters to `params`."""
    names = []
    for n, pk in enumerate(ids):
        params[f"{prefix}{n}"] = pk
        names.append(f"%({prefix}{n})s")
    return "{col} IN (" + ", ".join(names) + ")"


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


def lock_indicators(indicator_ids: list[int]) -> None:
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


def touched_rows(*, period: ReportingPeriod) -> Q:
    """Return the filter for the stored rows of the windows a change in `period` touches."""
    later = ReportingPeriod.objects.filter(
        strategy_id=period.strategy_id, start_date__gte=period.start_date
    )
    return (
        Q(span=Span.PERIOD, period=period)
        | Q(span=Span.YEAR_TO_DATE, period__in=later.filter(year=period.year))
        | Q(span=Span.STRATEGY_TO_DATE, period__in=later)
    )


def replace_rows(
    *, rows: Q, bucket_sql: str | None, global_sql: str, params: dict, bulk: bool = True
) -> int:
    """Delete the stored rows, then write the buckets' rows and global's from them."""
    Rollup.objects.filter(rows)._raw_delete(Rollup.objects.db)
    written = execute(bucket_sql, params, bulk=bulk) if bucket_sql else 0
    return written + execute(global_sql, params, bulk=bulk)


def replace_indicators(shape: Shape, ids: list[int]) -> int:
    """Replace every roll-up of these indicators (of one shape) in one transaction; return the
    rows written."""
    vendor = connection.vendor
    params: dict = {}
    ind_filter = ids_filter(ids, params)
    with transaction.atomic():
        lock_indicators(ids)
        return replace_rows(
            rows=Q(indicator_id__in=ids),
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
