"""deliverables.selectors: an office's target, one rule for one indicator and for many."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deliverables.models import Indicator
from deliverables.selectors import target_for, targets_for
from tests.factories import IndicatorFactory, IndicatorTargetFactory

Measure = Indicator.Measure
GLOBAL, OWN = Decimal("60"), Decimal("75")


@pytest.fixture
def indicators(strategy) -> dict[str, Indicator]:
    """One indicator per measure, each with a global 2021 target."""
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="i")
    made = {}
    for measure in Measure.values:
        indicator = IndicatorFactory(
            deliverable=deliverable, code=f"A.i.{measure}", measure=measure
        )
        IndicatorTargetFactory(indicator=indicator, year=2021, value=GLOBAL)
        made[measure] = indicator
    return made


def test_scale_free_measures_are_rates_answers_and_levels():
    assert set(Indicator.SCALE_FREE_MEASURES) == {"percentage", "yes_no", "ordinal"}


@pytest.mark.parametrize("measure", ["percentage", "yes_no", "ordinal"])
def test_target_for_scale_free_measure_falls_back_to_the_global_target(indicators, kenya, measure):
    # given a scale-free indicator with only a global target
    indicator = indicators[measure]
    # when an office's target is asked for
    # then the global one stands in, that year only
    assert target_for(indicator=indicator, office=kenya, year=2021) == GLOBAL
    assert target_for(indicator=indicator, office=kenya, year=2022) is None


@pytest.mark.parametrize("measure", ["number", "qualitative"])
def test_target_for_number_has_no_global_fallback(indicators, kenya, measure):
    # given a count (or a qualitative indicator) with only a global target
    # when an office's target is asked for
    # then there is none: a global count is not an office's target
    assert target_for(indicator=indicators[measure], office=kenya, year=2021) is None


@pytest.mark.parametrize("measure", Measure.values)
def test_target_for_own_target_wins(indicators, kenya, uganda, measure):
    # given an office target for Kenya beside the global one
    indicator = indicators[measure]
    IndicatorTargetFactory(indicator=indicator, year=2021, office=kenya, value=OWN)
    # then Kenya gets its own, and another office does not get Kenya's
    assert target_for(indicator=indicator, office=kenya, year=2021) == OWN
    expected = GLOBAL if measure in Indicator.SCALE_FREE_MEASURES else None
    assert target_for(indicator=indicator, office=uganda, year=2021) == expected


def test_targets_for_follows_the_same_rule_in_one_query(indicators, kenya):
    # given Kenya's own target for the number and the percentage indicators
    for measure in ("number", "percentage"):
        IndicatorTargetFactory(indicator=indicators[measure], year=2021, office=kenya, value=OWN)
    listed = list(indicators.values())
    # when the targets of all of them are asked for at once
    with CaptureQueriesContext(connection) as queries:
        found = targets_for(indicators=listed, office=kenya, year=2021)
    # then one query gives, per indicator, what target_for gives, and whose it is
    assert len(queries) == 1
    assert found == {
        indicators["number"].pk: (OWN, True),
        indicators["percentage"].pk: (OWN, True),
        indicators["yes_no"].pk: (GLOBAL, False),
        indicators["ordinal"].pk: (GLOBAL, False),
    }
    for indicator in listed:
        value = found.get(indicator.pk, (None, False))[0]
        assert target_for(indicator=indicator, office=kenya, year=2021) == value
    assert targets_for(indicators=listed, office=kenya, year=2030) == {}
