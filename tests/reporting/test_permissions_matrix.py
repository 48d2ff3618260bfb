"""Every role × every page and action of data entry and review: the status code the server
answers, and that a refused request changes nothing."""

import pytest
from django.urls import reverse

from reporting.models import IndicatorUpdate, ReportingPeriod, UpdateEvidence
from tests.reporting.entry_fixtures import entry_url, row_data

ROLES = [
    "field",  # field staff, Kenya (in scope)
    "field_ug",  # field staff, Uganda (out of scope for Kenya's data)
    "reviewer",  # reviewer, Nairobi region (Kenya in scope)
    "reviewer_bkk",  # reviewer, Bangkok region (out of scope)
    "reviewer_hq",  # reviewer of headquarters
    "steering",
    "hq",  # HQ results manager
    "admin",
    "norole",
    None,  # anonymous
]

# action: the expected code for each role, in ROLES order; "→" marks a successful change.
MATRIX = {
    "my_reporting_get": [200, 403, 403, 403, 403, 403, 403, 200, 403, 302],
    "my_reporting_post": ["302→", 403, 403, 403, 403, 403, 403, "302→", 403, 302],
    "update_detail": [200, 403, 200, 403, 403, 200, 200, 200, 403, 302],
    "update_detail_draft": [200, 403, 403, 403, 403, 403, 200, 200, 403, 302],
    "approve": [403, 403, "302→", 403, 403, 403, 403, "302→", 403, 302],
    "return": [403, 403, "302→", 403, 403, 403, 403, "302→", 403, 302],
    "reopen": [403, 403, "302→", 403, 403, 403, 403, "302→", 403, 302],
    "review_queue": [403, 403, 200, 200, 200, 403, 403, 200, 403, 302],
    "periods_get": [403, 403, 403, 403, 403, 403, 200, 200, 403, 302],
    "periods_post": [403, 403, 403, 403, 403, 403, "302→", "302→", 403, 302],
    "evidence_download": [200, 403, 200, 403, 403, 200, 200, 200, 403, 302],
}

CASES = [
    pytest.param(action, role, expected, id=f"{action}-{role or 'anonymous'}")
    for action, codes in MATRIX.items()
    for role, expected in zip(ROLES, codes, strict=True)
]


def _state(period) -> tuple:
    """Everything a request of the matrix could change."""
    period.refresh_from_db()
    updates = tuple(IndicatorUpdate.objects.order_by("pk").values_list("pk", "status", "version"))
    return updates, period.state


def _request(action: str, client, fixture):
    """Make the request for `action`; `fixture` loads a named fixture."""
    kenya, period = fixture("kenya"), fixture("period")
    if action == "my_reporting_get":
        return client.get(entry_url(kenya, period))
    if action == "my_reporting_post":
        data = {**row_data(fixture("number_indicator"), value="7"), "action": "save"}
        return client.post(entry_url(kenya, period), data)
    if action in {"update_detail", "update_detail_draft"}:
        update = fixture("kenya_submitted" if action == "update_detail" else "kenya_draft")
        return client.get(reverse("reporting:update_detail", args=[update.pk]))
    if action in {"approve", "return"}:
        update = fixture("kenya_submitted")
        url = reverse(f"reporting:update_{action}", args=[update.pk])
        return client.post(url, {"version": update.version, "comment": "Please check"})
    if action == "reopen":
        update = fixture("kenya_approved")
        url = reverse("reporting:update_reopen", args=[update.pk])
        return client.post(url, {"version": update.version, "comment": "Source revised"})
    if action == "review_queue":
        fixture("kenya_submitted")
        return client.get(reverse("reporting:review_queue"))
    if action == "periods_get":
        return client.get(reverse("reporting:periods"))
    if action == "periods_post":
        return client.post(reverse("reporting:periods"), {"period": period.pk, "state": "closed"})
    if action == "evidence_download":
        fixture("kenya_submitted")
        evidence = UpdateEvidence.objects.get()
        return client.get(reverse("reporting:evidence_download", args=[evidence.pk]))
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(request, client_as, users, period, action, role, expected):
    # given the world and the data the action works on
    fixture = request.getfixturevalue
    if action in {"approve", "return", "update_detail", "evidence_download", "review_queue"}:
        fixture("kenya_submitted")
    elif action == "reopen":
        fixture("kenya_approved")
    elif action == "update_detail_draft":
        fixture("kenya_draft")
    before = _state(period)
    client = client_as(role)
    # when the role makes the request
    response = _request(action, client, fixture)
    # then the server answers as the matrix says, and only a permitted action changes data
    code, changes = (int(expected[:3]), True) if isinstance(expected, str) else (expected, False)
    assert response.status_code == code
    if role is None:
        assert response["Location"].startswith(reverse("login"))
    after = _state(period)
    if changes:
        assert after != before
    else:
        assert after == before


def test_permission_matrix_review_queue_shows_only_the_reviewers_scope(client_as, kenya_submitted):
    listed = client_as("reviewer_bkk").get(reverse("reporting:review_queue")).context["page"]
    assert list(listed.object_list) == []
    listed = client_as("reviewer").get(reverse("reporting:review_queue")).context["page"]
    assert list(listed.object_list) == [kenya_submitted]


def test_permission_matrix_period_lock_refuses_entry_for_everyone(
    client_as, number_indicator, kenya, period
):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.LOCKED)
    for role in ("field", "admin"):
        client_as(role).post(
            entry_url(kenya, period), {**row_data(number_indicator, value="7"), "action": "save"}
        )
    assert not IndicatorUpdate.objects.exists()
