"""The membership update's reporting completeness: expected, approved and submitted updates per
period and region."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from deliverables.models import Assignment
from exports.services.membership.data import CompletenessRow
from offices.models import Region
from outcomes.models import Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod

Status = IndicatorUpdate.Status


def completeness_rows(
    *, strategy: Strategy, in_range: list[ReportingPeriod], regions: list[Region]
) -> list[CompletenessRow]:
    """Return, per period and region, the expected updates (active assignments) and how many
    were approved or are waiting as submitted. Headquarters offices form their own row."""
    expected = {
        row["office__region_id"]: row["n"]
        for row in Assignment.objects.filter(
            is_active=True,
            indicator__is_active=True,
            indicator__strategy=strategy,
            office__is_active=True,
        )
        .values("office__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    counts: dict[tuple[int, int | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        IndicatorUpdate.objects.filter(
            indicator__strategy=strategy,
            period__in=[p.pk for p in in_range],
            status__in=[Status.APPROVED, Status.SUBMITTED],
        )
        .values("period_id", "office__region_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["period_id"], row["office__region_id"])][row["status"]] += row["n"]
    region_names = {r.pk: r.city for r in regions}
    region_ids = sorted(
        set(expected) | {region_id for _p, region_id in counts},
        key=lambda pk: (pk is None, region_names.get(pk, "")),
    )
    rows = []
    for period in in_range:
        for region_id in region_ids:
            found = counts.get((period.pk, region_id), {})
            rows.append(
                CompletenessRow(
                    period=period.code,
                    region=region_names.get(region_id) or _("Headquarters"),
                    expected=expected.get(region_id, 0),
                    approved=found.get(Status.APPROVED, 0),
                    submitted=found.get(Status.SUBMITTED, 0),
                )
            )
    return rows
