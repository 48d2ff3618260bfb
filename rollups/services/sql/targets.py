"""Step 5 of the roll-up statements: yearly targets turned into each window's target and
pro-rated target."""

from __future__ import annotations

from rollups.services.sql.common import (
    tables,
)


def target_ctes(*, ind_filter: str, bucket_targets: bool) -> str:
    """Return `ys` … `stt`: each entity's target and pro-rated target per window. Entities:
    'g' global, 'o' an office's own, and with `bucket_targets` 'b' a bucket's (number
    indicators: the sum of its assigned offices' own targets, when each of them has one)."""
    t = tables()
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
