"""The one family of set-based statements that computes roll-up figures (PostgreSQL and SQLite).

Readers see figures for three kinds of *group*: a bucket of offices (each region, and the
headquarters units that belong to no region), the whole organisation (global), and one office.
Bucket and global rows are stored (`Rollup`); an office's figures are computed on request
from its updates, by the same statement text with the office as the group. Global rows are the
sum of the bucket rows, so an approval recomputes its own bucket and then global from stored
rows, never the other regions' updates.

The steps (CTEs), shared by every statement:

1. `ind`, `per`, `win`: the indicators, their strategy's periods numbered (seq in the strategy,
   k of n in the year) and the (end period, span) windows to write.
2. `upd`: approved and submitted updates that carry a figure, with their breakdown parts.
3. `da` / `dp`: the approved set and the provisional set (approved + submitted) in period order
   per office, each row knowing the office's previous figure. A row *contributes* to the span
   windows ending at or after it: a cumulative indicator adds its figure; a level (non-
   cumulative, and every ordinal) replaces the office's previous one, i.e. adds the difference
   (so summing contributions gives each office's latest figure in the window). `lv…` do the
   same for ordinal levels (+1 at the new level, −1 at the old one).
4. `ga` / `gp` / `run`: contributions summed per group and period, then running sums over the
   periods (strategy to date; year to date restarting each year) on a dense grid of periods.
5. `ys`, `st`, `stt`: yearly targets per entity (global; an office's own; a bucket's = the sum
   of its assigned offices' own targets for number indicators) turned into the span's target
   and pro-rated target.
6. `f1`…`f4`: actual, numerator/denominator, share, baseline, progress, pace and status by the
   measure's rule (rollups.bands for the bands).

Everything is recomputed from the source rows; nothing is incremented.
"""

from __future__ import annotations

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office
from outcomes.models import Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.bands import status_band_sql
from rollups.models import BREAKDOWN_DIMENSIONS, BREAKDOWN_PARTS, Rollup

# The scale-free measures: an office's or a bucket's target falls back to the global one.
RATES = "(" + ", ".join(f"'{m}'" for m in sorted(Indicator.SCALE_FREE_MEASURES)) + ")"

# What is summed per group and window (a: approved, p: provisional). Each column is the sum
# of the office rows' contributions.
_PARTS = [column for _dim, _cat, column in BREAKDOWN_PARTS]
_COVERAGE = [f"covered_{dim}_updates" for dim in BREAKDOWN_DIMENSIONS] + [
    f"covered_{dim}_total" for dim in BREAKDOWN_DIMENSIONS
]
_A_COLUMNS = ["a_val", "a_num", "a_den", "a_cnt", "a_off", *_PARTS, *_COVERAGE]
_P_COLUMNS = ["p_val", "p_num", "p_den", "p_cnt", "p_off"]
SPANS = ("period", "ytd", "std")

OUTPUT_COLUMNS = [
    "indicator_id", "scope", "region_id", "office_id", "period_id", "span", "actual",
    "numerator", "denominator", "share", "distribution", "target", "target_prorated", "baseline",
    "progress", "pace", "status", "updates_count", "offices_count", "provisional_actual",
    "provisional_numerator", "provisional_denominator", "provisional_updates_count",
    *_PARTS, *_COVERAGE, "computed_at",
]  # fmt: skip


def _json(vendor: str) -> dict[str, str]:
    """Return the vendor's JSON pieces."""
    if vendor == "postgresql":
        return {
            "agg": "CAST(json_object_agg(lvl, cnt) AS jsonb)",
            "empty": "CAST('{}' AS jsonb)",
            "part": "CAST(u.disaggregations -> '{dim}' ->> '{cat}' AS NUMERIC)",
            "has_dim": "CASE WHEN i.disaggregations @> '[\"{dim}\"]' THEN 1 ELSE 0 END",
            "each": "jsonb_each_text(r.distribution) AS e(key, value)",
        }
    return {
        "agg": "json_group_object(lvl, cnt)",
        "empty": "'{}'",
        "part": "CAST(json_extract(u.disaggregations, '$.{dim}.{cat}') AS NUMERIC)",
        "has_dim": (
            "CASE WHEN EXISTS (SELECT 1 FROM json_each(i.disaggregations) j "
            "WHERE j.value = '{dim}') THEN 1 ELSE 0 END"
        ),
        "each": "json_each(r.distribution) AS e",
    }


