"""The home page: a to-do list per role (field staff, reviewers, HQ, steering committee)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReportingPeriod
from reporting.services.workflow import update_return
from tests.reporting.entry_fixtures import client_as, kenya_draft, kenya_submitted  # noqa: F401

State = ReportingPeriod.State


@pytest.fixture
def kenya_returned(users, kenya_submitted):  # noqa: F811
    return update_return(
        user=users["reviewer"], update=kenya_submitted, comment="Check the female count."
    )


def test_home_field_staff_see_the_open_period_with_returned_updates_first(
    client_as,  # noqa: F811
    kenya_returned,
    percentage_indicator,
    number_indicator,
    kenya,
    period,
):
    # given Kenya's A.i.1 returned with a comment and O.a.1 not started in 2023-Q4
    # when field staff open the home page
    response = client_as("field").get(reverse("home"))
    # then their to-do names the period, its deadline, the counts and the returned update
    assert response.status_code == 200
    todo = response.context["field_todo"]
    assert [(t.office, t.period) for t in todo] == [(kenya, period)]
    assert [u.indicator for u in todo[0].returned] == [number_indicator]
    assert (todo[0].not_started, todo[0].drafts, todo[0].submitted) == (1, 0, 0)
    html = response.content.decode()
    assert "Check the female count." in html
    entry = reverse("reporting:my_reporting")
    assert f"{entry}?office={kenya.pk}&amp;period={period.pk}&amp;show=returned#row-" in html
    assert html.index("Check the female count.") < html.index("1 not started")
    assert "Waiting for your review" not in html


def test_home_reviewer_sees_the_queue_by_office_and_age(
    client_as,  # noqa: F811
    kenya_submitted,  # noqa: F811
    kenya,
):
    # given Kenya's update submitted five days ago
    type(kenya_submitted).objects.filter(pk=kenya_submitted.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=5, hours=1)
    )
    # when the Nairobi reviewer opens the home page
    response = client_as("reviewer").get(reverse("home"))
    # then the queue lists Kenya with one update waiting five days, linked to the filtered queue
    queue = response.context["review_todo"]
    assert [(q.office, q.waiting, q.days_waiting) for q in queue] == [(kenya, 1, 5)]
    html = response.content.decode()
    assert f"{reverse('reporting:review_queue')}?office={kenya.pk}" in html
    assert "5 days ago" in html
    # and Bangkok's reviewer has nothing waiting
    assert client_as("reviewer_bkk").get(reverse("home")).context["review_todo"] == []


def test_home_hq_sees_periods_closing_soon_with_their_completeness(
    client_as,  # noqa: F811
    kenya_submitted,  # noqa: F811
    periods,
    period,
):
    # given 2023-Q4 open with a deadline in ten days, and every other period closed
    ReportingPeriod.objects.exclude(pk=period.pk).update(state=State.CLOSED)
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=timezone.localdate() + dt.timedelta(days=10)
    )
    # when HQ opens the home page
    response = client_as("hq").get(reverse("home"))
    # then 2023-Q4 is listed with its days left and completeness (1 of 3 expected submitted)
    watch = response.context["hq_todo"]
    assert [w.period.code for w in watch] == ["2023-Q4"]
    assert watch[0].days_left == 10
    assert watch[0].completeness["expected"] == 3
    assert watch[0].submitted_percent == 33
    assert "in 10 days" in response.content.decode()


def test_home_steering_sees_the_overview_and_no_entry_or_review(
    client_as,  # noqa: F811
    number_indicator,
    period,
):
    response = client_as("steering").get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["steering"]["overview"].outcomes) == 3
    assert "field_todo" not in response.context
    assert "review_todo" not in response.context
    assert "Where the strategy stands" in response.content.decode()


def test_home_field_staff_query_count_is_bounded(
    client_as,  # noqa: F811
    kenya_returned,
    percentage_indicator,
    django_assert_max_num_queries,
):
    client = client_as("field")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("home")).status_code == 200
