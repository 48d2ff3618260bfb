"""What changed since the last quarter: per outcome, the indicators whose band moved between
the previous quarter's headline and this one, the newly off-track ones first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboards.selectors.filters import DashboardFilters
from deliverables.models import Indicator
from rollups.bands import Band, band_label
from rollups.models import Rollup
from rollups.selectors import Figure, headline_for

Scope = Rollup.Scope
# Verdicts from best to worst; moves between them are improvements or worsenings.
_RANK = {Band.ACHIEVED: 0, Band.ON_TRACK: 1, Band.AT_RISK: 2, Band.OFF_TRACK: 3}


@dataclass(frozen=True)
class BandMove:
    indicator: Indicator
    before: str
    after: str

    @property
    def before_label(self) -> str:
        return band_label(self.before)

    @property
    def after_label(self) -> str:
        return band_label(self.after)

    @property
    def newly_off_track(self) -> bool:
        return self.after == Band.OFF_TRACK

    @property
    def direction(self) -> str:
        """Return "worse", "better" or "" (a move to or from no data or no target)."""
        if self.before in _RANK and self.after in _RANK:
            return "worse" if _RANK[self.after] > _RANK[self.before] else "better"
        return ""

    @property
    def order(self) -> tuple[int, str]:
        rank = 0 if self.newly_off_track else 1 if self.direction == "worse" else 2
        return rank, self.indicator.code


def dashboard_changes(
    *,
    filters: DashboardFilters,
    indicators: Iterable[Indicator],
    figures: Mapping[int, Figure],
    outcomes: Iterable[Any],
) -> dict[str, Any]:
    """Return, per outcome, its indicators' band moves since the quarter before the headline's
    (the same span, one query), newly off-track first; nothing while the headline's period is
    open (it has no verdict yet) or when it is the first quarter."""
    periods = filters.all_periods
    index = next(i for i, p in enumerate(periods) if p.pk == filters.period_to.pk)
    previous = periods[index - 1] if index else None
    result: dict[str, Any] = {"previous": previous, "outcomes": [], "open": filters.period_open}
    if previous is None or filters.period_open:
        return result
    indicators = [i for i in indicators if i.deliverable_id]
    scope = Scope.REGION if filters.region else Scope.GLOBAL
    before = {
        f.indicator_id: f
        for f in headline_for(
            indicators=indicators,
            period=previous,
            span=filters.span,
            scope=scope,
            region=filters.region,
        )
    }
    moves: dict[int, list[BandMove]] = {}
    for indicator in indicators:
        now, then = figures.get(indicator.pk), before.get(indicator.pk)
        after = now.status if now else Band.NO_DATA
        earlier = then.status if then else Band.NO_DATA
        if after != earlier:
            moves.setdefault(indicator.deliverable.outcome_id, []).append(
                BandMove(indicator=indicator, before=earlier, after=after)
            )
    result["outcomes"] = [
        {"outcome": o, "moves": sorted(moves.get(o.pk, []), key=lambda m: m.order)}
        for o in outcomes
    ]
    return result