def _tables() -> dict[str, str]:
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


def _frame_ctes(*, vendor: str, ind_filter: str, win_filter: str) -> str:
    j, t = _json(vendor), _tables()
    dims = "".join(
        f",\n        {j['has_dim'].format(dim=dim)} AS d_{dim}" for dim in BREAKDOWN_DIMENSIONS
    )
    return f"""ind AS (
    SELECT i.id AS ind_id, i.strategy_id, i.measure, s.start_year,
        CASE WHEN i.cumulative AND i.measure <> 'ordinal' THEN 1 ELSE 0 END AS cum,
        CASE WHEN i.cumulative AND i.measure = 'number' THEN 1 ELSE 0 END AS sumtgt,
        COALESCE(i.baseline_value, 0) AS base,
        COALESCE(i.baseline_year, s.start_year - 1) AS base_year{dims}
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


def _contribution_ctes(*, vendor: str, ind_filter: str, group: str, group_filter: str) -> str:
    """Return the CTEs up to `gw`: one row per (indicator, group, window) with the summed
    figures of both sets. `group` is the expression of an update's group (on `u` and `o`)."""
    j, t = _json(vendor), _tables()
    dim_of = {column: dim for dim, _cat, column in BREAKDOWN_PARTS}
    parts = "".join(
        f",\n        CASE WHEN i.d_{dim} = 1 THEN {j['part'].format(dim=dim, cat=cat)} END AS {col}"
        for dim, cat, col in BREAKDOWN_PARTS
    )
    lag = lambda c: f"LAG({c}) OVER w AS prev_{c}"  # noqa: E731
    a_lags = ", ".join(lag(c) for c in ["val", "num", "den", *_PARTS])

    def coverage(prefix: str) -> list[tuple[str, str]]:
        """(column, expression of one row) of the coverage columns, on `d.` or `d.prev_`."""
        out = []
        for dim in BREAKDOWN_DIMENSIONS:
            cols = [c for c in _PARTS if dim_of[c] == dim]
            given = " OR ".join(f"d.{prefix}{c} IS NOT NULL" for c in cols)
            has = f"CASE WHEN {given} THEN 1 ELSE 0 END"
            total = f"CASE WHEN i.measure = 'percentage' THEN d.{prefix}num ELSE d.{prefix}val END"
            out.append((f"covered_{dim}_updates", has))
            out.append((f"covered_{dim}_total", f"({has}) * COALESCE({total}, 0)"))
        return out

    def contributions(set_: str) -> str:
        """Per office row, what it adds to the windows ending at or after it: columns
        <name>_p (its own period), <name>_y (year to date) and <name>_s (strategy to date),
        for each name of the set's sums."""
        first_y = "(d.prev_year IS NULL OR d.prev_year <> d.year)"
        exprs = []

        def spans(name: str, now: str, before: str, *, raw: str | None = None) -> None:
            """A level replaces the office's previous one: it adds now − before."""
            raw = raw or now
            exprs.extend(
                [
                    f"{raw} AS {name}_p",
                    f"CASE WHEN i.cum = 1 THEN {raw} ELSE {now} - {before} END AS {name}_s",
                    f"CASE WHEN i.cum = 1 OR {first_y} THEN {raw} ELSE {now} - {before} END"
                    f" AS {name}_y",
                ]
            )

        for c in ("val", "num", "den"):
            spans(f"{set_}_{c}", f"d.{c}", f"COALESCE(d.prev_{c}, 0)")
        exprs += [
            f"1 AS {set_}_cnt_p",
            f"CASE WHEN i.cum = 1 OR d.prev_seq IS NULL THEN 1 ELSE 0 END AS {set_}_cnt_s",
            f"CASE WHEN i.cum = 1 OR {first_y} THEN 1 ELSE 0 END AS {set_}_cnt_y",
            f"1 AS {set_}_off_p",
            f"CASE WHEN d.prev_seq IS NULL THEN 1 ELSE 0 END AS {set_}_off_s",
            f"CASE WHEN {first_y} THEN 1 ELSE 0 END AS {set_}_off_y",
        ]
        if set_ == "a":
            for c in _PARTS:
                spans(c, f"COALESCE(d.{c}, 0)", f"COALESCE(d.prev_{c}, 0)", raw=f"d.{c}")
            for (col, now), (_c, before) in zip(coverage(""), coverage("prev_"), strict=True):
                spans(col, f"({now})", f"({before})")
        return ",\n        ".join(exprs)

    def sums(set_: str) -> str:
        cols = _A_COLUMNS if set_ == "a" else _P_COLUMNS
        return ",\n        ".join(
            f"SUM(c.{name}_{sfx}) AS {name}_{sfx}" for name in cols for sfx in ("p", "y", "s")
        )

    def running(set_: str) -> str:
        cols = _A_COLUMNS if set_ == "a" else _P_COLUMNS
        out = []
        for name in cols:
            out += [
                f"g{set_}.{name}_p AS {name}_p",
                f"SUM(g{set_}.{name}_y) OVER wy AS {name}_y",
                f"SUM(g{set_}.{name}_s) OVER ws AS {name}_s",
            ]
        return ",\n        ".join(out)

    counts = {"a_cnt", "a_off", "p_cnt", "p_off", *(c for c in _COVERAGE if c.endswith("_updates"))}

    def unpivot(span: str, sfx: str) -> str:
        cols = ", ".join(
            f"COALESCE(r.{c}_{sfx}, 0) AS {c}" if c in counts else f"r.{c}_{sfx} AS {c}"
            for c in [*_A_COLUMNS, *_P_COLUMNS]
        )
        return f"""SELECT r.ind_id, r.grp, r.per_id, '{span}' AS span, {cols}
    FROM run r JOIN win w ON w.per_id = r.per_id AND w.span = '{span}'
    WHERE r.p_off_{sfx} > 0"""

    def level_rows(set_: str) -> str:
        """Ordinal levels: +1 at a row's level, −1 at the office's previous level."""
        src = "da" if set_ == "a" else "dp"
        return f"""SELECT d.ind_id, d.grp, d.seq, CAST(d.val AS INTEGER) AS lvl,
        1 AS d_p, 1 AS d_y, 1 AS d_s
    FROM {src} d JOIN ind i ON i.ind_id = d.ind_id WHERE i.measure = 'ordinal'
    UNION ALL
    SELECT d.ind_id, d.grp, d.seq, CAST(d.prev_val AS INTEGER),
        0, CASE WHEN d.prev_year = d.year THEN -1 ELSE 0 END, -1
    FROM {src} d JOIN ind i ON i.ind_id = d.ind_id
    WHERE i.measure = 'ordinal' AND d.prev_val IS NOT NULL"""

    def level_running(set_: str) -> str:
        return f"""SELECT lg.ind_id, lg.grp, pe.per_id, pe.year, pe.seq, lg.lvl,
        l.d_p AS c_p,
        SUM(l.d_y) OVER (PARTITION BY lg.ind_id, lg.grp, lg.lvl, pe.year ORDER BY pe.seq
            ROWS UNBOUNDED PRECEDING) AS c_y,
        SUM(l.d_s) OVER (PARTITION BY lg.ind_id, lg.grp, lg.lvl ORDER BY pe.seq
            ROWS UNBOUNDED PRECEDING) AS c_s
    FROM (SELECT DISTINCT ind_id, grp, lvl FROM lv{set_}0) lg
    JOIN ind i ON i.ind_id = lg.ind_id
    JOIN per pe ON pe.strategy_id = i.strategy_id
    LEFT JOIN (
        SELECT ind_id, grp, seq, lvl, SUM(d_p) AS d_p, SUM(d_y) AS d_y, SUM(d_s) AS d_s
        FROM lv{set_}0 GROUP BY ind_id, grp, seq, lvl
    ) l ON l.ind_id = lg.ind_id AND l.grp = lg.grp AND l.lvl = lg.lvl AND l.seq = pe.seq"""

    def level_windows(set_: str) -> str:
        branches = [
            f"""SELECT x.ind_id, x.grp, x.per_id, '{span}' AS span, x.lvl, x.c_{sfx} AS cnt
    FROM lv{set_}1 x JOIN win w ON w.per_id = x.per_id AND w.span = '{span}'
    WHERE x.c_{sfx} > 0"""
            for span, sfx in (("period", "p"), ("ytd", "y"), ("std", "s"))
        ]
        return "\n    UNION ALL\n    ".join(branches)

    return f"""upd AS (
    SELECT u.indicator_id AS ind_id, u.office_id, {group} AS grp, pe.per_id, pe.seq, pe.year,
        CASE WHEN u.status = 'approved' THEN 1 ELSE 0 END AS a,
        CASE WHEN i.measure = 'qualitative' THEN 1 ELSE u.value END AS val,
        u.numerator AS num, u.denominator AS den{parts}
    FROM {t["t_upd"]} u
    JOIN ind i ON i.ind_id = u.indicator_id
    JOIN per pe ON pe.per_id = u.period_id
    JOIN {t["t_office"]} o ON o.id = u.office_id
    WHERE {ind_filter.format(col="u.indicator_id")} AND {group_filter}
        AND u.status IN ('approved', 'submitted')
        AND ((i.measure = 'qualitative' AND TRIM(u.text) <> '')
            OR (i.measure = 'percentage' AND u.numerator IS NOT NULL AND u.denominator > 0)
            OR (i.measure NOT IN ('qualitative', 'percentage') AND u.value IS NOT NULL))
),
da AS (
    SELECT u.*, LAG(u.seq) OVER w AS prev_seq, LAG(u.year) OVER w AS prev_year, {a_lags}
    FROM upd u WHERE u.a = 1
    WINDOW w AS (PARTITION BY u.ind_id, u.office_id ORDER BY u.seq)
),
dp AS (
    SELECT u.ind_id, u.office_id, u.grp, u.per_id, u.seq, u.year, u.val, u.num, u.den,
        LAG(u.seq) OVER w AS prev_seq, LAG(u.year) OVER w AS prev_year,
        {lag("val")}, {lag("num")}, {lag("den")}
    FROM upd u
    WINDOW w AS (PARTITION BY u.ind_id, u.office_id ORDER BY u.seq)
),
ca AS (
    SELECT d.ind_id, d.grp, d.seq,
        {contributions("a")}
    FROM da d JOIN ind i ON i.ind_id = d.ind_id
),
cp AS (
    SELECT d.ind_id, d.grp, d.seq,
        {contributions("p")}
    FROM dp d JOIN ind i ON i.ind_id = d.ind_id
),
ga AS (
    SELECT c.ind_id, c.grp, c.seq,
        {sums("a")}
    FROM ca c GROUP BY c.ind_id, c.grp, c.seq
),
gp AS (
    SELECT c.ind_id, c.grp, c.seq,
        {sums("p")}
    FROM cp c GROUP BY c.ind_id, c.grp, c.seq
),
grid AS (
    SELECT gr.ind_id, gr.grp, pe.per_id, pe.seq, pe.year
    FROM (SELECT DISTINCT ind_id, grp FROM upd) gr
    JOIN ind i ON i.ind_id = gr.ind_id
    JOIN per pe ON pe.strategy_id = i.strategy_id
),
run AS (
    SELECT g.ind_id, g.grp, g.per_id, g.seq,
        {running("a")},
        {running("p")}
    FROM grid g
    LEFT JOIN ga ON ga.ind_id = g.ind_id AND ga.grp = g.grp AND ga.seq = g.seq
    LEFT JOIN gp ON gp.ind_id = g.ind_id AND gp.grp = g.grp AND gp.seq = g.seq
    WINDOW ws AS (PARTITION BY g.ind_id, g.grp ORDER BY g.seq ROWS UNBOUNDED PRECEDING),
        wy AS (PARTITION BY g.ind_id, g.grp, g.year ORDER BY g.seq ROWS UNBOUNDED PRECEDING)
),
gw AS (
    {unpivot("period", "p")}
    UNION ALL
    {unpivot("ytd", "y")}
    UNION ALL
    {unpivot("std", "s")}
),
lva0 AS ({level_rows("a")}),
lvp0 AS ({level_rows("p")}),
lva1 AS ({level_running("a")}),
lvp1 AS ({level_running("p")}),
lwa AS ({level_windows("a")}),
lwp AS ({level_windows("p")})"""


