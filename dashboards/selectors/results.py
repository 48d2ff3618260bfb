"""The overview and a result's page (outcome, deliverable, institutional output): each result's
mean progress with "n of m" and band, its indicators' headline figures, and a trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dashboards.selectors.changes import dashboard_changes
from dashboards.selectors.figures import (
    IndicatorFigure,
    ResultProgress,
    by_indicator,
    headline,
    indicator_figures,
    indicators_filtered,
)
from dashboards.selectors.filters import DashboardFilters
from deliverables.models import Deliverable, Indicator
from outcomes.models import InstitutionalOutput, Outcome
from rollups.models import Rollup
from rollups.selectors import ALL, result_means, result_trend, rollup_figures

Scope, Span = Rollup.Scope, Rollup.Span


@dataclass(frozen=True)
class Overview:
    outcomes: list[ResultProgress]
    outputs: list[ResultProgress]
    markers: list[ResultProgress]
    as_of: dt.datetime | None
    changes: dict[str, Any] = field(default_factory=dict)  # what changed since last quarter


def dashboard_overview(*, filters: DashboardFilters) -> Overview:
    """Return the 3 outcomes (with their deliverables), the institutional outputs and the
    cross-cutting markers, each with its mean progress, "n of m" and band."""
    indicators = indicators_filtered(filters=filters, prefetch=("markers",))
    figures = by_indicator(headline(filters=filters, indicators=indicators))
    means = result_means(
        indicators=indicators,
        figures=figures,
        kinds=("all", "outcome", "deliverable", "output", "marker"),
    )
    outcomes = []
    outcome_list = list(
        Outcome.objects.filter(strategy=filters.strategy).prefetch_related("deliverables")
    )
    for outcome in outcome_list:
        card = ResultProgress(
            obj=outcome, code=outcome.code, title=outcome.title, mean=means["outcome", outcome.pk]
        )
        card.children.extend(
            ResultProgress(
                obj=d,
                code=f"{outcome.code}.{d.code}",
                title=d.short_title or d.title,
                mean=means["deliverable", d.pk],
            )
            for d in outcome.deliverables.all()
        )
        outcomes.append(card)
    outputs = [
        ResultProgress(obj=o, code=o.code, title=o.title, mean=means["output", o.pk])
        for o in InstitutionalOutput.objects.filter(strategy=filters.strategy)
    ]
    markers = [
        ResultProgress(obj=m, code=m.code, title=m.name, mean=means["marker", m.pk])
        for m in filters.markers
    ]
    return Overview(
        outcomes=outcomes,
        outputs=outputs,
        markers=markers,
        as_of=means[ALL].as_of,
        changes=dashboard_changes(
            filters=filters, indicators=indicators, figures=figures, outcomes=outcome_list
        ),
    )


@dataclass(frozen=True)
class ResultDetail:
    result: Any
    summary: ResultProgress
    figures: list[IndicatorFigure]
    children: list[ResultProgress]
    trend: dict[str, Any]
    as_of: dt.datetime | None


def _progress_trend(*, filters: DashboardFilters, indicators: list[Indicator]) -> dict[str, Any]:
    """Return chart data: the mean strategy-to-date progress per period of the range."""
    figures = rollup_figures(
        indicators=indicators,
        windows={Span.STRATEGY_TO_DATE: filters.periods},
        scope=Scope.REGION if filters.region else Scope.GLOBAL,
        region=filters.region,
    )
    rows = []
    for period, mean in result_trend(
        indicators=indicators, figures=figures, periods=filters.periods
    ):
        value = None if mean.progress is None else round(float(mean.progress) * 100, 1)
        rows.append({"label": period.code, "value": value, "n": mean.with_data, "mean": mean})
    return {
        "rows": rows,
        "chart": {
            "type": "line",
            "labels": [r["label"] for r in rows],
            "datasets": [{"label": _("Mean progress (%)"), "data": [r["value"] for r in rows]}],
            "open": [p.state == p.State.OPEN for p in filters.periods],
            "openLabel": _("open: offices still reporting"),
            "percent": True,
        },
    }


def _result_key(result: Any) -> tuple[str, int]:
    if isinstance(result, Outcome):
        return "outcome", result.pk
    if isinstance(result, Deliverable):
        return "deliverable", result.pk
    return "output", result.pk


def _belongs(indicator: Indicator, key: tuple[str, int]) -> bool:
    kind, pk = key
    if kind == "outcome":
        return bool(indicator.deliverable_id) and indicator.deliverable.outcome_id == pk
    return getattr(indicator, f"{kind}_id") == pk


def dashboard_result(*, filters: DashboardFilters, result: Any) -> ResultDetail:
    """Return an outcome's, deliverable's or output's page: its mean progress, its children
    (an outcome's deliverables), its indicators with their headline figures, and a trend."""
    key = _result_key(result)
    own = [i for i in indicators_filtered(filters=filters) if _belongs(i, key)]
    figures = by_indicator(headline(filters=filters, indicators=own))
    means = result_means(indicators=own, figures=figures, kinds=(key[0], "deliverable"))
    summary = ResultProgress(
        obj=result,
        code=getattr(result, "full_code", result.code),
        title=result.title,
        mean=means[key],
    )
    children: list[ResultProgress] = []
    if isinstance(result, Outcome):
        children = [
            ResultProgress(
                obj=d,
                code=d.full_code,
                title=d.short_title or d.title,
                mean=means["deliverable", d.pk],
            )
            for d in result.deliverables.select_related("outcome")
        ]
    return ResultDetail(
        result=result,
        summary=summary,
        figures=indicator_figures(filters=filters, indicators=own, figures=figures),
        children=children,
        trend=_progress_trend(filters=filters, indicators=own),
        as_of=summary.as_of,
    )
