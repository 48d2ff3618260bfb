"""Close, Lock and Reopen ask for confirmation on a page saying what the change does; only
the page's POST changes the period."""

import pytest
from django.urls import reverse

from reporting.models import ReportingPeriod

State = ReportingPeriod.State


def _change_url(period, state: str) -> str:
    return f"{reverse('reporting:period_change', args=[period.pk])}?state={state}"


def test_periods_page_links_each_change_to_its_confirmation(client_as, period):
    html = client_as("hq").get(reverse("reporting:periods")).content.decode()
    assert f'href="{_change_url(period, "closed")}"' in html
    assert f'href="{_change_url(period, "locked")}"' in html
    assert 'name="state" value="locked"' not in html  # no one-click state change


@pytest.mark.parametrize(
    ("start", "state", "action", "effect"),
    [
        (State.OPEN, State.CLOSED, "Close 2023-Q4", "can no longer start or submit new updates"),
        (State.OPEN, State.LOCKED, "Lock 2023-Q4", "Nothing about 2023-Q4 can change any more"),
        (State.CLOSED, State.OPEN, "Reopen 2023-Q4 for entry", "can enter, save and submit"),
        (State.LOCKED, State.OPEN, "Reopen 2023-Q4 for entry", "You must give the reason"),
    ],
)
def test_period_change_page_says_what_it_does_and_changes_nothing_on_get(
    client_as, period, kenya_submitted, start, state, action, effect
):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=start)
    response = client_as("hq").get(_change_url(period, state))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert f'<h1 class="h3">{action}?</h1>' in html
    assert effect in html
    assert 'method="post"' in html
    period.refresh_from_db()
    assert period.state == start


def test_period_lock_page_counts_what_still_waits(client_as, period, kenya_submitted):
    response = client_as("hq").get(_change_url(period, State.LOCKED))
    assert response.context["change"].counts["submitted"] == 1
    assert "1 submitted update still waiting for review" in response.content.decode()


def test_period_change_confirmed_by_post(client_as, period):
    client = client_as("hq")
    url = reverse("reporting:period_change", args=[period.pk])
    response = client.post(url, {"state": State.LOCKED})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == State.LOCKED
    # reopening without a reason is refused on the same page, beside the field
    response = client.post(url, {"state": State.OPEN, "reason": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    period.refresh_from_db()
    assert period.state == State.LOCKED
    response = client.post(url, {"state": State.OPEN, "reason": "Late data"})
    period.refresh_from_db()
    assert period.state == State.OPEN


def test_period_change_same_state_goes_back_to_the_list(client_as, period):
    response = client_as("hq").get(_change_url(period, State.OPEN))
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["field", "reviewer", "steering"])
def test_period_change_is_for_hq_results_managers(client_as, period, role):
    assert client_as(role).get(_change_url(period, State.LOCKED)).status_code == 403
    url = reverse("reporting:period_change", args=[period.pk])
    assert client_as(role).post(url, {"state": State.LOCKED}).status_code == 403
    period.refresh_from_db()
    assert period.state == State.OPEN
