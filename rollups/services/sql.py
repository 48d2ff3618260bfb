"""The one set-based statement that computes roll-up rows (PostgreSQL and SQLite).

`rollup_insert_sql` returns `WITH … INSERT INTO reporting_rollup … SELECT …` for a set of
indicators (`ind_filter`) and of (end period, span) windows (`win_filter`). The steps, as CTEs:

1. `ind`, `per`, `win`: the indicators, their strategy's periods numbered (seq in the strategy,
   k of n in the year), and the windows to write.
2. `upd`, `pairs`, `cell`: approved and submitted updates that carry a figure, on a dense grid of
   (indicator, office that reported, period) so that running window functions can carry values.
3. `run`, `ow`, `oc`: per office and window, running sums (cumulative indicators add their
   periods) and the latest period with a figure (non-cumulative ones take that value), for the
   approved set and the provisional (approved + submitted) set.
4. `ys`, `st`, `stt`: yearly targets per entity (global, office, region = sum of its assigned
   offices' targets for number indicators) turned into the span's target and pro-rated target.
5. `agg`: office rows, region and global sums over the office rows; `dist`: ordinal distributions.
6. `f1`…`f3`: actual, numerator/denominator, share, progress and status by the measure's rule.

Everything is recomputed from the source rows; nothing is incremented.
"""

from __future__ import annotations

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office
from outcomes.models import Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.bands import status_band_sql
from rollups.models import Rollup

RATES = "('percentage', 'yes_no', 'ordinal')"

_COLUMNS = (
    "indicator_id, scope, region_id, office_id, period_id, span, actual, numerator, "
    "denominator, share, distribution, target, target_prorated, baseline, progress, pace, status, "
    "updates_count, offices_count, provisional_actual, provisional_updates_count, computed_at"
)


def _json(vendor: str) -> tuple[str, str]:
    """Return the vendor's JSON object aggregate (key, value) and an empty JSON object."""
    if vendor == "postgresql":
        return "CAST(json_object_agg(lvl, cnt) AS jsonb)", "CAST('{}' AS jsonb)"
    return "json_group_object(lvl, cnt)", "'{}'"


def _actual(p: str) -> str:
    """The measure's figure from the aggregated columns of set `p` (a: approved, p: provisional)."""
    return f"""ROUND(CASE WHEN g.{p}_cnt = 0 THEN NULL
        WHEN i.measure = 'number' THEN g.{p}_val
        WHEN i.measure = 'percentage' THEN
            CASE WHEN g.{p}_den > 0 THEN 100.0 * g.{p}_num / g.{p}_den END
        WHEN i.measure = 'yes_no' THEN g.{p}_val
        WHEN i.measure = 'ordinal' THEN CASE WHEN g.tl IS NOT NULL THEN g.{p}_hit END
        ELSE g.{p}_cnt END, 4)"""