# --- 5. Targets -------------------------------------------------------------------------------


def _target_ctes(*, ind_filter: str, bucket_targets: bool) -> str:
    """Return `ys` … `stt`: each entity's target and pro-rated target per window. Entities:
    'g' global, 'o' an office's own, and with `bucket_targets` 'b' a bucket's (number
    indicators: the sum of its assigned offices' own targets, when each of them has one)."""
    t = _tables()
    buckets = ""
    if bucket_targets:
        buckets = f"""
    UNION ALL
    SELECT a.indicator_id, 'b', COALESCE(o.region_id, 0), y.year, SUM(t.value)
    FROM {t["t_assign"]} a
    JOIN ind i ON i.ind_id = a.indicator_id AND i.measure = 'number'
    JOIN {t["t_office"]} o ON o.id = a.office_id
    JOIN yrs y ON y.strategy_id = i.strategy_id
    LEFT JOIN {t["t_target"]} t
        ON t.indicator_id = a.indicator_id AND t.office_id = a.office_id AND t.year = y.year
    WHERE a.is_active AND {ind_filter.format(col="a.indicator_id")}
    GROUP BY a.indicator_id, COALESCE(o.region_id, 0), y.year
    HAVING COUNT(t.id) = COUNT(*)"""
    return f"""yrs AS (SELECT DISTINCT strategy_id, year FROM per),
ys AS (
    SELECT t.indicator_id AS ind_id,
        CASE WHEN t.office_id IS NULL THEN 'g' ELSE 'o' END AS ent_kind,
        COALESCE(t.office_id, 0) AS ent_id, t.year, t.value
    FROM {t["t_target"]} t
    JOIN ind i ON i.ind_id = t.indicator_id
    JOIN yrs y ON y.strategy_id = i.strategy_id AND y.year = t.year
    WHERE {ind_filter.format(col="t.indicator_id")}{buckets}
),
st AS (
    SELECT ys.ind_id, ys.ent_kind, ys.ent_id, w.per_id, w.span, w.year, w.k, w.n,
        MAX(CASE WHEN ys.year = w.year THEN ys.value END) AS ty,
        SUM(CASE WHEN ys.year < w.year THEN ys.value ELSE 0 END) AS tb,
        COUNT(*) AS years_with_target
    FROM ys
    JOIN ind i ON i.ind_id = ys.ind_id
    JOIN win w ON w.strategy_id = i.strategy_id AND ys.year <= w.year
    GROUP BY ys.ind_id, ys.ent_kind, ys.ent_id, w.per_id, w.span, w.year, w.k, w.n
),
stb AS (
    SELECT st.*, i.sumtgt, i.measure,
        -- a strategy-to-date sum of yearly targets is complete only with every year's target
        CASE WHEN i.sumtgt = 1 AND st.span = 'std'
            AND st.years_with_target < st.year - i.start_year + 1 THEN 0 ELSE 1 END AS complete,
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
        ROUND(CASE WHEN s.complete = 0 THEN NULL
            WHEN s.sumtgt = 1 AND s.span = 'period' THEN s.ty * 1.0 / s.n
            WHEN s.sumtgt = 1 AND s.span = 'std' THEN s.tb + s.ty
            ELSE s.ty END, 4) AS target,
        ROUND(CASE WHEN s.complete = 0 THEN NULL
            WHEN s.sumtgt = 1 AND s.span = 'period' THEN s.ty * 1.0 / s.n
            WHEN s.sumtgt = 1 AND s.span = 'ytd' THEN s.ty * s.k * 1.0 / s.n
            WHEN s.sumtgt = 1 THEN s.tb + s.ty * s.k * 1.0 / s.n
            WHEN s.measure = 'ordinal' THEN s.ty
            ELSE s.b + (s.ty - s.b) * s.frac END, 4) AS target_pro
    FROM stb s
)"""


