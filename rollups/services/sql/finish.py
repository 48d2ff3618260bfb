"""Step 6 of the roll-up statements: figures by the measure's rule, progress, pace, status."""

from __future__ import annotations

from rollups.bands import status_band_sql
from rollups.models import BREAKDOWN_PARTS
from rollups.services.sql.common import (
    COVERAGE,
    PARTS,
    json_pieces,
)


def finish_ctes(*, vendor: str, breakdowns: list[str] | None = None) -> str:
    """Return `f1` … `f4` over `agg` (one row per group and window with the summed
    columns, `hits` / `p_hits` for ordinal levels, `tl` the target level, target, target_pro
    and the group's scope and keys). `breakdowns`: the part and coverage columns `agg` has
    (all of them by default); the others are written empty."""
    j = json_pieces(vendor)
    timestamp = "TIMESTAMP WITH TIME ZONE" if vendor == "postgresql" else "TEXT"
    present = set(PARTS + COVERAGE if breakdowns is None else breakdowns)
    dim_of = {column: dim for dim, _cat, column in BREAKDOWN_PARTS}
    # A part counts only where some update gave that breakdown (not 0 for "none given").
    parts = "".join(
        f",\n        CASE WHEN g.covered_{dim_of[c]}_updates > 0 THEN g.{c} END AS {c}"
        for c in PARTS
        if c in present
    ) + "".join(
        f", COALESCE(g.{c}, 0) AS {c}"
        if c.endswith("_updates")
        else f", CASE WHEN g.{c.replace('_total', '_updates')} > 0 THEN g.{c} END AS {c}"
        for c in COVERAGE
        if c in present
    )
    out_parts = "".join(
        f", f.{c}" if c in present else (", 0" if c.endswith("_updates") else ", NULL")
        for c in [*PARTS, *COVERAGE]
    )

    def actual(p: str) -> str:
        return f"""ROUND(CASE WHEN g.{p}_cnt = 0 THEN NULL
            WHEN i.measure = 'number' THEN g.{p}_val
            WHEN i.measure = 'percentage' THEN
                CASE WHEN g.{p}_den > 0 THEN 100.0 * g.{p}_num / g.{p}_den END
            WHEN i.measure = 'yes_no' THEN g.{p}_val
            WHEN i.measure = 'ordinal' THEN CASE WHEN g.tl IS NOT NULL THEN g.{p}_hits END
            ELSE g.{p}_cnt END, 4)"""

    # Each step is computed once: inlined, every reference to a column of the step before
    # would evaluate that column's whole expression again.
    return f"""f1 AS MATERIALIZED (
    SELECT g.ind_id, g.scope, g.region_id, g.office_id, g.per_id, g.span, g.dist,
        g.a_cnt, g.a_off, g.p_cnt, i.measure, g.target, g.target_pro,
        CASE WHEN i.measure = 'qualitative' THEN NULL
            WHEN i.sumtgt = 1 THEN 0
            WHEN i.measure = 'number' AND g.scope <> 'global' THEN 0
            ELSE i.base END AS b,
        {actual("a")} AS actual,
        {actual("p")} AS prov,
        ROUND(CASE WHEN g.p_cnt = 0 THEN NULL
            WHEN i.measure = 'percentage' THEN g.p_num END, 4) AS prov_num,
        ROUND(CASE WHEN g.p_cnt = 0 THEN NULL
            WHEN i.measure = 'percentage' THEN g.p_den END, 4) AS prov_den,
        ROUND(CASE WHEN g.a_cnt = 0 THEN NULL
            WHEN i.measure = 'percentage' THEN g.a_num
            WHEN i.measure = 'yes_no' THEN g.a_val
            WHEN i.measure = 'ordinal' AND g.tl IS NOT NULL THEN g.a_hits END, 4) AS numerator,
        ROUND(CASE WHEN g.a_cnt = 0 THEN NULL
            WHEN i.measure = 'percentage' THEN g.a_den
            WHEN i.measure IN ('yes_no', 'ordinal') THEN g.a_cnt END, 4) AS denominator,
        CASE WHEN g.a_cnt = 0 THEN NULL
            WHEN i.measure = 'yes_no' THEN ROUND(100.0 * g.a_val / g.a_cnt, 4)
            WHEN i.measure = 'ordinal' AND g.tl IS NOT NULL
                THEN ROUND(100.0 * g.a_hits / g.a_cnt, 4) END AS share{parts}
    FROM agg g JOIN ind i ON i.ind_id = g.ind_id
),
f2 AS MATERIALIZED (
    SELECT f.*,
        CASE WHEN f.actual IS NULL OR f.target IS NULL THEN NULL
            WHEN f.measure = 'ordinal' THEN ROUND(f.share / 100.0, 4)
            WHEN f.target = f.b THEN NULL
            WHEN f.measure = 'yes_no' THEN ROUND((f.share - f.b) / (f.target - f.b), 4)
            ELSE ROUND((f.actual - f.b) / (f.target - f.b), 4) END AS prog
    FROM f1 f
),
f3 AS MATERIALIZED (
    SELECT f.*,
        CASE WHEN f.prog IS NULL THEN NULL
            WHEN f.measure = 'ordinal' OR f.target_pro IS NULL OR f.target_pro = f.b THEN f.prog
            WHEN f.measure = 'yes_no' THEN ROUND((f.share - f.b) / (f.target_pro - f.b), 4)
            ELSE ROUND((f.actual - f.b) / (f.target_pro - f.b), 4) END AS ratio,
        CASE WHEN f.prog > 99999999 THEN 99999999 WHEN f.prog < -99999999 THEN -99999999
            ELSE f.prog END AS progress
    FROM f2 f
),
f4 AS (
    SELECT f.*,
        CASE WHEN f.ratio > 99999999 THEN 99999999 WHEN f.ratio < -99999999 THEN -99999999
            ELSE f.ratio END AS pace
    FROM f3 f
)
SELECT f.ind_id, f.scope, f.region_id, f.office_id, f.per_id, f.span,
    f.actual, f.numerator, f.denominator, f.share, COALESCE(f.dist, {j["empty"]}),
    f.target, f.target_pro, f.b, f.progress, f.pace,
    {status_band_sql(has_data="f.a_cnt > 0", progress="f.progress", pace="f.pace")},
    f.a_cnt, f.a_off, f.prov, f.prov_num, f.prov_den, f.p_cnt{out_parts},
    CAST(%(computed_at)s AS {timestamp})
FROM f4 f"""


def hits_sql(set_: str, target_join: str) -> str:
    """Offices at or above the target level, per group and window (ordinal)."""
    return f"""SELECT l.ind_id, l.grp, l.per_id, l.span,
        SUM(CASE WHEN l.lvl >= {target_join} THEN l.cnt ELSE 0 END) AS hits
    FROM lw{set_} l"""