def rollup_insert_sql(*, vendor: str, ind_filter: str, win_filter: str) -> str:
    """Return the INSERT … SELECT for the given indicator and window filters.

    `ind_filter` is a condition on an indicator id column written `{col}`; it is applied to
    every table read by indicator, so that each can use its index.

    Named parameters: those of the filters, plus computed_at, band_achieved, band_on_track and
    band_at_risk.
    """
    json_agg, json_empty = _json(vendor)
    t_ind, t_strategy = Indicator._meta.db_table, Strategy._meta.db_table
    t_per, t_upd = ReportingPeriod._meta.db_table, IndicatorUpdate._meta.db_table
    t_office, t_target = Office._meta.db_table, IndicatorTarget._meta.db_table
    t_assign, t_rollup = Assignment._meta.db_table, Rollup._meta.db_table

    # Running sums (s: strategy to date, y: year to date) and the last period with a figure.
    def running(sfx: str, window: str) -> str:
        return f""",
        SUM(c.a_has) OVER {window} AS a_cnt_{sfx},
        SUM(c.a_has * c.val) OVER {window} AS a_val_{sfx},
        SUM(c.a_has * c.num) OVER {window} AS a_num_{sfx},
        SUM(c.a_has * c.den) OVER {window} AS a_den_{sfx},
        SUM(c.p_has) OVER {window} AS p_cnt_{sfx},
        SUM(c.val) OVER {window} AS p_val_{sfx},
        SUM(c.num) OVER {window} AS p_num_{sfx},
        SUM(c.den) OVER {window} AS p_den_{sfx},
        MAX(CASE WHEN c.a_has = 1 THEN c.seq END) OVER {window} AS a_last_{sfx},
        MAX(CASE WHEN c.p_has = 1 THEN c.seq END) OVER {window} AS p_last_{sfx}"""

    def ow_branch(span: str, sfx: str) -> str:
        return f"""SELECT r.ind_id, r.office_id, r.region_id, r.per_id, '{span}' AS span,
            r.a_cnt_{sfx} AS a_cnt, r.a_val_{sfx} AS a_val, r.a_num_{sfx} AS a_num,
            r.a_den_{sfx} AS a_den, r.p_cnt_{sfx} AS p_cnt, r.p_val_{sfx} AS p_val,
            r.p_num_{sfx} AS p_num, r.p_den_{sfx} AS p_den,
            r.a_last_{sfx} AS a_last, r.p_last_{sfx} AS p_last
        FROM run r"""  # noqa: S608 (table and column names from code, values are parameters)

    # For an office row: its own target for the year, else (rates only) the global one.
    def office_target(col: str) -> str:
        return f"""CASE WHEN so.ty IS NOT NULL THEN so.{col}
            WHEN i.measure IN {RATES} THEN sg.{col} END"""

    def sums(group_cols: str, where: str) -> str:
        return f"""SELECT {group_cols}, oc.per_id, oc.span,
            SUM(oc.a_cnt) AS a_cnt, SUM(CASE WHEN oc.a_cnt > 0 THEN 1 ELSE 0 END) AS offices,
            SUM(oc.a_val) AS a_val, SUM(oc.a_num) AS a_num, SUM(oc.a_den) AS a_den,
            SUM(CASE WHEN oc.a_cnt > 0 AND oc.a_val >= oc.tl_g THEN 1 ELSE 0 END) AS a_hit,
            SUM(oc.p_cnt) AS p_cnt, SUM(oc.p_val) AS p_val, SUM(oc.p_num) AS p_num,
            SUM(oc.p_den) AS p_den,
            SUM(CASE WHEN oc.p_cnt > 0 AND oc.p_val >= oc.tl_g THEN 1 ELSE 0 END) AS p_hit
        FROM occ oc {where}
        GROUP BY {group_cols}, oc.per_id, oc.span"""  # noqa: S608

    return f"""
WITH
ind AS (
    SELECT i.id AS ind_id, i.strategy_id, i.measure,
        CASE WHEN i.cumulative AND i.measure <> 'ordinal' THEN 1 ELSE 0 END AS cum,
        CASE WHEN i.cumulative AND i.measure = 'number' THEN 1 ELSE 0 END AS sumtgt,
        COALESCE(i.baseline_value, 0) AS base,
        COALESCE(i.baseline_year, s.start_year - 1) AS base_year
    FROM {t_ind} i JOIN {t_strategy} s ON s.id = i.strategy_id
    WHERE {ind_filter.format(col="i.id")}
),
per AS (
    SELECT p.id AS per_id, p.strategy_id, p.year,
        ROW_NUMBER() OVER (PARTITION BY p.strategy_id ORDER BY p.start_date) AS seq,
        ROW_NUMBER() OVER (PARTITION BY p.strategy_id, p.year ORDER BY p.start_date) AS k,
        COUNT(*) OVER (PARTITION BY p.strategy_id, p.year) AS n
    FROM {t_per} p
    WHERE p.strategy_id IN (SELECT strategy_id FROM ind)
),
spans AS (SELECT 'period' AS span UNION ALL SELECT 'ytd' UNION ALL SELECT 'std'),
win AS (
    SELECT per.per_id, per.strategy_id, per.year, per.seq, per.k, per.n, spans.span
    FROM per CROSS JOIN spans
    WHERE {win_filter}
),
upd AS (
    SELECT u.indicator_id AS ind_id, u.office_id, u.period_id AS per_id,
        CASE WHEN u.status = 'approved' THEN 1 ELSE 0 END AS a_has,
        CASE WHEN i.measure = 'qualitative' THEN 1 ELSE u.value END AS val,
        u.numerator AS num, u.denominator AS den
    FROM {t_upd} u JOIN ind i ON i.ind_id = u.indicator_id
    WHERE {ind_filter.format(col="u.indicator_id")}
        AND u.status IN ('approved', 'submitted')
        AND ((i.measure = 'qualitative' AND TRIM(u.text) <> '')
            OR (i.measure = 'percentage' AND u.numerator IS NOT NULL AND u.denominator > 0)
            OR (i.measure NOT IN ('qualitative', 'percentage') AND u.value IS NOT NULL))
),
pairs AS (SELECT DISTINCT ind_id, office_id FROM upd),
cell AS (
    SELECT pr.ind_id, pr.office_id, o.region_id, pe.per_id, pe.year, pe.seq,
        COALESCE(u.a_has, 0) AS a_has,
        CASE WHEN u.ind_id IS NULL THEN 0 ELSE 1 END AS p_has,
        u.val, u.num, u.den
    FROM pairs pr
    JOIN ind i ON i.ind_id = pr.ind_id
    JOIN per pe ON pe.strategy_id = i.strategy_id
    JOIN {t_office} o ON o.id = pr.office_id
    LEFT JOIN upd u
        ON u.ind_id = pr.ind_id AND u.office_id = pr.office_id AND u.per_id = pe.per_id
),
run AS (
    SELECT c.ind_id, c.office_id, c.region_id, c.per_id, c.seq,
        c.a_has AS a_cnt_p, c.a_has * c.val AS a_val_p, c.a_has * c.num AS a_num_p,
        c.a_has * c.den AS a_den_p, c.p_has AS p_cnt_p, c.val AS p_val_p, c.num AS p_num_p,
        c.den AS p_den_p,
        CASE WHEN c.a_has = 1 THEN c.seq END AS a_last_p,
        CASE WHEN c.p_has = 1 THEN c.seq END AS p_last_p
        {running("s", "ws")}
        {running("y", "wy")}
    FROM cell c
    WINDOW ws AS (PARTITION BY c.ind_id, c.office_id ORDER BY c.seq ROWS UNBOUNDED PRECEDING),
        wy AS (PARTITION BY c.ind_id, c.office_id, c.year ORDER BY c.seq
            ROWS UNBOUNDED PRECEDING)
),
ow AS (
    {ow_branch("period", "p")}
    UNION ALL
    {ow_branch("ytd", "y")}
    UNION ALL
    {ow_branch("std", "s")}
),
oc AS (
    SELECT ow.ind_id, ow.office_id, ow.region_id, ow.per_id, ow.span,
        CASE WHEN i.cum = 1 THEN ow.a_cnt WHEN ow.a_last IS NULL THEN 0 ELSE 1 END AS a_cnt,
        CASE WHEN i.cum = 1 THEN ow.a_val ELSE la.val END AS a_val,
        CASE WHEN i.cum = 1 THEN ow.a_num ELSE la.num END AS a_num,
        CASE WHEN i.cum = 1 THEN ow.a_den ELSE la.den END AS a_den,
        CASE WHEN i.cum = 1 THEN ow.p_cnt ELSE 1 END AS p_cnt,
        CASE WHEN i.cum = 1 THEN ow.p_val ELSE lp.val END AS p_val,
        CASE WHEN i.cum = 1 THEN ow.p_num ELSE lp.num END AS p_num,
        CASE WHEN i.cum = 1 THEN ow.p_den ELSE lp.den END AS p_den
    FROM ow
    JOIN win w ON w.per_id = ow.per_id AND w.span = ow.span
    JOIN ind i ON i.ind_id = ow.ind_id
    LEFT JOIN cell la
        ON la.ind_id = ow.ind_id AND la.office_id = ow.office_id AND la.seq = ow.a_last
    LEFT JOIN cell lp
        ON lp.ind_id = ow.ind_id AND lp.office_id = ow.office_id AND lp.seq = ow.p_last
    WHERE ow.p_last IS NOT NULL
),
yrs AS (SELECT DISTINCT strategy_id, year FROM per),
ys AS (
    SELECT t.indicator_id AS ind_id,
        CASE WHEN t.office_id IS NULL THEN 'g' ELSE 'o' END AS ent_kind,
        COALESCE(t.office_id, 0) AS ent_id, t.year, t.value
    FROM {t_target} t
    JOIN ind i ON i.ind_id = t.indicator_id
    JOIN yrs y ON y.strategy_id = i.strategy_id AND y.year = t.year
    WHERE {ind_filter.format(col="t.indicator_id")}
    UNION ALL
    SELECT a.indicator_id, 'r', o.region_id, y.year, SUM(t.value)
    FROM {t_assign} a
    JOIN ind i ON i.ind_id = a.indicator_id AND i.measure = 'number'
    JOIN {t_office} o ON o.id = a.office_id AND o.region_id IS NOT NULL
    JOIN yrs y ON y.strategy_id = i.strategy_id
    LEFT JOIN {t_target} t
        ON t.indicator_id = a.indicator_id AND t.office_id = a.office_id AND t.year = y.year
    WHERE a.is_active AND {ind_filter.format(col="a.indicator_id")}
    GROUP BY a.indicator_id, o.region_id, y.year
    HAVING COUNT(t.id) = COUNT(*)
),
st AS (
    SELECT ys.ind_id, ys.ent_kind, ys.ent_id, w.per_id, w.span, w.year, w.k, w.n,
        MAX(CASE WHEN ys.year = w.year THEN ys.value END) AS ty,
        SUM(CASE WHEN ys.year < w.year THEN ys.value ELSE 0 END) AS tb
    FROM ys
    JOIN ind i ON i.ind_id = ys.ind_id
    JOIN win w ON w.strategy_id = i.strategy_id AND ys.year <= w.year
    GROUP BY ys.ind_id, ys.ent_kind, ys.ent_id, w.per_id, w.span, w.year, w.k, w.n
),
stb AS (
    SELECT st.*, i.sumtgt, i.measure,
        CASE WHEN i.sumtgt = 1 OR i.measure = 'ordinal'
            OR (i.measure = 'number' AND st.ent_kind <> 'g') THEN 0 ELSE i.base END AS b,
        CASE WHEN st.year > i.base_year
            THEN ((st.year - i.base_year - 1) * st.n + st.k) * 1.0
                / ((st.year - i.base_year) * st.n)
            ELSE 1 END AS frac
    FROM st JOIN ind i ON i.ind_id = st.ind_id
    WHERE st.ty IS NOT NULL AND i.measure <> 'qualitative'
),
stt AS (
    SELECT s.ind_id, s.ent_kind, s.ent_id, s.per_id, s.span, s.ty,
        ROUND(CASE WHEN s.sumtgt = 1 AND s.span = 'period' THEN s.ty * 1.0 / s.n
            WHEN s.sumtgt = 1 AND s.span = 'std' THEN s.tb + s.ty
            ELSE s.ty END, 4) AS target,
        ROUND(CASE WHEN s.sumtgt = 1 AND s.span = 'period' THEN s.ty * 1.0 / s.n
            WHEN s.sumtgt = 1 AND s.span = 'ytd' THEN s.ty * s.k * 1.0 / s.n
            WHEN s.sumtgt = 1 THEN s.tb + s.ty * s.k * 1.0 / s.n
            WHEN s.measure = 'ordinal' THEN s.ty
            ELSE s.b + (s.ty - s.b) * s.frac END, 4) AS target_pro
    FROM stb s
),
occ AS (
    SELECT oc.*,
        {office_target("ty")} AS tl_o,
        {office_target("target")} AS target_o,
        {office_target("target_pro")} AS target_pro_o,
        sg.ty AS tl_g
    FROM oc
    JOIN ind i ON i.ind_id = oc.ind_id
    LEFT JOIN stt so ON so.ind_id = oc.ind_id AND so.ent_kind = 'o'
        AND so.ent_id = oc.office_id AND so.per_id = oc.per_id AND so.span = oc.span
    LEFT JOIN stt sg ON sg.ind_id = oc.ind_id AND sg.ent_kind = 'g'
        AND sg.per_id = oc.per_id AND sg.span = oc.span
),
rg AS ({sums("oc.ind_id, oc.region_id", "WHERE oc.region_id IS NOT NULL")}),
gg AS ({sums("oc.ind_id", "")}),
agg AS (
    SELECT oc.ind_id, 'office' AS scope, oc.region_id, oc.office_id, oc.office_id AS ent_id,
        oc.per_id, oc.span, oc.a_cnt, CASE WHEN oc.a_cnt > 0 THEN 1 ELSE 0 END AS offices,
        oc.a_val, oc.a_num, oc.a_den,
        CASE WHEN oc.a_cnt > 0 AND oc.a_val >= oc.tl_o THEN 1 ELSE 0 END AS a_hit,
        oc.p_cnt, oc.p_val, oc.p_num, oc.p_den,
        CASE WHEN oc.p_cnt > 0 AND oc.p_val >= oc.tl_o THEN 1 ELSE 0 END AS p_hit,
        oc.tl_o AS tl, oc.target_o AS target, oc.target_pro_o AS target_pro
    FROM occ oc
    UNION ALL
    SELECT rg.ind_id, 'region', rg.region_id, NULL, rg.region_id, rg.per_id, rg.span,
        rg.a_cnt, rg.offices, rg.a_val, rg.a_num, rg.a_den, rg.a_hit,
        rg.p_cnt, rg.p_val, rg.p_num, rg.p_den, rg.p_hit, sg.ty,
        CASE WHEN i.measure = 'number' THEN sr.target
            WHEN i.measure IN {RATES} THEN sg.target END,
        CASE WHEN i.measure = 'number' THEN sr.target_pro
            WHEN i.measure IN {RATES} THEN sg.target_pro END
    FROM rg
    JOIN ind i ON i.ind_id = rg.ind_id
    LEFT JOIN stt sr ON sr.ind_id = rg.ind_id AND sr.ent_kind = 'r'
        AND sr.ent_id = rg.region_id AND sr.per_id = rg.per_id AND sr.span = rg.span
    LEFT JOIN stt sg ON sg.ind_id = rg.ind_id AND sg.ent_kind = 'g'
        AND sg.per_id = rg.per_id AND sg.span = rg.span
    UNION ALL
    SELECT i.ind_id, 'global', NULL, NULL, 0, w.per_id, w.span,
        COALESCE(gg.a_cnt, 0), COALESCE(gg.offices, 0), gg.a_val, gg.a_num, gg.a_den,
        COALESCE(gg.a_hit, 0), COALESCE(gg.p_cnt, 0), gg.p_val, gg.p_num, gg.p_den,
        COALESCE(gg.p_hit, 0), sg.ty, sg.target, sg.target_pro
    FROM ind i
    JOIN win w ON w.strategy_id = i.strategy_id
    LEFT JOIN gg ON gg.ind_id = i.ind_id AND gg.per_id = w.per_id AND gg.span = w.span
    LEFT JOIN stt sg ON sg.ind_id = i.ind_id AND sg.ent_kind = 'g'
        AND sg.per_id = w.per_id AND sg.span = w.span
),
lv AS (
    SELECT oc.ind_id, oc.region_id, oc.office_id, oc.per_id, oc.span,
        CAST(CAST(oc.a_val AS INTEGER) AS TEXT) AS lvl
    FROM occ oc JOIN ind i ON i.ind_id = oc.ind_id
    WHERE i.measure = 'ordinal' AND oc.a_cnt > 0
),
dist_rows AS (
    SELECT ind_id, 'office' AS scope, office_id AS ent_id, per_id, span, lvl, 1 AS cnt FROM lv
    UNION ALL
    SELECT ind_id, 'region', region_id, per_id, span, lvl, COUNT(*) FROM lv
    WHERE region_id IS NOT NULL GROUP BY ind_id, region_id, per_id, span, lvl
    UNION ALL
    SELECT ind_id, 'global', 0, per_id, span, lvl, COUNT(*) FROM lv
    GROUP BY ind_id, per_id, span, lvl
),
dist AS (
    SELECT ind_id, scope, ent_id, per_id, span, {json_agg} AS d
    FROM dist_rows GROUP BY ind_id, scope, ent_id, per_id, span
),
f1 AS (
    SELECT g.ind_id, g.scope, g.region_id, g.office_id, g.ent_id, g.per_id, g.span,
        g.a_cnt, g.offices, g.p_cnt, i.measure, g.target, g.target_pro,
        CASE WHEN i.measure = 'qualitative' THEN NULL
            WHEN i.sumtgt = 1 OR i.measure = 'ordinal' THEN 0
            WHEN i.measure = 'number' AND g.scope <> 'global' THEN 0
            ELSE i.base END AS b,
        {_actual("a")} AS actual,
        {_actual("p")} AS prov,
        ROUND(CASE WHEN g.a_cnt = 0 THEN NULL
            WHEN i.measure = 'percentage' THEN g.a_num
            WHEN i.measure = 'yes_no' THEN g.a_val
            WHEN i.measure = 'ordinal' AND g.tl IS NOT NULL THEN g.a_hit END, 4) AS numerator,
        ROUND(CASE WHEN g.a_cnt = 0 THEN NULL
            WHEN i.measure = 'percentage' THEN g.a_den
            WHEN i.measure IN ('yes_no', 'ordinal') THEN g.a_cnt END, 4) AS denominator,
        CASE WHEN g.a_cnt = 0 THEN NULL
            WHEN i.measure = 'yes_no' THEN ROUND(100.0 * g.a_val / g.a_cnt, 4)
            WHEN i.measure = 'ordinal' AND g.tl IS NOT NULL
                THEN ROUND(100.0 * g.a_hit / g.a_cnt, 4) END AS share
    FROM agg g JOIN ind i ON i.ind_id = g.ind_id
),
f2 AS (
    SELECT f.*,
        CASE WHEN f.actual IS NULL OR f.target IS NULL THEN NULL
            WHEN f.measure = 'ordinal' THEN ROUND(f.share / 100.0, 4)
            WHEN f.target = f.b THEN NULL
            WHEN f.measure = 'yes_no' THEN ROUND((f.share - f.b) / (f.target - f.b), 4)
            ELSE ROUND((f.actual - f.b) / (f.target - f.b), 4) END AS prog
    FROM f1 f
),
f3 AS (
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
INSERT INTO {t_rollup} ({_COLUMNS})
SELECT f.ind_id, f.scope, f.region_id, f.office_id, f.per_id, f.span,
    f.actual, f.numerator, f.denominator, f.share, COALESCE(d.d, {json_empty}),
    f.target, f.target_pro, f.b, f.progress, f.pace,
    {status_band_sql(has_data="f.a_cnt > 0", progress="f.progress", pace="f.pace")},
    f.a_cnt, f.offices, f.prov, f.p_cnt, %(computed_at)s
FROM f4 f
LEFT JOIN dist d ON d.ind_id = f.ind_id AND d.scope = f.scope AND d.ent_id = f.ent_id
    AND d.per_id = f.per_id AND d.span = f.span
"""  # noqa: S608
