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

import logging

from django.db import connection, transaction
from django.db.models import Q

from deliverables.models import Indicator
from offices.models import Office
from reporting.models import ReportingPeriod
from rollups.models import Rollup
from rollups.services.rebuild import (
    REBUILD_CHUNK,
    RebuildReport,
    rebuild_sessions,
    rollup_rebuild_full,
    rollup_rebuild_run,
)
from rollups.services.running import (
    ALL_WINDOWS,
    BUCKETS,
    LOCK_NAMESPACE,
    PG_SETTINGS,
    TOUCHED_WINDOWS,
    execute,
    ids_filter,
    indicator_shape,
    lock_indicators,
    replace_indicators,
    replace_rows,
    statement_params,
    touched_rows,
)
from rollups.services.sql import bucket_rows_sql, global_rows_sql

__all__ = [
    "ALL_WINDOWS",
    "BUCKETS",
    "LOCK_NAMESPACE",
    "PG_SETTINGS",
    "REBUILD_CHUNK",
    "TOUCHED_WINDOWS",
    "RebuildReport",
    "execute",
    "ids_filter",
    "indicator_shape",
    "lock_indicators",
    "rebuild_sessions",
    "rollup_rebuild_full",
    "rollup_rebuild_run",
    "rollup_recompute",
    "rollup_recompute_by_ids",
    "rollup_recompute_indicator",
    "statement_params",
]

Scope, Span = Rollup.Scope, Rollup.Span
logger = logging.getLogger(__name__)


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
    touched = Q(indicator=indicator) & touched_rows(period=period)
    with transaction.atomic():
        lock_indicators([indicator.pk])
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
        return written + replace_rows(
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
    return replace_indicators(indicator_shape(indicator), [indicator.pk])


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
