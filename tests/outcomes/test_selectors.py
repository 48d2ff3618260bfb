"""The one rule for "the current strategy", read by every page, export and job."""

import pytest

from outcomes.models import Strategy
from outcomes.selectors import strategy_current


@pytest.mark.django_db
def test_strategy_current_none_before_a_strategy_is_loaded():
    assert strategy_current() is None


def test_strategy_current_is_the_latest_marked_current(strategy):
    # given a later strategy being drafted (not current) and an older one still marked current
    Strategy.objects.create(
        code="next", title="Next", start_year=2024, end_year=2028, is_current=False
    )
    Strategy.objects.create(
        code="old", title="Old", start_year=2014, end_year=2018, is_current=True
    )
    # then the current one is the latest of those marked current, not the latest of all
    assert strategy_current() == strategy


def test_strategy_current_falls_back_to_the_latest_when_none_is_marked(strategy):
    Strategy.objects.update(is_current=False)
    later = Strategy.objects.create(
        code="next", title="Next", start_year=2024, end_year=2028, is_current=False
    )
    assert strategy_current() == later
