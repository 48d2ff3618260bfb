"""The roll-up statements: bucket rows and global rows (stored), an office's rows (read)."""

from __future__ import annotations

from functools import lru_cache

from rollups.services.sql.common import (
    COVERAGE,
    OUTPUT_COLUMNS,
    PARTS,
    RATES,
    frame_ctes,
    json_pieces,
    tables,
)
from rollups.services.sql.contributions import Shape, contribution_ctes
from rollups.services.sql.finish import finish_ctes, hits_sql
from rollups.services.sql.targets import target_ctes


@lru_cache(maxsize=256)  # the text depends on its arguments only
def bucket_rows_sql(
    *, vendor: str, ind_filter: str, win_filter: str, bucket_filter: str, shape: Shape
) -> str:
    """Return `WITH … INSERT … SELECT` writing the bucket rows (each region's, scope "region",
    and the headquarters units', scope "hq") of the given indicators, windows and buckets.

    `ind_filter` is a condition on an indicator id column written `{col}`, applied to every
    table read by indicator so that each can use its index; `bucket_filter` a condition on
    `COALESCE(o.region_id, 0)` written `{col}`. Named parameters: those of the filters, plus
    computed_at and the bands' (rollups.bands.status_band_params).
    """
    t = tables()
    group = "COALESCE(o.region_id, 0)"
    ctes = ",\n".join(
        [
            frame_ctes(vendor=vendor, ind_filter=ind_filter, win_filter=win_filter),
            contribution_ctes(
                vendor=vendor,
                ind_filter=ind_filter,
                group=group,
                group_filter=bucket_filter.format(col=group),
                shape=shape,
            ),
            target_ctes(ind_filter=ind_filter, bucket_targets=True),
            _level_ctes(
                vendor,
                "sg.ty",
                """JOIN stt sg ON sg.ind_id = l.ind_id AND sg.ent_kind = 'g'
        AND sg.per_id = l.per_id AND sg.span = l.span""",
            ),
            f"""agg AS (
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
            finish_ctes(vendor=vendor, breakdowns=[*shape.parts, *shape.coverage]),
        ]
    )
    columns = ", ".join(OUTPUT_COLUMNS)
    head, select = ctes.rsplit("\nSELECT f.ind_id", 1)
    return f"WITH\n{head}\nINSERT INTO {t['t_rollup']} ({columns})\nSELECT f.ind_id{select}"


@lru_cache(maxsize=256)  # the text depends on its arguments only
def global_rows_sql(*, vendor: str, ind_filter: str, win_filter: str) -> str:
    """Return `WITH … INSERT … SELECT` writing the global rows of the given indicators and
    windows from the stored bucket rows (every global figure is a sum of bucket figures), one
    row for every indicator and window, with data or not."""
    j, t = json_pieces(vendor), tables()
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
            *(f"SUM(r.{c}) AS {c}" for c in [*PARTS, *COVERAGE]),
        ]
    )
    parts = ", ".join(f"s.{c}" for c in [*PARTS, *COVERAGE])
    ctes = ",\n".join(
        [
            frame_ctes(vendor=vendor, ind_filter=ind_filter, win_filter=win_filter),
            target_ctes(ind_filter=ind_filter, bucket_targets=False),
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
dist AS MATERIALIZED (
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
            finish_ctes(vendor=vendor),
        ]
    )
    columns = ", ".join(OUTPUT_COLUMNS)
    head, select = ctes.rsplit("\nSELECT f.ind_id", 1)
    return f"WITH\n{head}\nINSERT INTO {t['t_rollup']} ({columns})\nSELECT f.ind_id{select}"


@lru_cache(maxsize=256)  # the text depends on its arguments only
def office_rows_sql(
    *, vendor: str, ind_filter: str, win_filter: str, office_filter: str, shape: Shape
) -> str:
    """Return `WITH … SELECT` of one office's figures per indicator and window (the office as
    the group, its target its own or, for scale-free measures, the global one), in the columns
    of `OUTPUT_COLUMNS`. `office_filter` is a condition on `u.office_id` written `{col}`."""
    ctes = ",\n".join(
        [
            frame_ctes(vendor=vendor, ind_filter=ind_filter, win_filter=win_filter),
            contribution_ctes(
                vendor=vendor,
                ind_filter=ind_filter,
                group="u.office_id",
                group_filter=office_filter.format(col="u.office_id"),
                shape=shape,
            ),
            target_ctes(ind_filter=ind_filter, bucket_targets=False),
            f"""tgt AS MATERIALIZED (
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
)""",
            _level_ctes(
                vendor,
                "tg.tl",
                """JOIN tgt tg ON tg.ind_id = l.ind_id AND tg.grp = l.grp
        AND tg.per_id = l.per_id AND tg.span = l.span""",
            ),
            f"""agg AS (
    SELECT w.*, 'office' AS scope, o.region_id, w.grp AS office_id,
        COALESCE(ha.hits, 0) AS a_hits, COALESCE(hp.hits, 0) AS p_hits, dist.d AS dist,
        tg.tl, tg.target, tg.target_pro
    FROM gw w
    JOIN tgt tg ON tg.ind_id = w.ind_id AND tg.grp = w.grp AND tg.per_id = w.per_id
        AND tg.span = w.span
    JOIN {tables()["t_office"]} o ON o.id = w.grp
    LEFT JOIN ha ON ha.ind_id = w.ind_id AND ha.grp = w.grp AND ha.per_id = w.per_id
        AND ha.span = w.span
    LEFT JOIN hp ON hp.ind_id = w.ind_id AND hp.grp = w.grp AND hp.per_id = w.per_id
        AND hp.span = w.span
    LEFT JOIN dist ON dist.ind_id = w.ind_id AND dist.grp = w.grp AND dist.per_id = w.per_id
        AND dist.span = w.span
)""",
            finish_ctes(vendor=vendor, breakdowns=[*shape.parts, *shape.coverage]),
        ]
    )
    return f"WITH\n{ctes}"


def _level_ctes(vendor: str, target_level: str, target_join: str) -> str:
    """Return `ha` / `hp` (offices at or above the target level, approved and provisional)
    and `dist` (offices per level), for ordinal indicators: `target_join` brings the target
    level `target_level` beside each level row `l`."""
    j = json_pieces(vendor)
    hits = "".join(
        f"""{name} AS MATERIALIZED ({hits_sql(set_, target_level)}
    {target_join}
    GROUP BY l.ind_id, l.grp, l.per_id, l.span),
"""
        for name, set_ in (("ha", "a"), ("hp", "p"))
    )
    return f"""{hits}dist AS MATERIALIZED (
    SELECT ind_id, grp, per_id, span, {j["agg"]} AS d
    FROM lwa GROUP BY ind_id, grp, per_id, span
)"""