# --- 6. Figures by the measure's rule ---------------------------------------------------------


def _finish_ctes(*, vendor: str) -> str:
    """Return `dist`, `f1` … `f4` over `agg` (one row per group and window with the summed
    columns, `hits` / `p_hits` for ordinal levels, `tl` the target level, target, target_pro
    and the group's scope and keys)."""
    j = _json(vendor)
    dim_of = {column: dim for dim, _cat, column in BREAKDOWN_PARTS}
    # A part counts only where some update gave that breakdown (not 0 for "none given").
    parts = "".join(
        f",\n        CASE WHEN g.covered_{dim_of[c]}_updates > 0 THEN g.{c} END AS {c}"
        for c in _PARTS
    ) + "".join(
        f", COALESCE(g.{c}, 0) AS {c}" if c.endswith("_updates") else f", g.{c}" for c in _COVERAGE
    )
    out_parts = "".join(f", f.{c}" for c in [*_PARTS, *_COVERAGE])

    def actual(p: str) -> str:
        return f"""ROUND(CASE WHEN g.{p}_cnt = 0 THEN NULL
            WHEN i.measure = 'number' THEN g.{p}_val
            WHEN i.measure = 'percentage' THEN
                CASE WHEN g.{p}_den > 0 THEN 100.0 * g.{p}_num / g.{p}_den END
            WHEN i.measure = 'yes_no' THEN g.{p}_val
            WHEN i.measure = 'ordinal' THEN CASE WHEN g.tl IS NOT NULL THEN g.{p}_hits END
            ELSE g.{p}_cnt END, 4)"""

    return f"""f1 AS (
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
SELECT f.ind_id, f.scope, f.region_id, f.office_id, f.per_id, f.span,
    f.actual, f.numerator, f.denominator, f.share, COALESCE(f.dist, {j["empty"]}),
    f.target, f.target_pro, f.b, f.progress, f.pace,
    {status_band_sql(has_data="f.a_cnt > 0", progress="f.progress", pace="f.pace")},
    f.a_cnt, f.a_off, f.prov, f.prov_num, f.prov_den, f.p_cnt{out_parts},
    %(computed_at)s
FROM f4 f"""


