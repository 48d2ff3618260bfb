"""Each validation rule of DOMAIN.md, through the services every entry path shares."""

from decimal import Decimal

import pytest

from reporting.exceptions import UpdateValidationError
from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues, submission_check, values_normalize
from reporting.services.workflow import update_save, update_submit
from tests.factories import AssignmentFactory, IndicatorFactory, UpdateFactory


def _errors(indicator, **values):
    _cleaned, errors = values_normalize(indicator=indicator, values=UpdateValues(**values))
    return errors


def test_validation_percentage_numerator_above_denominator_is_refused(percentage_indicator):
    errors = _errors(percentage_indicator, numerator=Decimal(7), denominator=Decimal(5))
    assert errors["numerator"] == ["The numerator (7) cannot be larger than the denominator (5)."]


def test_validation_percentage_denominator_must_be_positive(percentage_indicator):
    errors = _errors(percentage_indicator, numerator=Decimal(0), denominator=Decimal(0))
    assert "denominator" in errors


def test_validation_percentage_needs_both_parts(percentage_indicator):
    assert "denominator" in _errors(percentage_indicator, numerator=Decimal(3))
    assert "numerator" in _errors(percentage_indicator, denominator=Decimal(3))


def test_validation_percentage_value_is_computed_from_its_parts(percentage_indicator):
    cleaned, errors = values_normalize(
        indicator=percentage_indicator,
        values=UpdateValues(numerator=Decimal(1), denominator=Decimal(3), value=Decimal(99)),
    )
    assert errors == {}
    assert cleaned.value == Decimal("33.3333")


def test_validation_negative_count_is_refused(number_indicator):
    assert _errors(number_indicator, value=Decimal(-1)) == {
        "value": ["A count cannot be negative."]
    }


def test_validation_yes_no_takes_only_yes_or_no(strategy):
    indicator = IndicatorFactory(measure="yes_no", cumulative=False)
    assert "value" in _errors(indicator, value=Decimal(2))
    assert _errors(indicator, value=Decimal(1)) == {}


def test_validation_ordinal_level_must_exist(strategy):
    indicator = IndicatorFactory(measure="ordinal", ordinal_levels=["Low", "Medium", "High"])
    assert _errors(indicator, value=Decimal(3)) == {}
    assert "value" in _errors(indicator, value=Decimal(4))
    assert "value" in _errors(indicator, value=Decimal("1.5"))


def test_validation_disaggregation_of_unknown_dimension_or_category_is_refused(number_indicator):
    errors = _errors(
        number_indicator,
        value=Decimal(5),
        disaggregations={"age": {"0_17": 5}, "sex": {"robots": 5, "female": -1}},
    )
    assert "disaggregations" in errors  # age is not one of this indicator's dimensions
    assert "disaggregations.sex.robots" in errors
    assert "disaggregations.sex.female" in errors


def test_validation_disaggregated_parts_must_sum_to_the_total_on_submit(number_indicator):
    errors = submission_check(
        indicator=number_indicator,
        values=UpdateValues(value=Decimal(10), disaggregations={"sex": {"female": 4, "male": 5}}),
        previous_value=None,
    )
    assert errors == {"disaggregations.sex": ["The sex breakdown adds up to 9, not the total 10."]}


def test_validation_value_required_to_submit(number_indicator):
    errors = submission_check(
        indicator=number_indicator, values=UpdateValues(), previous_value=None
    )
    assert "value" in errors


@pytest.mark.parametrize(
    ("previous", "value", "needs_explanation"),
    [
        ("100", "301", True),  # more than 3x
        ("100", "300", False),  # exactly 3x is still plausible
        ("100", "33", True),  # under a third
        ("100", "34", False),
        ("0", "500", False),  # no ratio to a zero
        (None, "500", False),  # nothing to compare with
    ],
)
def test_validation_large_change_needs_an_explanation(
    number_indicator, previous, value, needs_explanation
):
    values = UpdateValues(value=Decimal(value), disaggregations={"sex": {"female": int(value)}})
    errors = submission_check(
        indicator=number_indicator,
        values=values,
        previous_value=Decimal(previous) if previous is not None else None,
    )
    assert ("narrative" in errors) is needs_explanation
    values.narrative = "A new reception centre opened."
    assert "narrative" not in submission_check(
        indicator=number_indicator,
        values=values,
        previous_value=Decimal(previous) if previous is not None else None,
    )


def test_update_submit_compares_with_the_previous_periods_value(
    users, number_indicator, kenya, periods
):
    # given Kenya reported 100 in 2023-Q3 (approved)
    q3, q4 = periods[-2], periods[-1]
    UpdateFactory(indicator=number_indicator, office=kenya, period=q3, status="approved", value=100)
    # when it enters 1000 for 2023-Q4 with no narrative
    update = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=q4,
        values=UpdateValues(value=Decimal(1000), disaggregations={"sex": {"female": 1000}}),
    )
    # then submitting asks for an explanation and leaves the draft as it was
    with pytest.raises(UpdateValidationError) as caught:
        update_submit(user=users["field"], update=update)
    assert "previous period's 100" in caught.value.message_dict["narrative"][0]
    update.refresh_from_db()
    assert update.status == IndicatorUpdate.Status.DRAFT


def test_update_save_with_errors_changes_nothing(users, percentage_indicator, kenya, period):
    with pytest.raises(UpdateValidationError):
        update_save(
            user=users["field"],
            indicator=percentage_indicator,
            office=kenya,
            period=period,
            values=UpdateValues(numerator=Decimal(9), denominator=Decimal(3)),
        )
    assert not IndicatorUpdate.objects.exists()


def test_update_save_refuses_indicator_not_assigned_to_the_office(users, strategy, kenya, period):
    from reporting.exceptions import WorkflowError

    indicator = IndicatorFactory()
    AssignmentFactory(indicator=indicator)  # assigned elsewhere only
    with pytest.raises(WorkflowError, match="not assigned"):
        update_save(
            user=users["field"],
            indicator=indicator,
            office=kenya,
            period=period,
            values=UpdateValues(value=Decimal(1)),
        )


def test_update_save_refuses_a_period_of_another_strategy(users, number_indicator, kenya):
    from reporting.exceptions import WorkflowError
    from tests.factories import PeriodFactory

    other_period = PeriodFactory()  # a quarter of a different strategy
    with pytest.raises(WorkflowError, match="does not belong"):
        update_save(
            user=users["field"],
            indicator=number_indicator,
            office=kenya,
            period=other_period,
            values=UpdateValues(value=Decimal(1)),
        )
    assert not IndicatorUpdate.objects.exists()
