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
3. `dl`: each row knowing the office's previous figure in the approved set and in the
   provisional set (approved + submitted), both from one sort. A row *contributes* to the span
   windows ending at or after it: a cumulative indicator adds its figure; a level (non-
   cumulative, and every ordinal) replaces the office's previous one, i.e. adds the difference
   (so summing contributions gives each office's latest figure in the window). `lv…` do the
   same for ordinal levels (+1 at the new level, −1 at the old one).
4. `gs` / `run`: contributions, approved and provisional side by side, summed per group and
   period, then running sums over the periods (strategy to date; year to date restarting each
   year) on a dense grid of periods.
5. `ys`, `st`, `stt`: yearly targets per entity (global; an office's own; a bucket's = the sum
   of its assigned offices' own targets for number indicators) turned into the span's target
   and pro-rated target.
6. `f1`…`f4`: actual, numerator/denominator, share, baseline, progress, pace and status by the
   measure's rule (rollups.bands for the bands).

Everything is recomputed from the source rows; nothing is incremented.
"""

from rollups.services.sql.common import OUTPUT_COLUMNS, RATES
from rollups.services.sql.contributions import Shape
from rollups.services.sql.statements import bucket_rows_sql, global_rows_sql, office_rows_sql

__all__ = [
    "OUTPUT_COLUMNS",
    "RATES",
    "Shape",
    "bucket_rows_sql",
    "global_rows_sql",
    "office_rows_sql",
]
