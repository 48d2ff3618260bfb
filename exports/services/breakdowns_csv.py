"""The membership update's breakdowns as a companion CSV to the figures' CSV (exports.services.csv):
one row per indicator × scope × period × span × dimension × category, straight from the
roll-ups' breakdown columns (rollups.selectors.breakdown_export_rows), with the dimension's
coverage on every row. README.md ("CSV export columns") documents the columns; add new ones at
the end only."""

from __future__ import annotations

import csv
import io

from core.formatting import number_plain
from deliverables.models import Indicator
from exports.services.membership import MembershipUpdate
from rollups.selectors import breakdown_export_rows

COLUMNS = [
    "strategy",
    "indicator_code",
    "measure",
    "scope",
    "region_code",
    "region",
    "period",
    "year",
    "quarter",
    "span",
    "dimension",
    "category",
    "value",
    "share_of_covered",
    "total",
    "updates_count",
    "covered_total",
    "covered_updates",
    "complete",
    "computed_at",
]


def membership_update_breakdowns_csv(*, update: MembershipUpdate) -> bytes:
    """Return the global and regional breakdowns of the update's periods as UTF-8 CSV."""
    rows = {row.id: row for row in update.indicators}
    indicators = Indicator.objects.filter(pk__in=list(rows)).only(
        "id", "measure", "disaggregations", "code"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row, breakdown in breakdown_export_rows(
        indicators=indicators, start_date=update.start_date, end_date=update.end_date
    ):
        indicator = rows[row["indicator_id"]]
        for dim in breakdown.dimensions.values():
            for part in dim.parts:
                share = part.share_of(dim.covered_total)
                writer.writerow(
                    [
                        update.strategy_code,
                        indicator.code,
                        indicator.measure,
                        row["scope"],
                        row["region_code"] or "",
                        row["region_city"] or "",
                        row["period_code"],
                        row["period_year"],
                        row["period_quarter"],
                        row["span"],
                        dim.dimension,
                        part.category,
                        number_plain(part.value),
                        "" if share is None else number_plain(round(share, 6)),
                        number_plain(dim.total),
                        dim.updates,
                        number_plain(dim.covered_total),
                        dim.covered_updates,
                        "1" if dim.complete else "0",
                        row["computed_at"].isoformat(),
                    ]
                )
    # A byte-order mark lets Excel open the file as UTF-8, like the figures' CSV.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