def _hits(set_: str, target_join: str) -> str:
    """Offices at or above the target level, per group and window (ordinal)."""
    return f"""SELECT l.ind_id, l.grp, l.per_id, l.span,
        SUM(CASE WHEN l.lvl >= {target_join} THEN l.cnt ELSE 0 END) AS hits
    FROM lw{set_} l"""


# --- The statements ---------------------------------------------------------------------------


def bucket_rows_sql(*, vendor: str, ind_filter: str, win_filter: str, bucket_filter: str) -> str:
    """Return `WITH … INSERT … SELECT` writing the bucket rows (each region's, scope "region",
    and the headquarters units', scope "hq") of the given indicators, windows and buckets.

    `ind_filter` is a condition on an indicator id column written `{col}`, applied to every
    table read by indicator so that each can use its index; `bucket_filter` a condition on
    `COALESCE(o.region_id, 0)` written `{col}`. Named parameters: those of the filters, plus
    computed_at and the bands' (rollups.bands.status_band_params).
    """
    j, t = _json(vendor), _tables()
    group = "COALESCE(o.region_id, 0)"
    ctes = ",\n".join(
        [
            _frame_ctes(vendor=vendor, ind_filter=ind_filter, win_filter=win_filter),
            _contribution_ctes(
                vendor=vendor,
                ind_filter=ind_filter,
                group=group,
                group_filter=bucket_filter.format(col=group),
            ),
            _target_ctes(ind_filter=ind_filter, bucket_targets=True),
            f"""ha AS ({_hits("a", "sg.ty")}
    JOIN stt sg ON sg.ind_id = l.ind_id AND sg.ent_kind = 'g' AND sg.per_id = l.per_id
        AND sg.span = l.span
    GROUP BY l.ind_id, l.grp, l.per_id, l.span),
hp AS ({_hits("p", "sg.ty")}
    JOIN stt sg ON sg.ind_id = l.ind_id AND sg.ent_kind = 'g' AND sg.per_id = l.per_id
        AND sg.span = l.span
    GROUP BY l.ind_id, l.grp, l.per_id, l.span),
dist AS (
    SELECT ind_id, grp, per_id, span, {j["agg"]} AS d
    FROM lwa GROUP BY ind_id, grp, per_id, span
),
agg AS (
    SELECT w.*, CASE WHEN w.grp = 0 THEN 'hq' ELSE 'region' END AS scope,
        NULLIF(w.grp, 0) AS region_id, CAST(NULL AS INTEGER) AS office_id,
        COALESCE(ha.hits, 0) AS a_hits, COALESCE(hp.hits, 0) AS p_hits, dist.d AS dist,
        sg.ty AS tl,
        CASE WHEN i.measure = 'number' THEN sb.target
            WHEN i.measure IN {RATES} THEN sg.target END AS target,
        CASE WHEN i.measure = 'number' THEN sb.target_pro
            WHEN i.measure IN {RATES} THEN sg.target_pro END AS target_pro
    FROM gw w
    JOIN ind i ON i.ind_id = w.ind_id
    LEFT JOIN ha ON ha.ind_id = w.ind_id AND ha.grp = w.grp AND ha.per_id = w.per_id
        AND ha.span = w.span
    LEFT JOIN hp ON hp.ind_id = w.ind_id AND hp.grp = w.grp AND hp.per_id = w.per_id
        AND hp.span = w.span
    LEFT JOIN dist ON dist.ind_id = w.ind_id AND dist.grp = w.grp AND dist.per_id = w.per_id
        AND dist.span = w.span
    LEFT JOIN stt sb ON sb.ind_id = w.ind_id AND sb.ent_kind = 'b' AND sb.ent_id = w.grp
        AND sb.per_id = w.per_id AND sb.span = w.span
    LEFT JOIN stt sg ON sg.ind_id = w.ind_id AND sg.ent_kind = 'g'
        AND sg.per_id = w.per_id AND sg.span = w.span
)""",
            _finish_ctes(vendor=vendor),
        ]
    )
    columns = ", ".join(OUTPUT_COLUMNS)
    head, select = ctes.rsplit("\nSELECT f.ind_id", 1)
    return f"WITH\n{head}\nINSERT INTO {t['t_rollup']} ({columns})\nSELECT f.ind_id{select}"


