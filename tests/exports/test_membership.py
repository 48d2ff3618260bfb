"""The membership update's data: read from the roll-ups for the range's span, with a fixed
number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exports.services import ExportError
from rollups.models import Rollup
from tests.exports.helpers import AS_OF, build, write_rollup
from tests.factories import IndicatorFactory

Span = Rollup.Span
Scope = Rollup.Scope


def test_membership_update_build_reads_strategy_to_date_rollups(world, number_indicator):
    # when the update is built for the whole strategy
    update = build(world)
    # then each indicator carries its global strategy-to-date roll-up
    rows = {row.code: row for row in update.indicators}
    assert update.span == Span.STRATEGY_TO_DATE
    assert rows["A.i.1"].actual == Decimal("3500")
    assert rows["A.i.1"].progress == Decimal("0.7")
    assert rows["O.a.1"].actual == Decimal("50")
    assert rows["C.i.1"].status == "no_data"
    assert update.data_as_of == AS_OF
    # and outcomes, outputs and markers average the indicators that have data
    outcome_a = next(o for o in update.outcomes if o.code == "a")
    assert outcome_a.summary.progress == Decimal("0.7")
    outcome_c = next(o for o in update.outcomes if o.code == "c")
    assert (outcome_c.summary.n_with_data, outcome_c.summary.n_indicators) == (0, 1)
    assert update.summary.progress == Decimal("0.725")  # mean of 0.7 and 0.75
    markers = {m.code: m.summary for m in update.markers}
    assert markers["gender"].progress == Decimal("0.7")
    assert markers["inequalities"].progress == Decimal("0.75")
    # and the regional breakdown, the yearly figures and the highlights come through
    regions = {r.code: r.summary.progress for r in update.regions}
    assert regions["nairobi"] == Decimal("0.6")
    assert regions["bangkok"] == Decimal("0.9")
    years = {y.year: y for y in rows["A.i.1"].years}
    assert years[2021].actual == Decimal("900")
    assert years[2023].target == Decimal("1000")
    assert years[2023].dimensions == [
        ("sex", "female", Decimal("80")),
        ("sex", "male", Decimal("70")),
    ]
    texts = [h.text for h in outcome_a.highlights]
    assert texts == ["Kenya assisted returnees in Mombasa with reintegration grants."]
    # and completeness counts approved against assigned (3 indicators × 3 offices, 2 assigned)
    assert update.completeness_approved == 3


def test_membership_update_build_uses_a_fixed_number_of_queries(world, strategy):
    # given the number of queries for the update as it is
    with CaptureQueriesContext(connection) as before:
        build(world)
    # when more indicators and roll-ups are added
    deliverable = strategy.outcome_set.get(code="b").deliverables.get(code="ii")
    for n in range(5):
        indicator = IndicatorFactory(deliverable=deliverable, code=f"B.ii.{n}")
        write_rollup(
            indicator,
            world["last"],
            span=Span.STRATEGY_TO_DATE,
            progress=Decimal("0.5"),
            status="at_risk",
            actual=Decimal(n),
        )
    with CaptureQueriesContext(connection) as after:
        build(world)
    # then the count does not grow
    assert len(after) == len(before)
    assert len(before) <= 20


@pytest.mark.parametrize(
    ("first", "last", "span"),
    [
        ("2021-Q1", "2021-Q4", Span.YEAR_TO_DATE),
        ("2022-Q3", "2022-Q3", Span.PERIOD),
        ("2019-Q1", "2021-Q2", Span.STRATEGY_TO_DATE),
    ],
)
def test_membership_update_build_picks_the_span_of_the_range(world, first, last, span):
    assert build(world, first, last).span == span


@pytest.mark.parametrize(("first", "last"), [("2022-Q1", "2021-Q4"), ("2021-Q2", "2022-Q1")])
def test_membership_update_build_refuses_a_range_no_rollup_covers(world, first, last):
    with pytest.raises(ExportError):
        build(world, first, last)


def test_membership_update_year_uses_year_to_date_rollups(world):
    # when the update is built for 2021
    update = build(world, "2021-Q1", "2021-Q4")
    # then the figures are 2021's
    rows = {row.code: row for row in update.indicators}
    assert rows["A.i.1"].actual == Decimal("900")
    assert [y.year for y in rows["A.i.1"].years] == [2021]
    assert all(o.highlights == [] for o in update.outcomes)  # the narratives are from 2023
