"""A result's mean (an outcome's, deliverable's, output's, marker's, SDG target's, region's):
the mean progress and pace of its indicators that have data, and its band (rollups.bands)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from deliverables.models import Assignment, Indicator
from reporting.models import ReportingPeriod
from rollups.bands import BAND_ORDER, Band, status_band
from rollups.selectors.figures import Figure
from rollups.selectors.headline import indicator_counts

# Each indicator counts between 0% and 100% in a mean: one far past its target must not hide
# another that is off track. An indicator's own figures are never capped.
PROGRESS_FLOOR, PROGRESS_CAP = Decimal(0), Decimal(1)

# The results an indicator belongs to, as (kind, pk) keys of `result_means`.
ALL = ("all", 0)  # every indicator that counts
OUTPUTS = ("outputs", 0)  # every institutional output's indicators together


def _capped_mean(values: Iterable[Decimal]) -> Decimal | None:
    counted = [min(max(v, PROGRESS_FLOOR), PROGRESS_CAP) for v in values]
    return sum(counted, Decimal(0)) / len(counted) if counted else None


@dataclass(frozen=True)
class ResultMean:
    """A result's figures: means over its indicators with data, "n of m", band, data as of."""

    progress: Decimal | None  # mean progress, 1.0 = 100%
    pace: Decimal | None  # mean progress against the pro-rated targets
    with_data: int  # n
    indicators: int  # m
    band: str
    as_of: dt.datetime | None
    # How many of its indicators are in each band, in BAND_ORDER, bands with none left out:
    # why the result has its band (a mean can be on track with most indicators at risk).
    bands: tuple[tuple[str, int], ...] = ()
    # The band the mean alone gives (the band itself is `in_progress` while offices report).
    verdict: str = ""

    @property
    def in_progress(self) -> bool:
        return self.band == Band.IN_PROGRESS


def result_mean(*, figures: Sequence[Figure | None]) -> ResultMean:
    """Return the mean of a result given one entry per indicator that counts (None: that
    indicator has no figure).

    An indicator has data when its figure measures approved data against a target; mean
    progress and mean pace are over those, each capped to 0–100% (a missing pace is the
    progress, as in `status_band`), and the band is `status_band` of the two means.
    """
    measured = [f for f in figures if f is not None and f.measured]
    progress = _capped_mean(f.progress for f in measured)
    pace = _capped_mean(f.progress if f.pace is None else f.pace for f in measured)
    times = [f.computed_at for f in figures if f is not None and f.computed_at]
    verdict = status_band(progress=progress, pace=pace, has_data=bool(measured))
    open_period = any(f is not None and f.in_progress for f in figures)
    counts: dict[str, int] = {}
    for f in figures:
        band = Band.NO_DATA if f is None else f.status
        counts[band] = counts.get(band, 0) + 1
    return ResultMean(
        progress=progress,
        pace=pace,
        with_data=len(measured),
        indicators=len(figures),
        band=Band.IN_PROGRESS if open_period else verdict,
        as_of=max(times) if times else None,
        bands=tuple((band, counts[band]) for band in BAND_ORDER if counts.get(band)),
        verdict=verdict,
    )


class ResultMeans(dict[tuple[str, int], ResultMean]):
    """Results' means by (kind, pk); a result without an indicator that counts has none."""

    def __missing__(self, key: tuple[str, int]) -> ResultMean:
        return result_mean(figures=())


def _results_of(indicator: Indicator, kinds: Iterable[str]) -> Iterator[tuple[str, int]]:
    for kind in kinds:
        if kind == "all":
            yield ALL
        elif kind == "outcome" and indicator.deliverable_id:
            yield kind, indicator.deliverable.outcome_id
        elif kind == "deliverable" and indicator.deliverable_id:
            yield kind, indicator.deliverable_id
        elif kind == "output" and indicator.output_id:
            yield kind, indicator.output_id
        elif kind == "outputs" and indicator.output_id:
            yield OUTPUTS
        elif kind == "marker":
            yield from ((kind, m.pk) for m in indicator.markers.all())
        elif kind == "sdg":
            yield from ((kind, t.pk) for t in indicator.sdg_targets.all())


def result_means(
    *, indicators: Iterable[Indicator], figures: Mapping[int, Figure], kinds: Iterable[str]
) -> ResultMeans:
    """Return the mean of each result of these kinds that these indicators belong to, from each
    indicator's figure ({indicator pk: figure}); indicators that do not count are left out.

    Kinds: "all" (key `ALL`), "outcome", "deliverable", "output", "outputs" (key `OUTPUTS`),
    "marker", "sdg". "outcome" needs the deliverables loaded, "marker" and "sdg" the markers
    and SDG targets prefetched.
    """
    kinds = tuple(kinds)
    members: dict[tuple[str, int], list[Figure | None]] = defaultdict(list)
    for indicator in indicators:
        if indicator_counts(indicator):
            for key in _results_of(indicator, kinds):
                members[key].append(figures.get(indicator.pk))
    return ResultMeans({key: result_mean(figures=found) for key, found in members.items()})


def result_trend(
    *,
    indicators: Iterable[Indicator],
    figures: Iterable[Figure],
    periods: Iterable[ReportingPeriod],
) -> list[tuple[ReportingPeriod, ResultMean]]:
    """Return, for each period, the mean of these indicators' figures at that period (the
    figures of one span and scope, over the periods)."""
    counted = [i.pk for i in indicators if indicator_counts(i)]
    by_key = {(f.indicator_id, f.period_id): f for f in figures}
    return [
        (period, result_mean(figures=[by_key.get((pk, period.pk)) for pk in counted]))
        for period in periods
    ]


def region_means(
    *, indicators: Sequence[Indicator], figures: Iterable[Figure], kinds: Iterable[str]
) -> dict[int, ResultMeans]:
    """Return each region's means ({region pk: means}) from the regional figures: a region's
    results count the indicators assigned to its offices (one query)."""
    ids = [i.pk for i in indicators]
    assigned: dict[int, set[int]] = defaultdict(set)
    for region_id, indicator_id in (
        Assignment.objects.filter(is_active=True, indicator__in=ids, office__region__isnull=False)
        .values_list("office__region_id", "indicator_id")
        .order_by()
        .distinct()
    ):
        assigned[region_id].add(indicator_id)
    by_region: dict[int, dict[int, Figure]] = defaultdict(dict)
    for figure in figures:
        by_region[figure.region_id][figure.indicator_id] = figure
    kinds = tuple(kinds)
    return {
        region_id: result_means(
            indicators=[i for i in indicators if i.pk in own],
            figures=by_region.get(region_id, {}),
            kinds=kinds,
        )
        for region_id, own in assigned.items()
    }
