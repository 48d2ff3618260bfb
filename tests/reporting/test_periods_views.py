"""The periods page: HQ results managers open, close, lock and reopen periods; reopening a
locked period needs a reason, which the period's history shows."""

from django.urls import reverse

from reporting.models import ReportingPeriod

State = ReportingPeriod.State
URL = "reporting:periods"


def test_periods_page_lists_every_period_with_its_state(client_as, periods):
    response = client_as("hq").get(reverse(URL))
    assert response.status_code == 200
    assert [r.period for r in response.context["rows"]] == list(reversed(periods))
    assert "2019-Q1" in response.content.decode()


def test_periods_close_lock_and_reopen_with_a_reason(client_as, period):
    client = client_as("hq")
    for state in (State.CLOSED, State.LOCKED):
        response = client.post(reverse(URL), {"period": period.pk, "state": state})
        assert response.status_code == 302
        period.refresh_from_db()
        assert period.state == state
    # reopening a locked period without a reason is refused beside the reason field
    response = client.post(reverse(URL), {"period": period.pk, "state": State.OPEN, "reason": ""})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.period == period)
    assert "Give the reason" in row.form.errors["reason"][0]
    assert "Give the reason" in response.content.decode()
    period.refresh_from_db()
    assert period.state == State.LOCKED
    # with a reason it opens, and the history shows who did it and why
    response = client.post(
        reverse(URL),
        {"period": period.pk, "state": State.OPEN, "reason": "Kenya's late flood data"},
        follow=True,
    )
    period.refresh_from_db()
    assert period.state == State.OPEN
    html = response.content.decode()
    assert "Period 2023-Q4 is now open." in html
    assert "Locked → Open: Kenya&#x27;s late flood data" in html
    assert "hq:" in html


def test_periods_unknown_period_or_state_changes_nothing(client_as, period):
    client = client_as("admin")
    assert client.post(reverse(URL), {"period": 999999, "state": "closed"}).status_code == 404
    response = client.post(reverse(URL), {"period": period.pk, "state": "archived"})
    assert response.status_code == 200
    period.refresh_from_db()
    assert period.state == State.OPEN


def test_periods_page_is_for_hq_results_managers(client_as, period):
    for role in ("field", "reviewer", "steering", "norole"):
        assert client_as(role).get(reverse(URL)).status_code == 403
        response = client_as(role).post(reverse(URL), {"period": period.pk, "state": "locked"})
        assert response.status_code == 403
    period.refresh_from_db()
    assert period.state == State.OPEN