def global_rows_sql(*, vendor: str, ind_filter: str, win_filter: str) -> str:
    """Return `WITH … INSERT … SELECT` writing the global rows of the given indicators and
    windows from the stored bucket rows (every global figure is a sum of bucket figures), one
    row for every indicator and window, with data or not."""
    j, t = _json(vendor), _tables()
    sums = ",\n        ".join(
        [
            "SUM(r.updates_count) AS a_cnt",
            "SUM(r.offices_count) AS a_off",
            "SUM(CASE WHEN i.measure IN ('number', 'yes_no', 'qualitative') THEN r.actual END)"
            " AS a_val",
            "SUM(r.numerator) AS a_num",
            "SUM(r.denominator) AS a_den",
            "SUM(CASE WHEN i.measure = 'ordinal' THEN r.numerator END) AS a_hits",
            "SUM(r.provisional_updates_count) AS p_cnt",
            "SUM(r.provisional_actual) AS p_val",
            "SUM(r.provisional_numerator) AS p_num",
            "SUM(r.provisional_denominator) AS p_den",
            "SUM(CASE WHEN i.measure = 'ordinal' THEN r.provisional_actual END) AS p_hits",
            *(f"SUM(r.{c}) AS {c}" for c in [*_PARTS, *_COVERAGE]),
        ]
    )
    parts = ", ".join(f"s.{c}" for c in [*_PARTS, *_COVERAGE])
    ctes = ",\n".join(
        [
            _frame_ctes(vendor=vendor, ind_filter=ind_filter, win_filter=win_filter),
            _target_ctes(ind_filter=ind_filter, bucket_targets=False),
            f"""bs AS (
    SELECT r.indicator_id AS ind_id, r.period_id AS per_id, r.span,
        {sums}
    FROM {t["t_rollup"]} r
    JOIN ind i ON i.ind_id = r.indicator_id
    JOIN win w ON w.per_id = r.period_id AND w.span = r.span
    WHERE {ind_filter.format(col="r.indicator_id")} AND r.scope IN ('region', 'hq')
    GROUP BY r.indicator_id, r.period_id, r.span
),
levels AS (
    SELECT r.indicator_id AS ind_id, r.period_id AS per_id, r.span, e.key AS lvl,
        SUM(CAST(e.value AS INTEGER)) AS cnt
    FROM {t["t_rollup"]} r
    JOIN ind i ON i.ind_id = r.indicator_id AND i.measure = 'ordinal'
    JOIN win w ON w.per_id = r.period_id AND w.span = r.span,
    {j["each"]}
    WHERE {ind_filter.format(col="r.indicator_id")} AND r.scope IN ('region', 'hq')
    GROUP BY r.indicator_id, r.period_id, r.span, e.key
),
dist AS (
    SELECT ind_id, per_id, span, {j["agg"]} AS d FROM levels GROUP BY ind_id, per_id, span
),
agg AS (
    SELECT i.ind_id, w.per_id, w.span, 'global' AS scope,
        CAST(NULL AS INTEGER) AS region_id, CAST(NULL AS INTEGER) AS office_id,
        COALESCE(s.a_cnt, 0) AS a_cnt, COALESCE(s.a_off, 0) AS a_off, s.a_val, s.a_num, s.a_den,
        COALESCE(s.a_hits, 0) AS a_hits, COALESCE(s.p_cnt, 0) AS p_cnt, s.p_val, s.p_num,
        s.p_den, COALESCE(s.p_hits, 0) AS p_hits, dist.d AS dist, {parts},
        sg.ty AS tl, sg.target, sg.target_pro
    FROM ind i
    JOIN win w ON w.strategy_id = i.strategy_id
    LEFT JOIN bs s ON s.ind_id = i.ind_id AND s.per_id = w.per_id AND s.span = w.span
    LEFT JOIN dist ON dist.ind_id = i.ind_id AND dist.per_id = w.per_id AND dist.span = w.span
    LEFT JOIN stt sg ON sg.ind_id = i.ind_id AND sg.ent_kind = 'g'
        AND sg.per_id = w.per_id AND sg.span = w.span
)""",
            _finish_ctes(vendor=vendor),
        ]
    )
    columns = ", ".join(OUTPUT_COLUMNS)
    head, select = ctes.rsplit("\nSELECT f.ind_id", 1)
    return f"WITH\n{head}\nINSERT INTO {t['t_rollup']} ({columns})\nSELECT f.ind_id{select}"


