"""Steps 2-4 of the roll-up statements: the updates, each office row's contribution to the
windows ending at or after it, and the running sums per group.

The text is specialised by the indicators' `Shape` (cumulative or a level, ordinal levels,
which breakdowns): a statement computes only what its indicators have, so a count without
breakdowns never pays for the breakdowns' columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from rollups.models import BREAKDOWN_DIMENSIONS, BREAKDOWN_PARTS
from rollups.services.sql.common import P_COLUMNS, json_pieces, tables

COUNTS = {"a_cnt", "a_off", "p_cnt", "p_off"} | {
    f"covered_{d}_updates" for d in BREAKDOWN_DIMENSIONS
}
_SFX = (("period", "p"), ("ytd", "y"), ("std", "s"))


@dataclass(frozen=True)
class Shape:
    """What the indicators of one statement have in common."""

    cumulative: bool  # their figures add up across periods (never for ordinal ones)
    ordinal: bool  # they are measured in levels
    dims: tuple[str, ...] = ()  # the breakdowns they ask for

    @property
    def parts(self) -> list[str]:
        return [col for dim, _cat, col in BREAKDOWN_PARTS if dim in self.dims]

    @property
    def coverage(self) -> list[str]:
        return [f"covered_{dim}_{what}" for dim in self.dims for what in ("updates", "total")]

    @property
    def a_names(self) -> list[str]:
        return ["a_val", "a_num", "a_den", "a_cnt", "a_off", *self.parts, *self.coverage]


def contribution_ctes(
    *, vendor: str, ind_filter: str, group: str, group_filter: str, shape: Shape
) -> str:
    """Return the CTEs up to `gw` (one row per indicator, group and window with every summed
    column of `A_COLUMNS` and `P_COLUMNS`) and `lwa` / `lwp` (ordinal levels per window).
    `group` is the expression of an update's group (on `u` and `o`)."""
    j, t = json_pieces(vendor), tables()
    parts = "".join(
        f",\n        {j['part'].format(dim=dim, cat=cat)} AS {col}"
        for dim, cat, col in BREAKDOWN_PARTS
        if dim in shape.dims
    )
    first_y = "(d.prev_year IS NULL OR d.prev_year <> d.year)"

    def lags(columns: list[str]) -> str:
        return "".join(f", LAG(u.{c}) OVER w AS prev_{c}" for c in columns)

    def spans(name: str, now: str, before: str, raw: str) -> list[str]:
        """What a row adds to each window: its figure (cumulative), or how it differs from the
        office's previous figure (a level replaces the one before: summing gives the latest)."""
        if shape.cumulative:
            return [f"{raw} AS {name}_p", f"{raw} AS {name}_s", f"{raw} AS {name}_y"]
        return [
            f"{raw} AS {name}_p",
            f"{now} - {before} AS {name}_s",
            f"CASE WHEN {first_y} THEN {raw} ELSE {now} - {before} END AS {name}_y",
        ]

    def coverage_of(prefix: str) -> dict[str, str]:
        """One row's coverage columns, on `d.` or `d.prev_`."""
        out = {}
        for dim in shape.dims:
            given = " OR ".join(
                f"d.{prefix}{col} IS NOT NULL" for d, _cat, col in BREAKDOWN_PARTS if d == dim
            )
            has = f"(CASE WHEN {given} THEN 1 ELSE 0 END)"
            total = (
                f"COALESCE(CASE WHEN i.measure = 'percentage' THEN d.{prefix}num"
                f" ELSE d.{prefix}val END, 0)"
            )
            out[f"covered_{dim}_updates"] = has
            out[f"covered_{dim}_total"] = f"{has} * {total}"
        return out

    def contributions(set_: str) -> str:
        exprs: list[str] = []
        for c in ("val", "num", "den"):
            exprs += spans(f"{set_}_{c}", f"d.{c}", f"COALESCE(d.prev_{c}, 0)", f"d.{c}")
        first = "CASE WHEN d.prev_seq IS NULL THEN 1 ELSE 0 END"
        first_in_year = f"CASE WHEN {first_y} THEN 1 ELSE 0 END"
        exprs += [
            f"1 AS {set_}_cnt_p",
            f"{'1' if shape.cumulative else first} AS {set_}_cnt_s",
            f"{'1' if shape.cumulative else first_in_year} AS {set_}_cnt_y",
            f"1 AS {set_}_off_p",
            f"{first} AS {set_}_off_s",
            f"{first_in_year} AS {set_}_off_y",
        ]
        if set_ == "a":
            for col in shape.parts:
                exprs += spans(
                    col, f"COALESCE(d.{col}, 0)", f"COALESCE(d.prev_{col}, 0)", f"d.{col}"
                )
            now, before = coverage_of(""), coverage_of("prev_")
            for col in shape.coverage:
                exprs += spans(col, now[col], before[col], now[col])
        return ",\n        ".join(exprs)

    def sums(set_: str) -> str:
        names = shape.a_names if set_ == "a" else P_COLUMNS
        return ",\n        ".join(
            f"SUM(c.{name}_{sfx}) AS {name}_{sfx}" for name in names for _span, sfx in _SFX
        )

    def running(set_: str) -> str:
        names = shape.a_names if set_ == "a" else P_COLUMNS
        out = []
        for name in names:
            out += [
                f"g{set_}.{name}_p AS {name}_p",
                f"SUM(g{set_}.{name}_y) OVER wy AS {name}_y",
                f"SUM(g{set_}.{name}_s) OVER ws AS {name}_s",
            ]
        return ",\n        ".join(out)

    def unpivot(span: str, sfx: str) -> str:
        cols = []
        for c in [*shape.a_names, *P_COLUMNS]:
            if c in COUNTS:
                cols.append(f"COALESCE(r.{c}_{sfx}, 0) AS {c}")
            else:
                cols.append(f"r.{c}_{sfx} AS {c}")
        return f"""SELECT r.ind_id, r.grp, r.per_id, '{span}' AS span, {", ".join(cols)}
    FROM run r JOIN win w ON w.per_id = r.per_id AND w.span = '{span}'
    WHERE r.p_off_{sfx} > 0"""

    a_lag_columns = ["seq", "year"] + (
        [] if shape.cumulative else ["val", "num", "den", *shape.parts]
    )
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
    SELECT u.*{lags(a_lag_columns)}
    FROM upd u WHERE u.a = 1
    WINDOW w AS (PARTITION BY u.ind_id, u.office_id ORDER BY u.seq)
),
dp AS (
    SELECT u.ind_id, u.office_id, u.grp, u.per_id, u.seq, u.year, u.val, u.num, u.den
        {lags(["seq", "year"] + ([] if shape.cumulative else ["val", "num", "den"]))}
    FROM upd u
    WINDOW w AS (PARTITION BY u.ind_id, u.office_id ORDER BY u.seq)
),
ga AS (
    SELECT c.ind_id, c.grp, c.seq,
        {sums("a")}
    FROM (SELECT d.ind_id, d.grp, d.seq,
        {contributions("a")}
    FROM da d JOIN ind i ON i.ind_id = d.ind_id) c
    GROUP BY c.ind_id, c.grp, c.seq
),
gp AS (
    SELECT c.ind_id, c.grp, c.seq,
        {sums("p")}
    FROM (SELECT d.ind_id, d.grp, d.seq,
        {contributions("p")}
    FROM dp d JOIN ind i ON i.ind_id = d.ind_id) c
    GROUP BY c.ind_id, c.grp, c.seq
),
grid AS (
    SELECT gr.ind_id, gr.grp, pe.per_id, pe.seq, pe.year
    FROM (SELECT DISTINCT ind_id, grp FROM gp) gr
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
{_level_ctes(shape)}"""


def _level_ctes(shape: Shape) -> str:
    """Ordinal levels per window (`lwa` approved, `lwp` provisional): +1 at a row's level, −1
    at the office's previous level; empty for indicators without levels."""
    if not shape.ordinal:
        none = (
            "SELECT 0 AS ind_id, 0 AS grp, 0 AS per_id, '' AS span, 0 AS lvl, 0 AS cnt WHERE 1 = 0"
        )
        return f"lwa AS ({none}),\nlwp AS ({none})"

    def rows(src: str) -> str:
        return f"""SELECT d.ind_id, d.grp, d.seq, CAST(d.val AS INTEGER) AS lvl,
        1 AS d_p, 1 AS d_y, 1 AS d_s
    FROM {src} d
    UNION ALL
    SELECT d.ind_id, d.grp, d.seq, CAST(d.prev_val AS INTEGER),
        0, CASE WHEN d.prev_year = d.year THEN -1 ELSE 0 END, -1
    FROM {src} d WHERE d.prev_val IS NOT NULL"""

    def running(set_: str) -> str:
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

    def windows(set_: str) -> str:
        return "\n    UNION ALL\n    ".join(
            f"""SELECT x.ind_id, x.grp, x.per_id, '{span}' AS span, x.lvl, x.c_{sfx} AS cnt
    FROM lv{set_}1 x JOIN win w ON w.per_id = x.per_id AND w.span = '{span}'
    WHERE x.c_{sfx} > 0"""
            for span, sfx in _SFX
        )

    return f"""lva0 AS ({rows("da")}),
lvp0 AS ({rows("dp")}),
lva1 AS ({running("a")}),
lvp1 AS ({running("p")}),
lwa AS MATERIALIZED ({windows("a")}),
lwp AS MATERIALIZED ({windows("p")})"""
