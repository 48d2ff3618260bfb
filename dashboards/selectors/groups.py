"""The groupings: progress by region (with a region × outcome grid), by cross-cutting marker
and by SDG target, each a mean over its indicators with "n of m" and band."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dashboards.selectors.figures import (
    ResultProgress,
    bar_chart,
    by_indicator,
    headline,
    indicator_figures,
    indicators_filtered,
    latest,
)
from dashboards.selectors.filters import DashboardFilters
from outcomes.models import Outcome
from rollups.models import Rollup
from rollups.selectors import ALL, ResultMeans, region_means, result_means

Scope = Rollup.Scope


def dashboard_regions(*, filters: DashboardFilters) -> dict[str, Any]:
    """Return each region in the viewer's scope with the mean of its regional figures, "n of
    m" (m: indicators assigned to the region's offices), and a region × outcome grid."""
    indicators = indicators_filtered(filters=filters)
    figures = headline(
        filters=filters, indicators=indicators, scope=Scope.REGION, regions=filters.regions
    )
    means = region_means(indicators=indicators, figures=figures, kinds=("all", "outcome"))
    outcomes = list(Outcome.objects.filter(strategy=filters.strategy))
    regions = []
    for r in filters.regions:
        own = means.get(r.pk) or ResultMeans()
        item = ResultProgress(obj=r, code=r.code, title=str(r), mean=own[ALL])
        item.children.extend(
            ResultProgress(obj=o, code=o.code, title=o.title, mean=own["outcome", o.pk])
            for o in outcomes
        )
        regions.append(item)
    return {
        "regions": regions,
        "outcomes": outcomes,
        "as_of": latest(r.as_of for r in regions),
        "chart": bar_chart(regions, _("Mean progress (%)")),
    }


def dashboard_markers(*, filters: DashboardFilters) -> dict[str, Any]:
    """Return each cross-cutting marker with its mean progress, "n of m", and its indicators'
    headline figures."""
    indicators = indicators_filtered(filters=filters, prefetch=("markers",))
    figures = by_indicator(headline(filters=filters, indicators=indicators))
    means = result_means(indicators=indicators, figures=figures, kinds=("marker",))
    listed = indicator_figures(filters=filters, indicators=indicators, figures=figures)
    markers = []
    for m in filters.markers:
        markers.append(
            {
                "summary": ResultProgress(
                    obj=m, code=m.code, title=m.name, mean=means["marker", m.pk]
                ),
                "figures": [
                    f for f in listed if any(x.pk == m.pk for x in f.indicator.markers.all())
                ],
            }
        )
    return {
        "markers": markers,
        "as_of": latest(m["summary"].as_of for m in markers),
        "chart": bar_chart([m["summary"] for m in markers], _("Mean progress (%)")),
    }


def dashboard_sdg(*, filters: DashboardFilters) -> dict[str, Any]:
    """Return the SDG targets the framework's indicators link to, each with its indicators
    and their mean progress ("n of m")."""
    indicators = indicators_filtered(filters=filters, prefetch=("sdg_targets",))
    figures = by_indicator(headline(filters=filters, indicators=indicators))
    means = result_means(indicators=indicators, figures=figures, kinds=("sdg",))
    targets = sorted(
        {t.pk: t for i in indicators for t in i.sdg_targets.all()}.values(),
        key=lambda t: (t.goal, t.code),
    )
    items = [
        {
            "summary": ResultProgress(obj=t, code=t.code, title=t.title, mean=means["sdg", t.pk]),
            "indicators": [i for i in indicators if any(x.pk == t.pk for x in i.sdg_targets.all())],
        }
        for t in targets
    ]
    return {
        "targets": items,
        "as_of": latest(t["summary"].as_of for t in items),
        "chart": bar_chart([t["summary"] for t in items], _("Mean progress (%)")),
    }