def office_rows_sql(*, vendor: str, ind_filter: str, win_filter: str, office_filter: str) -> str:
    """Return `WITH … SELECT` of one office's figures per indicator and window (the office as
    the group, its target its own or, for scale-free measures, the global one), in the columns
    of `OUTPUT_COLUMNS`. `office_filter` is a condition on `u.office_id` written `{col}`."""
    j = _json(vendor)
    ctes = ",\n".join(
        [
            _frame_ctes(vendor=vendor, ind_filter=ind_filter, win_filter=win_filter),
            _contribution_ctes(
                vendor=vendor,
                ind_filter=ind_filter,
                group="u.office_id",
                group_filter=office_filter.format(col="u.office_id"),
            ),
            _target_ctes(ind_filter=ind_filter, bucket_targets=False),
            f"""tgt AS (
    SELECT w.ind_id, w.grp, w.per_id, w.span,
        CASE WHEN so.ty IS NOT NULL THEN so.ty WHEN i.measure IN {RATES} THEN sg.ty END AS tl,
        CASE WHEN so.ty IS NOT NULL THEN so.target
            WHEN i.measure IN {RATES} THEN sg.target END AS target,
        CASE WHEN so.ty IS NOT NULL THEN so.target_pro
            WHEN i.measure IN {RATES} THEN sg.target_pro END AS target_pro
    FROM gw w JOIN ind i ON i.ind_id = w.ind_id
    LEFT JOIN stt so ON so.ind_id = w.ind_id AND so.ent_kind = 'o' AND so.ent_id = w.grp
        AND so.per_id = w.per_id AND so.span = w.span
    LEFT JOIN stt sg ON sg.ind_id = w.ind_id AND sg.ent_kind = 'g'
        AND sg.per_id = w.per_id AND sg.span = w.span
),
ha AS ({_hits("a", "tg.tl")}
    JOIN tgt tg ON tg.ind_id = l.ind_id AND tg.grp = l.grp AND tg.per_id = l.per_id
        AND tg.span = l.span
    GROUP BY l.ind_id, l.grp, l.per_id, l.span),
hp AS ({_hits("p", "tg.tl")}
    JOIN tgt tg ON tg.ind_id = l.ind_id AND tg.grp = l.grp AND tg.per_id = l.per_id
        AND tg.span = l.span
    GROUP BY l.ind_id, l.grp, l.per_id, l.span),
dist AS (
    SELECT ind_id, grp, per_id, span, {j["agg"]} AS d
    FROM lwa GROUP BY ind_id, grp, per_id, span
),
agg AS (
    SELECT w.*, 'office' AS scope, o.region_id, w.grp AS office_id,
        COALESCE(ha.hits, 0) AS a_hits, COALESCE(hp.hits, 0) AS p_hits, dist.d AS dist,
        tg.tl, tg.target, tg.target_pro
    FROM gw w
    JOIN tgt tg ON tg.ind_id = w.ind_id AND tg.grp = w.grp AND tg.per_id = w.per_id
        AND tg.span = w.span
    JOIN {_tables()["t_office"]} o ON o.id = w.grp
    LEFT JOIN ha ON ha.ind_id = w.ind_id AND ha.grp = w.grp AND ha.per_id = w.per_id
        AND ha.span = w.span
    LEFT JOIN hp ON hp.ind_id = w.ind_id AND hp.grp = w.grp AND hp.per_id = w.per_id
        AND hp.span = w.span
    LEFT JOIN dist ON dist.ind_id = w.ind_id AND dist.grp = w.grp AND dist.per_id = w.per_id
        AND dist.span = w.span
)""",
            _finish_ctes(vendor=vendor),
        ]
    )
    return f"WITH\n{ctes}"
