"""Steps 2-4 of the roll-up statements: the updates, each office row's contribution to the
windows ending at or after it, and the running sums per group."""

from __future__ import annotations

from rollups.models import BREAKDOWN_DIMENSIONS, BREAKDOWN_PARTS
from rollups.services.sql.common import (
    A_COLUMNS,
    COVERAGE,
    P_COLUMNS,
    PARTS,
    json_pieces,
    tables,
)


def contribution_ctes(*, vendor: str, ind_filter: str, group: str, group_filter: str) -> str:
    """Return the CTEs up to `gw`: one row per (indicator, group, window) with the summed
    figures of both sets. `group` is the expression of an update's group (on `u` and `o`)."""
    j, t = json_pieces(vendor), tables()
    dim_of = {column: dim for dim, _cat, column in BREAKDOWN_PARTS}
    parts = "".join(
        f",\n        CASE WHEN i.d_{dim} = 1 THEN {j['part'].format(dim=dim, cat=cat)} END AS {col}"
        for dim, cat, col in BREAKDOWN_PARTS
    )
    lag = lambda c: f"LAG({c}) OVER w AS prev_{c}"  # noqa: E731
    a_lags = ", ".join(lag(c) for c in ["val", "num", "den", *PARTS])

    def coverage(prefix: str) -> list[tuple[str, str]]:
        """(column, expression of one row) of the coverage columns, on `d.` or `d.prev_`."""
        out = []
        for dim in BREAKDOWN_DIMENSIONS:
            cols = [c for c in PARTS if dim_of[c] == dim]
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
            for c in PARTS:
                spans(c, f"COALESCE(d.{c}, 0)", f"COALESCE(d.prev_{c}, 0)", raw=f"d.{c}")
            for (col, now), (_c, before) in zip(coverage(""), coverage("prev_"), strict=True):
                spans(col, f"({now})", f"({before})")
        return ",\n        ".join(exprs)

    def sums(set_: str) -> str:
        cols = A_COLUMNS if set_ == "a" else P_COLUMNS
        return ",\n        ".join(
            f"SUM(c.{name}_{sfx}) AS {name}_{sfx}" for name in cols for sfx in ("p", "y", "s")
        )

    def running(set_: str) -> str:
        cols = A_COLUMNS if set_ == "a" else P_COLUMNS
        out = []
        for name in cols:
            out += [
                f"g{set_}.{name}_p AS {name}_p",
                f"SUM(g{set_}.{name}_y) OVER wy AS {name}_y",
                f"SUM(g{set_}.{name}_s) OVER ws AS {name}_s",
            ]
        return ",\n        ".join(out)

    counts = {"a_cnt", "a_off", "p_cnt", "p_off", *(c for c in COVERAGE if c.endswith("_updates"))}

    def unpivot(span: str, sfx: str) -> str:
        cols = ", ".join(
            f"COALESCE(r.{c}_{sfx}, 0) AS {c}" if c in counts else f"r.{c}_{sfx} AS {c}"
            for c in [*A_COLUMNS, *P_COLUMNS]
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
