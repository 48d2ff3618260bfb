"""The membership update as one flat CSV: one row per indicator × scope × period × span,
straight from the roll-up table. The columns are stable; README.md ("CSV export columns")
documents them, so add new columns at the end only."""

from __future__ import annotations

import csv
import io

from core.formatting import number_plain
from exports.services.membership import MembershipUpdate
from rollups.models import Rollup

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
]


def membership_update_csv(*, update: MembershipUpdate) -> bytes:
    """Return the global and regional roll-ups of the update's periods as UTF-8 CSV."""
    indicators = {row.id: row for row in update.indicators}
    rows = (
        Rollup.objects.filter(
            indicator_id__in=list(indicators),
            scope__in=[Rollup.Scope.GLOBAL, Rollup.Scope.REGION],
            period__start_date__gte=update.start_date,
            period__end_date__lte=update.end_date,
        )
        .order_by("indicator__code", "period__start_date", "span", "scope", "region__city")
        .values_list(
            "indicator_id",
            "scope",
            "region__code",
            "region__city",
            "period__code",
            "period__year",
            "period__quarter",
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
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for (
        indicator_id, scope, region_code, region, period, year, quarter, span, baseline, target,
        actual, numerator, denominator, progress, status, updates, offices, provisional, computed,
    ) in rows.iterator(chunk_size=5000):  # fmt: skip
        indicator = indicators[indicator_id]
        writer.writerow(
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
                scope,
                region_code or "",
                region or "",
                period,
                year,
                quarter,
                span,
                number_plain(baseline),
                number_plain(target),
                number_plain(actual),
                number_plain(numerator),
                number_plain(denominator),
                number_plain(progress),
                status,
                updates,
                offices,
                number_plain(provisional),
                computed.isoformat(),
            ]
        )
    # A byte-order mark lets Excel open the file as UTF-8 (names carry accents).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
