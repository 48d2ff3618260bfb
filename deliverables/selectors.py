"""Reads of indicators and their targets.

An office's target for a year is its own target when it has one. Otherwise the global target
stands in only for the scale-free measures (`Indicator.SCALE_FREE_MEASURES`: percentage,
yes/no, ordinal), where a share, an answer or a level means the same for one office as for all;
for counts (and qualitative indicators) a global figure is the sum over offices, not any one
office's target, so there is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q

from deliverables.models import Indicator, IndicatorTarget
from offices.models import Office


def _office_target(
    measure: str, own: Decimal | None, global_: Decimal | None
) -> tuple[Decimal, bool] | None:
    """Return the target that applies and whether it is the office's own, or None."""
    if own is not None:
        return own, True
    if global_ is not None and measure in Indicator.SCALE_FREE_MEASURES:
        return global_, False
    return None


def target_for(*, indicator: Indicator, office: Office, year: int) -> Decimal | None:
    """Return the office's target for the indicator in that year, or None (see the module)."""
    values = dict(
        IndicatorTarget.objects.filter(
            Q(office=office) | Q(office__isnull=True), indicator=indicator, year=year
        ).values_list("office_id", "value")
    )
    found = _office_target(indicator.measure, values.get(office.pk), values.get(None))
    return found[0] if found else None


def targets_for(
    *, indicators: Iterable[Indicator], office: Office, year: int
) -> dict[int, tuple[Decimal, bool]]:
    """Return {indicator id: (target, is the office's own)} for the indicators that have one.

    The same rule as `target_for`, in one query for pages that list many indicators.
    """
    measures = {indicator.pk: indicator.measure for indicator in indicators}
    own: dict[int, Decimal] = {}
    global_: dict[int, Decimal] = {}
    rows = IndicatorTarget.objects.filter(
        Q(office=office) | Q(office__isnull=True), indicator_id__in=list(measures), year=year
    ).values_list("indicator_id", "office_id", "value")
    for indicator_id, office_id, value in rows:
        (own if office_id is not None else global_)[indicator_id] = value
    result = {}
    for indicator_id, measure in measures.items():
        found = _office_target(measure, own.get(indicator_id), global_.get(indicator_id))
        if found is not None:
            result[indicator_id] = found
    return result
