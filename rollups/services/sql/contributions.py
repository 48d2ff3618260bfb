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
FIGURES = ["a_val", "a_num", "a_den", "a_cnt", "a_off"]


@dataclass(frozen=True)
class Shape:
    """What the indicators of one statement have in common."""

    cumulative: bool  # their figures add up across periods (never for ordinal ones)
    ordinal: bool  # they are measured in levels
    dims: tuple[str, ...] = ()  # the breakdowns they ask for
    ratio: bool = False  # percentages: a numerator and a denominator, not a value

    @property
    def values(self) -> tuple[str, ...]:
        return ("num", "den") if self.ratio else ("val",)

    @property
    def parts(self) -> list[str]:
        return [col for dim, _cat, col in BREAKDOWN_PARTS if dim in self.dims]

    @property
    def coverage(self) -> list[str]:
        return [f"covered_{dim}_{what}" for dim in self.dims for what in ("updates", "total")]

    @property
    def a_names(self) -> list[str]:
        return [*(f"a_{v}" for v in self.values), "a_cnt", "a_off", *self.parts, *self.coverage]

    @property
    def p_names(self) -> list[str]:
        return [*(f"p_{v}" for v in self.values), "p_cnt", "p_off"]

    def same_in_every_span(self, name: str) -> bool:
        """Whether a row adds the same to its period, year and strategy windows: everything of
        a cumulative indicator but the count of offices."""
        return self.cumulative and not name.endswith("_off")


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

    def first_y(prev: str) -> str:
        return f"(d.{prev}year IS NULL OR d.{prev}year <> d.year)"

    def lags(columns: list[str], window: str, prefix: str) -> str:
        return "".join(f", LAG(u.{c}) OVER {window} AS {prefix}{c}" for c in columns)

    def spans(name: str, now: str, before: str, raw: str, prev: str) -> list[str]:
        """What a row adds to each window: its figure (cumulative), or how it differs from the
        office's previous figure (a level replaces the one before: summing gives the latest)."""
        if shape.cumulative:
            return [f"{raw} AS {name}_p", f"{raw} AS {name}_s", f"{raw} AS {name}_y"]
        return [
            f"{raw} AS {name}_p",
            f"{now} - {before} AS {name}_s",
            f"CASE WHEN {first_y(prev)} THEN {raw} ELSE {now} - {before} END AS {name}_y",
        ]

    def coverage_of(prefix: str) -> dict[str, str]:
        """One row's coverage columns, on `d.` or `d.prev_`."""
        out = {}
        for dim in shape.dims:
            given = " OR ".join(
                f"d.{prefix}{col} IS NOT NULL" for d, _cat, col in BREAKDOWN_PARTS if d == dim
            )
            has = f"(CASE WHEN {given} THEN 1 ELSE 0 END)"
            total = f"COALESCE(d.{prefix}{'num' if shape.ratio else 'val'}, 0)"
            out[f"covered_{dim}_updates"] = has
            out[f"covered_{dim}_total"] = f"{has} * {total}"
        return out

    def contributions(set_: str) -> str:
        """Each row's contributions to the approved (`a`, approved rows only, against the
        office's previous approved row) or provisional (`p`, against its previous row) sums."""
        prev = "prev_" if set_ == "a" else "pprev_"
        exprs: list[str] = []
        for c in shape.values:
            exprs += spans(f"{set_}_{c}", f"d.{c}", f"COALESCE(d.{prev}{c}, 0)", f"d.{c}", prev)
        first = f"CASE WHEN d.{prev}seq IS NULL THEN 1 ELSE 0 END"
        first_in_year = f"CASE WHEN {first_y(prev)} THEN 1 ELSE 0 END"
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
                    col, f"COALESCE(d.{col}, 0)", f"COALESCE(d.prev_{col}, 0)", f"d.{col}", prev
                )
            now, before = coverage_of(""), coverage_of("prev_")
            for col in shape.coverage:
                exprs += spans(col, now[col], before[col], now[col], prev)
        exprs = [e for e in exprs if _kept(shape, e.rsplit(" AS ", 1)[1])]
        if set_ == "a":
            # A submitted row counts in the provisional sums only.
            exprs = [
                f"CASE WHEN d.a = 1 THEN {expr} END AS {name}"
                for expr, name in (e.rsplit(" AS ", 1) for e in exprs)
            ]
        return ",\n        ".join(exprs)

    def sums() -> str:
        return ",\n        ".join(
            f"SUM(c.{name}_{sfx}) AS {name}_{sfx}"
            for name in [*shape.a_names, *shape.p_names]
            for _span, sfx in _SFX
            if _kept(shape, f"{name}_{sfx}")
        )

    def running() -> str:
        out = []
        for name in [*shape.a_names, *shape.p_names]:
            out += [
                f"gs.{name}_p AS {name}_p",
                f"SUM(gs.{_source(shape, name, 'y')}) OVER wy AS {name}_y",
                f"SUM(gs.{_source(shape, name, 's')}) OVER ws AS {name}_s",
            ]
        return ",\n        ".join(out)

    def unpivot(span: str, sfx: str) -> str:
        cols = []
        for c in [*FIGURES, *shape.parts, *shape.coverage, *P_COLUMNS]:
            if c not in shape.a_names and c not in shape.p_names:
                cols.append(f"CAST(NULL AS NUMERIC) AS {c}")  # not a figure of this shape
            elif c in COUNTS:
                cols.append(f"COALESCE(r.{c}_{sfx}, 0) AS {c}")
            else:
                cols.append(f"r.{c}_{sfx} AS {c}")
        return f"""SELECT r.ind_id, r.grp, r.per_id, '{span}' AS span, {", ".join(cols)}
    FROM run r JOIN win w ON w.per_id = r.per_id AND w.span = '{span}'
    WHERE r.p_off_{sfx} > 0"""

    a_lags = ["seq", "year"] + ([] if shape.cumulative else [*shape.values, *shape.parts])
    p_lags = ["seq", "year"] + ([] if shape.cumulative else [*shape.values])
    values = (
        "u.numerator AS num, u.denominator AS den"
        if shape.ratio
        else "CASE WHEN i.measure = 'qualitative' THEN 1 ELSE u.value END AS val"
    )
    # One sort serves both windows: `wa` (each office's approved rows, or its submitted ones,
    # by period) refines `wp` (all of its counted rows by period).
    return f"""upd AS (
    SELECT u.indicator_id AS ind_id, u.office_id, {group} AS grp, pe.per_id, pe.seq, pe.year,
        CASE WHEN u.status = 'approved' THEN 1 ELSE 0 END AS a,
        {values}{parts}
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
dl AS (
    SELECT u.*{lags(p_lags, "wp", "pprev_")}{lags(a_lags, "wa", "prev_")}
    FROM upd u
    WINDOW wp AS (PARTITION BY u.ind_id, u.office_id ORDER BY u.seq),
        wa AS (PARTITION BY u.ind_id, u.office_id, u.a ORDER BY u.seq)
),
gs AS (
    SELECT c.ind_id, c.grp, c.seq,
        {sums()}
    FROM (SELECT d.ind_id, d.grp, d.seq,
        {contributions("a")},
        {contributions("p")}
    FROM dl d JOIN ind i ON i.ind_id = d.ind_id) c
    GROUP BY c.ind_id, c.grp, c.seq
),
grid AS (
    SELECT gr.ind_id, gr.grp, pe.per_id, pe.seq, pe.year
    FROM (SELECT DISTINCT ind_id, grp FROM gs) gr
    JOIN ind i ON i.ind_id = gr.ind_id
    JOIN per pe ON pe.strategy_id = i.strategy_id
),
run AS (
    SELECT g.ind_id, g.grp, g.per_id, g.seq,
        {running()}
    FROM grid g
    LEFT JOIN gs ON gs.ind_id = g.ind_id AND gs.grp = g.grp AND gs.seq = g.seq
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


def _kept(shape: Shape, column: str) -> bool:
    """Whether `column` (`<name>_<p|y|s>`) is summed apart: a figure that is the same in every
    span is summed once, as its period's."""
    name, sfx = column.rsplit("_", 1)
    return sfx == "p" or not shape.same_in_every_span(name)


