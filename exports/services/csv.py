"""The membership update as one flat CSV: one row per indicator × scope × period × span,
straight from the roll-ups (rollups.selectors). The columns are stable; README.md ("CSV export
columns") documents them, so add new columns at the end only. Every field goes through
core.cells.csv_row: text that would start a formula gets a leading apostrophe."""

from __future__ import annotations

import csv
import io

from core.cells import csv_row
from deliverables.models import Indicator
from exports.services.membership import MembershipUpdate
from rollups.selectors import offices_expected, rollup_export_rows

# Measures read as a share (%) of the reporting offices: yes/no and ordinal.
SHARE_MEASURES = (Indicator.Measure.YES_NO, Indicator.Measure.ORDINAL)

COLUMNS = [
    "strategy",
    "indicator_code",
    "indicator_name",
    "result_type",
    "result_code",
    "outcome_code",
    "measure",
    "unit",
    "direction",
    "cumulative",
    "scope",
    "region_code",
    "region",
    "period",
    "year",
    "quarter",
    "span",
    "baseline",
    "target",
    "actual",
    "numerator",
    "denominator",
    "progress",
    "status",
    "updates_count",
    "offices_count",
    "provisional_actual",
    "computed_at",
    # added for issue 13 (at the end, so readers of the earlier columns are unaffected)
    "period_state",
    "offices_expected",
    "share",
]


def membership_update_csv(*, update: MembershipUpdate) -> bytes:
    """Return the global and regional roll-ups of the update's periods as UTF-8 CSV: a row
    whose period is still open has the status `in_progress` (no verdict), as everywhere."""
    indicators = {row.id: row for row in update.indicators}
    expected = offices_expected(indicator_ids=indicators)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_row(COLUMNS))
    for row in rollup_export_rows(
        indicator_ids=indicators, start_date=update.start_date, end_date=update.end_date
    ):
        indicator = indicators[row["indicator_id"]]
        writer.writerow(
            csv_row(
                [
                    update.strategy_code,
                    indicator.code,
                    indicator.name,
                    indicator.result_type,
                    indicator.result_code,
                    indicator.outcome_code,
                    indicator.measure,
                    indicator.unit,
                    "increase" if indicator.ascending else "decrease",
                    "1" if indicator.cumulative else "0",
                    row["scope"],
                    row["region_code"] or "",
                    row["region_city"] or "",
                    row["period_code"],
                    row["period_year"],
                    row["period_quarter"],
                    row["span"],
                    row["baseline"],
                    row["target"],
                    row["actual"],
                    row["numerator"],
                    row["denominator"],
                    row["progress"],
                    row["status"],
                    row["updates_count"],
                    row["offices_count"],
                    row["provisional_actual"],
                    row["computed_at"],
                    row["period_state"],
                    expected.get((row["indicator_id"], row["region_id"]), 0),
                    row["share"] if indicator.measure in SHARE_MEASURES else None,
                ]
            )
        )
    # A byte-order mark lets Excel open the file as UTF-8 (names carry accents).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
