"""The rules the database itself enforces, whatever the code above it does."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from deliverables.models import Indicator
from reporting.models import IndicatorUpdate


def _update(indicator, office, period, **values) -> IndicatorUpdate:
    return IndicatorUpdate.objects.create(
        indicator=indicator, office=office, period=period, measure=indicator.measure, **values
    )


@pytest.mark.django_db
def test_update_constraint_rejects_a_second_update_for_the_same_office_and_period(
    number_indicator, kenya, period
):
    # given an update of Kenya for the indicator and period
    _update(number_indicator, kenya, period, value=Decimal(10))
    # when a second one is written for the same three
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        _update(number_indicator, kenya, period, value=Decimal(12))
    assert IndicatorUpdate.objects.count() == 1


@pytest.mark.django_db
def test_indicator_constraint_rejects_both_a_deliverable_and_an_output(strategy):
    # given a deliverable and an institutional output
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="i")
    output = strategy.institutionaloutput_set.get(code="a")
    # when an indicator would measure both
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            strategy=strategy,
            deliverable=deliverable,
            output=output,
            code="A.i.9",
            name="Both",
            measure="number",
        )


@pytest.mark.django_db
def test_indicator_constraint_rejects_neither_a_deliverable_nor_an_output(strategy):
    # when an indicator would measure nothing
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(strategy=strategy, code="X.1", name="Neither", measure="number")


@pytest.mark.django_db
def test_indicator_constraint_rejects_a_duplicate_code_in_a_strategy(number_indicator, strategy):
    # given indicator A.i.1 in the strategy
    output = strategy.institutionaloutput_set.get(code="b")
    # when another indicator takes the same code in the same strategy
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            strategy=strategy, output=output, code="A.i.1", name="Again", measure="number"
        )


@pytest.mark.django_db
def test_update_constraint_rejects_a_percentage_value_without_a_denominator(
    percentage_indicator, kenya, period
):
    # when a percentage update has a value and a numerator but no denominator
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        _update(percentage_indicator, kenya, period, value=Decimal(50), numerator=Decimal(5))


@pytest.mark.django_db
def test_update_constraint_rejects_a_percentage_value_without_a_numerator(
    percentage_indicator, kenya, period
):
    # when a percentage update has a value and a denominator but no numerator
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        _update(percentage_indicator, kenya, period, value=Decimal(50), denominator=Decimal(10))


@pytest.mark.django_db
def test_update_constraint_rejects_a_zero_denominator(percentage_indicator, kenya, period):
    # when a percentage update's denominator is zero
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        _update(
            percentage_indicator,
            kenya,
            period,
            value=Decimal(0),
            numerator=Decimal(0),
            denominator=Decimal(0),
        )


@pytest.mark.django_db
def test_update_constraint_rejects_a_numerator_above_the_denominator(
    percentage_indicator, kenya, period
):
    # when the numerator is larger than the denominator
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        _update(
            percentage_indicator,
            kenya,
            period,
            value=Decimal(150),
            numerator=Decimal(15),
            denominator=Decimal(10),
        )


@pytest.mark.django_db
def test_update_constraint_accepts_a_complete_percentage(percentage_indicator, kenya, period):
    # when a percentage update carries its numerator and a positive denominator
    update = _update(
        percentage_indicator,
        kenya,
        period,
        value=Decimal(40),
        numerator=Decimal(4),
        denominator=Decimal(10),
    )
    # then it is stored
    assert IndicatorUpdate.objects.get(pk=update.pk).denominator == Decimal(10)
