"""Builders for the dashboard tests: Rollup rows written directly with known
values (the dashboards only read them, so these tests do not depend on the roll-up engine)."""

import datetime as dt
from decimal import Decimal

from deliverables.models import Indicator
from offices.models import Office, Region
from reporting.models import ReportingPeriod
from rollups.models import Rollup
from tests.factories import IndicatorFactory

T0 = dt.datetime(2024, 1, 10, 8, 0, tzinfo=dt.UTC)


def dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def make_rollup(
    indicator: Indicator,
    period: ReportingPeriod,
    *,
    progress: str | None = None,
    actual: str | None = None,
    target: str | None = "1000",
    scope: str = Rollup.Scope.GLOBAL,
    region: Region | None = None,
    office: Office | None = None,
    span: str = Rollup.Span.STRATEGY_TO_DATE,
    status: str | None = None,
    computed_at: dt.datetime = T0,
    provisional_actual: str | None = None,
    provisional_updates_count: int = 0,
    updates_count: int = 1,
    offices_count: int = 1,
) -> Rollup:
    """Write one roll-up row with the given figures (strings → Decimal)."""
    if office is not None:
        scope = Rollup.Scope.OFFICE
    elif region is not None:
        scope = Rollup.Scope.REGION
    if status is None:
        status = Rollup.Status.NO_DATA if progress is None else Rollup.Status.ON_TRACK
    return Rollup.objects.create(
        indicator=indicator,
        period=period,
        scope=scope,
        region=region,
        office=office,
        span=span,
        actual=dec(actual if actual is not None else progress and str(Decimal(progress) * 1000)),
        target=dec(target),
        baseline=Decimal("0"),
        progress=dec(progress),
        status=status,
        updates_count=updates_count,
        offices_count=offices_count,
        provisional_actual=dec(provisional_actual),
        provisional_updates_count=provisional_updates_count,
        computed_at=computed_at,
    )


def dash_indicator(strategy, *, outcome: str = "", deliverable: str = "", output: str = "", **kw):
    """Create an indicator on the strategy's deliverable (outcome code, deliverable code) or
    institutional output (code)."""
    if output:
        kw.update(deliverable=None, output=strategy.institutionaloutput_set.get(code=output))
    else:
        kw["deliverable"] = strategy.outcome_set.get(code=outcome).deliverables.get(
            code=deliverable
        )
    return IndicatorFactory(**kw)
