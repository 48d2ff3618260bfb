"""What the roll-up statements share: tables, JSON pieces, the summed columns, and the first
CTEs (indicators, periods, windows)."""

from __future__ import annotations

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office
from outcomes.models import Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.models import BREAKDOWN_DIMENSIONS, BREAKDOWN_PARTS, Rollup

# The scale-free measures: an office's or a bucket's target falls back to the global one.
RATES = "(" + ", ".join(f"'{m}'" for m in sorted(Indicator.SCALE_FREE_MEASURES)) + ")"

# What is summed per group and window (a: approved, p: provisional). Each column is the sum
# of the office rows' contributions.
PARTS = [column for _dim, _cat, column in BREAKDOWN_PARTS]
COVERAGE = [f"covered_{dim}_updates" for dim in BREAKDOWN_DIMENSIONS] + [
    f"covered_{dim}_total" for dim in BREAKDOWN_DIMENSIONS
]
A_COLUMNS = ["a_val", "a_num", "a_den", "a_cnt", "a_off", *PARTS, *COVERAGE]
P_COLUMNS = ["p_val", "p_num", "p_den", "p_cnt", "p_off"]
SPANS = ("period", "ytd", "std")

OUTPUT_COLUMNS = [
    "indicator_id", "scope", "region_id", "office_id", "period_id", "span", "actual",
    "numerator", "denominator", "share", "distribution", "target", "target_prorated", "baseline",
    "progress", "pace", "status", "updates_count", "offices_count", "provisional_actual",
    "provisional_numerator", "provisional_denominator", "provisional_updates_count",
    *PARTS, *COVERAGE, "computed_at",
]  # fmt: skip


def json_pieces(vendor: str) -> dict[str, str]:
    """Return the vendor's JSON pieces."""
    if vendor == "postgresql":
        return {
            "agg": "CAST(json_object_agg(lvl, cnt) AS jsonb)",
            "empty": "CAST('{}' AS jsonb)",
            "part": "CAST(u.disaggregations -> '{dim}' ->> '{cat}' AS NUMERIC)",
            "each": "jsonb_each_text(r.distribution) AS e(key, value)",
        }
    return {
        "agg": "json_group_object(lvl, cnt)",
        "empty": "'{}'",
        "part": "CAST(json_extract(u.disaggregations, '$.{dim}.{cat}') AS NUMERIC)",
        "each": "json_each(r.distribution) AS e",
    }


def tables() -> dict[str, str]:
    return {
        "t_ind": Indicator._meta.db_table,
        "t_strategy": Strategy._meta.db_table,
        "t_per": ReportingPeriod._meta.db_table,
        "t_upd": IndicatorUpdate._meta.db_table,
        "t_office": Office._meta.db_table,
        "t_target": IndicatorTarget._meta.db_table,
        "t_assign": Assignment._meta.db_table,
        "t_rollup": Rollup._meta.db_table,
    }


# --- 1. Indicators, periods, windows ----------------------------------------------------------


def frame_ctes(*, vendor: str, ind_filter: str, win_filter: str) -> str:
    t = tables()
    return f"""ind AS (
    SELECT i.id AS ind_id, i.strategy_id, i.measure, s.start_year,
        CASE WHEN i.cumulative AND i.measure <> 'ordinal' THEN 1 ELSE 0 END AS cum,
        CASE WHEN i.cumulative AND i.measure = 'number' THEN 1 ELSE 0 END AS sumtgt,
        COALESCE(i.baseline_value, 0) AS base,
        COALESCE(i.baseline_year, s.start_year - 1) AS base_year
    FROM {t["t_ind"]} i JOIN {t["t_strategy"]} s ON s.id = i.strategy_id
    WHERE {ind_filter.format(col="i.id")}
),
per AS (
    SELECT p.id AS per_id, p.strategy_id, p.year,
        ROW_NUMBER() OVER (PARTITION BY p.strategy_id ORDER BY p.start_date) AS seq,
        ROW_NUMBER() OVER (PARTITION BY p.strategy_id, p.year ORDER BY p.start_date) AS k,
        COUNT(*) OVER (PARTITION BY p.strategy_id, p.year) AS n
    FROM {t["t_per"]} p
    WHERE p.strategy_id IN (SELECT strategy_id FROM ind)
),
spans AS (SELECT 'period' AS span UNION ALL SELECT 'ytd' UNION ALL SELECT 'std'),
win AS (
    SELECT per.per_id, per.strategy_id, per.year, per.seq, per.k, per.n, spans.span
    FROM per CROSS JOIN spans
    WHERE {win_filter}
)"""


# --- 2-4. Contributions and running sums per group -------------------------------------------


# --- 5. Targets -------------------------------------------------------------------------------


# --- 6. Figures by the measure's rule ---------------------------------------------------------


# --- The statements ---------------------------------------------------------------------------
