"""The dashboards' filters: a range of periods, a region, a marker and a strategic priority,
read from the page's GET parameters so that URLs can be shared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from offices.models import Region
from offices.permissions import regions_visible
from outcomes.models import Marker, StrategicPriority, Strategy
from reporting.models import ReportingPeriod
from reporting.selectors.periods import period_range
from rollups.models import Rollup
from rollups.selectors import headline_span

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class DashboardFilters:
    """What a dashboard page shows, parsed from its GET parameters (so URLs can be shared)."""

    strategy: Strategy
    all_periods: list[ReportingPeriod]
    period_from: ReportingPeriod
    period_to: ReportingPeriod
    regions: list[Region] = field(default_factory=list)  # the regions the viewer may open
    markers: list[Marker] = field(default_factory=list)
    priorities: list[StrategicPriority] = field(default_factory=list)
    region: Region | None = None
    marker: Marker | None = None
    priority: StrategicPriority | None = None
    errors: tuple[str, ...] = ()

    # The period the range would end at had the reader not chosen one, when the headline moved
    # back from it to the last complete period (offices are still reporting for it).
    open_latest: ReportingPeriod | None = None

    @property
    def period_open(self) -> bool:
        """Return whether offices are still reporting for the headline's period."""
        return self.period_to.state == ReportingPeriod.State.OPEN

    @property
    def periods(self) -> list[ReportingPeriod]:
        start, end = self.period_from.start_date, self.period_to.start_date
        return [p for p in self.all_periods if start <= p.start_date <= end]

    @cached_property
    def span(self) -> str:
        """Return the span of the headline figures (rollups.selectors.headline_span)."""
        return headline_span(
            strategy=self.strategy, period_from=self.period_from, period_to=self.period_to
        )

    @property
    def headline_label(self) -> str:
        """Return what the headline figures cover, e.g. "year to date at 2023-Q4"."""
        labels = {
            Rollup.Span.PERIOD: _("the quarter %(period)s"),
            Rollup.Span.YEAR_TO_DATE: _("year to date at %(period)s"),
            Rollup.Span.STRATEGY_TO_DATE: _("strategy to date at %(period)s"),
        }
        return labels[self.span] % {"period": self.period_to.code}

    def params(self, **overrides: str | None) -> dict[str, str]:
        values = {
            "from": self.period_from.code,
            "to": self.period_to.code,
            "region": self.region.code if self.region else "",
            "marker": self.marker.code if self.marker else "",
            "priority": self.priority.code if self.priority else "",
        }
        values.update({k: v or "" for k, v in overrides.items()})
        return {k: v for k, v in values.items() if v}

    def query(self, **overrides: str | None) -> str:
        """Return the query string that reproduces these filters (with some changed)."""
        return urlencode(self.params(**overrides))


def dashboard_filters(
    *,
    user: AbstractBaseUser,
    strategy: Strategy,
    params: Mapping[str, str],
    today: dt.date | None = None,
) -> DashboardFilters:
    """Parse the dashboard GET parameters: `from`/`to` period codes (reporting's
    `period_range`), `region`, `marker` and `priority` codes. Unknown values are ignored (and
    reported in `errors`); a region outside the viewer's scope is refused.

    Default range: from the strategy's first period to the last complete one (the last that
    has started and is no longer open); the reader may pick an open one.
    """
    chosen_range = period_range(strategy=strategy, params=params, today=today)
    errors: list[str] = list(chosen_range.errors)
    period_from, period_to, open_latest = (
        chosen_range.period_from,
        chosen_range.period_to,
        None,
    )
    if not (params.get("to") or "").strip() and period_to.state == ReportingPeriod.State.OPEN:
        complete = [
            p
            for p in chosen_range.all_periods
            if p.start_date <= period_to.start_date and p.state != ReportingPeriod.State.OPEN
        ]
        if complete and complete[-1].start_date >= period_from.start_date:
            open_latest, period_to = period_to, complete[-1]

    region = None
    regions = list(regions_visible(user).order_by("city"))
    code = (params.get("region") or "").strip()
    if code:
        region = next((r for r in regions if r.code == code), None)
        if region is None:
            if Region.objects.filter(code=code).exists():
                raise PermissionDenied(_("This region is outside your scope."))
            errors.append(_("Unknown region “%(code)s”; it was ignored.") % {"code": code})

    markers = list(Marker.objects.filter(strategy=strategy).order_by("order", "code"))
    priorities = list(StrategicPriority.objects.filter(strategy=strategy).order_by("order"))
    chosen: dict[str, Any] = {}
    unknown = {
        "marker": _("Unknown marker “%(code)s”; it was ignored."),
        "priority": _("Unknown strategic priority “%(code)s”; it was ignored."),
    }
    for key, options in (("marker", markers), ("priority", priorities)):
        code = (params.get(key) or "").strip()
        chosen[key] = next((o for o in options if o.code == code), None) if code else None
        if code and chosen[key] is None:
            errors.append(unknown[key] % {"code": code})
    return DashboardFilters(
        strategy=strategy,
        all_periods=chosen_range.all_periods,
        period_from=period_from,
        period_to=period_to,
        open_latest=open_latest,
        regions=regions,
        markers=markers,
        priorities=priorities,
        region=region,
        marker=chosen["marker"],
        priority=chosen["priority"],
        errors=tuple(errors),
    )