def _source(shape: Shape, name: str, sfx: str) -> str:
    """Return the summed column that holds `name` for the span `sfx`."""
    return f"{name}_{sfx}" if _kept(shape, f"{name}_{sfx}") else f"{name}_p"


def _level_ctes(shape: Shape) -> str:
    """Ordinal levels per window (`lwa` approved, `lwp` provisional): +1 at a row's level, −1
    at the office's previous level; empty for indicators without levels."""
    if not shape.ordinal:
        none = (
            "SELECT 0 AS ind_id, 0 AS grp, 0 AS per_id, '' AS span, 0 AS lvl, 0 AS cnt WHERE 1 = 0"
        )
        return f"lwa AS ({none}),\nlwp AS ({none})"

    def rows(prev: str, approved: str) -> str:
        return f"""SELECT d.ind_id, d.grp, d.seq, CAST(d.val AS INTEGER) AS lvl,
        1 AS d_p, 1 AS d_y, 1 AS d_s
    FROM dl d WHERE {approved}
    UNION ALL
    SELECT d.ind_id, d.grp, d.seq, CAST(d.{prev}val AS INTEGER),
        0, CASE WHEN d.{prev}year = d.year THEN -1 ELSE 0 END, -1
    FROM dl d WHERE {approved} AND d.{prev}val IS NOT NULL"""

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

    return f"""lva0 AS ({rows("prev_", "d.a = 1")}),
lvp0 AS ({rows("pprev_", "1 = 1")}),
lva1 AS ({running("a")}),
lvp1 AS ({running("p")}),
lwa AS MATERIALIZED ({windows("a")}),
lwp AS MATERIALIZED ({windows("p")})"""
