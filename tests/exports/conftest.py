"""Fixtures of the export tests: roll-ups with known numbers for the whole strategy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from outcomes.models import Marker
from rollups.models import Rollup
from tests.exports.helpers import AS_OF, write_rollup
from tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    UpdateFactory,
    close_periods,
)

Span = Rollup.Span
Scope = Rollup.Scope


@pytest.fixture
def yes_no_indicator(strategy):
    """A decreasing yes/no indicator on deliverable (c)(i), with no roll-up (no data)."""
    deliverable = strategy.outcome_set.get(code="c").deliverables.get(code="i")
    indicator = IndicatorFactory(
        deliverable=deliverable,
        code="C.i.1",
        name="Offices with a backlog of cases",
        measure="yes_no",
        direction="decrease",
        cumulative=False,
        baseline_value=Decimal("5"),
        baseline_year=2018,
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=indicator, year=year, value=Decimal("2"))
    return indicator


@pytest.fixture
def world(
    strategy,
    periods,
    number_indicator,
    percentage_indicator,
    yes_no_indicator,
    kenya,
    uganda,
    nairobi,
    bangkok,
    users,
):
    """Roll-ups with known numbers for 2019-Q1 … 2023-Q4, and a few approved updates."""
    by_code = {p.code: p for p in periods}
    markers = {m.code: m for m in Marker.objects.filter(strategy=strategy)}
    number_indicator.markers.add(markers["gender"], markers["environment"])
    number_indicator.baseline_year = 2018
    number_indicator.save()
    percentage_indicator.markers.add(markers["inequalities"])
    percentage_indicator.baseline_year = 2018
    percentage_indicator.save()
    # Strategy to date at every quarter (the trend), rising to the final figures in 2023-Q4.
    for index, period in enumerate(periods, start=1):
        write_rollup(
            number_indicator,
            period,
            span=Span.STRATEGY_TO_DATE,
            actual=Decimal(175 * index),
            target=Decimal("5000"),
            baseline=Decimal("0"),
            progress=Decimal(175 * index) / Decimal("5000"),
            status="at_risk",
            updates_count=2 * index,
            offices_count=2,
        )
        write_rollup(
            percentage_indicator,
            period,
            span=Span.STRATEGY_TO_DATE,
            actual=Decimal("50"),
            target=Decimal("60"),
            baseline=Decimal("20"),
            progress=Decimal("0.75"),
            status="on_track",
            updates_count=3,
            offices_count=3,
            numerator=Decimal("150"),
            denominator=Decimal("300"),
        )
    # Each year's figure: year to date at Q4; 2023's with its sex split (the approved updates').
    for offset, year in enumerate(strategy.years):
        q4 = by_code[f"{year}-Q4"]
        split = {}
        if year == 2023:
            split = {
                "part_sex_female": Decimal("80"),
                "part_sex_male": Decimal("70"),
                "covered_sex_updates": 2,
                "covered_sex_total": Decimal("150"),
            }
        write_rollup(
            number_indicator,
            q4,
            span=Span.YEAR_TO_DATE,
            actual=Decimal(700 + 100 * offset),
            target=Decimal("1000"),
            baseline=Decimal("0"),
            progress=Decimal("0.7"),
            status="at_risk",
            updates_count=8,
            offices_count=2,
            **split,
        )
        write_rollup(
            percentage_indicator,
            q4,
            span=Span.YEAR_TO_DATE,
            actual=Decimal(30 + 5 * offset),
            target=Decimal("60"),
            baseline=Decimal("20"),
            progress=Decimal("0.5"),
            status="at_risk",
            updates_count=3,
            offices_count=3,
        )
    last = by_code["2023-Q4"]
    Rollup.objects.filter(
        indicator=number_indicator, period=last, span=Span.STRATEGY_TO_DATE
    ).update(actual=Decimal("3500"), progress=Decimal("0.7"), computed_at=AS_OF)
    # The regions, strategy to date.
    write_rollup(
        number_indicator,
        last,
        span=Span.STRATEGY_TO_DATE,
        scope=Scope.REGION,
        region=nairobi,
        actual=Decimal("2000"),
        target=Decimal("3000"),
        progress=Decimal("0.6"),
        status="at_risk",
        updates_count=30,
        offices_count=2,
    )
    write_rollup(
        number_indicator,
        last,
        span=Span.STRATEGY_TO_DATE,
        scope=Scope.REGION,
        region=bangkok,
        actual=Decimal("1500"),
        target=Decimal("2000"),
        progress=Decimal("0.9"),
        status="on_track",
        updates_count=10,
        offices_count=1,
    )
    # Approved updates in 2023 with narratives and a sex split; a submitted one that must not count.
    UpdateFactory(
        indicator=number_indicator,
        office=kenya,
        period=by_code["2023-Q1"],
        status="approved",
        value=Decimal("100"),
        disaggregations={"sex": {"female": 60, "male": 40}},
        narrative="Kenya assisted returnees in Mombasa with reintegration grants.",
    )
    UpdateFactory(
        indicator=number_indicator,
        office=uganda,
        period=by_code["2023-Q2"],
        status="approved",
        value=Decimal("50"),
        disaggregations={"sex": {"female": 20, "male": 30}},
    )
    UpdateFactory(
        indicator=number_indicator,
        office=kenya,
        period=by_code["2023-Q3"],
        status="submitted",
        value=Decimal("999"),
        disaggregations={"sex": {"female": 999, "male": 0}},
        narrative="Not yet approved: must not be shown.",
    )
    UpdateFactory(
        indicator=percentage_indicator,
        office=kenya,
        period=by_code["2023-Q4"],
        status="approved",
        value=Decimal("50"),
        numerator=Decimal("5"),
        denominator=Decimal("10"),
        narrative="Training reached half of the staff.",
    )
    # closed periods carry verdicts (an open one reads "reporting in progress")
    close_periods(strategy, periods)
    return {"strategy": strategy, "first": by_code["2019-Q1"], "last": last, "periods": by_code}
