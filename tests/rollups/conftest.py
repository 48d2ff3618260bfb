"""Fixtures for the roll-up tests: indicators of every measure, updates written straight to the
database in a chosen status, and a reader of one roll-up row."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from deliverables.models import Indicator
from offices.models import Office, Region
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.models import Rollup
from rollups.selectors import office_figures
from tests.factories import (
    AssignmentFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    OfficeFactory,
    UpdateFactory,
)


@pytest.fixture
def by_code(periods) -> dict[str, ReportingPeriod]:
    """The strategy's periods by code, e.g. by_code["2021-Q3"]."""
    return {p.code: p for p in periods}


@pytest.fixture
def rwanda(nairobi) -> Office:
    return OfficeFactory(code="co-rw", name="Rwanda", iso_code="RW", region=nairobi)


@pytest.fixture
def make_indicator(strategy) -> Callable[..., Indicator]:
    """Make an indicator on deliverable (a)(i): `targets` {year: value} global, `office_targets`
    {office: {year: value}}; `offices` are assigned to it; `dimensions` are the breakdowns it
    asks for ("sex", "age", "population")."""
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="i")
    counter = iter(range(1, 1000))

    def make(
        measure: str = "number",
        *,
        cumulative: bool = True,
        baseline: str | None = "0",
        baseline_year: int | None = 2018,
        direction: str = "increase",
        targets: dict[int, str] | None = None,
        office_targets: dict[Office, dict[int, str]] | None = None,
        offices: tuple[Office, ...] = (),
        levels: list[str] | None = None,
        dimensions: tuple[str, ...] = (),
    ) -> Indicator:
        indicator = IndicatorFactory(
            deliverable=deliverable,
            code=f"R.{next(counter)}",
            measure=measure,
            cumulative=cumulative,
            baseline_value=None if baseline is None else Decimal(baseline),
            baseline_year=baseline_year,
            direction=direction,
            ordinal_levels=levels or [],
            disaggregations=list(dimensions),
        )
        for year, value in (targets or {}).items():
            IndicatorTargetFactory(indicator=indicator, year=year, value=Decimal(value))
        for office, yearly in (office_targets or {}).items():
            for year, value in yearly.items():
                IndicatorTargetFactory(
                    indicator=indicator, year=year, office=office, value=Decimal(value)
                )
        for office in offices:
            AssignmentFactory(indicator=indicator, office=office)
        return indicator

    return make


@pytest.fixture
def report() -> Callable[..., IndicatorUpdate]:
    """Write an update straight to the database (approved unless told otherwise); `parts` are
    its disaggregated values, {"sex": {"female": 10, "male": 8}}."""

    def write(
        indicator: Indicator,
        office: Office,
        period: ReportingPeriod,
        value: str | None = None,
        *,
        numerator: str | None = None,
        denominator: str | None = None,
        text: str = "",
        status: str = IndicatorUpdate.Status.APPROVED,
        parts: dict[str, dict[str, int]] | None = None,
    ) -> IndicatorUpdate:
        if numerator is not None and value is None:
            value = str(Decimal(numerator) * 100 / Decimal(denominator))[:12]
        return UpdateFactory(
            indicator=indicator,
            office=office,
            period=period,
            status=status,
            value=None if value is None else Decimal(value),
            numerator=None if numerator is None else Decimal(numerator),
            denominator=None if denominator is None else Decimal(denominator),
            text=text,
            disaggregations=parts or {},
        )

    return write


@pytest.fixture
def rollup_row() -> Callable[..., Rollup | None]:
    """Read one roll-up row: rollup_row(indicator, period, span="period", region=…|office=…)."""

    def read(
        indicator: Indicator,
        period: ReportingPeriod,
        span: str = Rollup.Span.PERIOD,
        *,
        region: Region | None = None,
        office: Office | None = None,
    ) -> Rollup | None:
        if office is not None:  # an office's figures are computed on request, not stored
            figures = office_figures(
                indicators=[indicator], offices=[office], periods=[period], spans=[span]
            )
            return figures[0] if figures else None
        rows = Rollup.objects.filter(indicator=indicator, period=period, span=span)
        if region is not None:
            return rows.filter(scope="region", region=region).first()
        return rows.filter(scope="global").first()

    return read
