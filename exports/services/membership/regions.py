"""The membership update's regional breakdown: each region's mean over the indicators assigned
to its offices, by outcome and for the outputs, and each regional figure."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from deliverables.models import Indicator
from exports.services.membership.data import Aggregate, GroupProgress, RegionFigure, RegionRow
from offices.models import Region
from outcomes.models import Outcome
from rollups.selectors import ALL, OUTPUTS, Figure, ResultMeans, region_means


def regions_breakdown(
    *,
    indicators: list[Indicator],
    figures: list[Figure],
    regions: list[Region],
    outcomes: list[Outcome],
) -> tuple[list[RegionRow], list[RegionFigure]]:
    """Return each region's row (its means, by outcome and for the outputs) and its figures,
    from the regional headline figures."""
    means = region_means(
        indicators=indicators, figures=figures, kinds=("all", "outcome", "outputs")
    )
    by_region: dict[int, dict[int, Figure]] = defaultdict(dict)
    for figure in figures:
        by_region[figure.region_id][figure.indicator_id] = figure
    rows, region_figures = [], []
    for region in regions:
        own = means.get(region.pk) or ResultMeans()
        found = by_region.get(region.pk, {})
        groups = [
            GroupProgress(label=f"({o.code})", summary=Aggregate.of(own["outcome", o.pk]))
            for o in outcomes
        ]
        groups.append(GroupProgress(label=_("Outputs"), summary=Aggregate.of(own[OUTPUTS])))
        rows.append(
            RegionRow(
                code=region.code,
                city=region.city,
                name=region.name,
                summary=Aggregate.of(own[ALL]),
                updates_count=sum(f.updates_count for f in found.values()),
                groups=groups,
            )
        )
        region_figures += [
            RegionFigure(
                region_code=region.code,
                region=region.city,
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                measure=indicator.measure,
                target=figure.target,
                actual=figure.actual,
                progress=figure.progress,
                status=figure.status,
                updates_count=figure.updates_count,
                offices_count=figure.offices_count,
            )
            for indicator in indicators
            if (figure := found.get(indicator.pk)) is not None
        ]
    return rows, region_figures
