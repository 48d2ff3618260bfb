"""Indicator updates through the API: who sees and does what, the workflow actions and their
illegal transitions, stale versions and field errors. The rules themselves live in
reporting.services.workflow; these tests check the API keeps to them."""

from decimal import Decimal

import pytest

from reporting.models import IndicatorUpdate, ReportingPeriod
from tests.api.conftest import ids

Status = IndicatorUpdate.Status
URL = "/api/v1/updates/"


def _url(update, action: str = "") -> str:
    return f"{URL}{update.pk}/{action + '/' if action else ''}"


def _draft_payload(indicator, office, period, value="40"):
    return {
        "indicator": indicator.pk,
        "office": office.pk,
        "period": period.pk,
        "value": value,
        "disaggregations": {"sex": {"female": 20, "male": 20}},
    }


# --- Who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("field", {"ke_draft", "ke_submitted", "ke_approved"}),
        ("field_th", {"th_submitted", "th_draft"}),
        ("reviewer", {"ke_submitted", "ke_approved", "ug_submitted"}),
        ("reviewer_bkk", {"th_submitted"}),
        ("reviewer_hq", set()),
        ("steering", {"ke_submitted", "ke_approved", "ug_submitted", "th_submitted"}),
        (
            "hq",
            {"ke_draft", "ke_submitted", "ke_approved", "ug_submitted", "th_submitted", "th_draft"},
        ),
        (
            "admin",
            {"ke_draft", "ke_submitted", "ke_approved", "ug_submitted", "th_submitted", "th_draft"},
        ),
    ],
)
def test_updates_list_and_retrieve_within_scope(client_for, world, name, visible):
    client = client_for(name)
    expected = {world[key].pk for key in visible}
    # the list holds exactly what the role may see
    assert ids(client.get(URL)) == expected
    # and each update outside it is 404, inside 200
    for key in [
        "ke_draft",
        "ke_submitted",
        "ke_approved",
        "ug_submitted",
        "th_submitted",
        "th_draft",
    ]:
        status = client.get(_url(world[key])).status_code
        assert status == (200 if key in visible else 404), (name, key, status)


def test_updates_anonymous_401_and_no_role_403(client_for, world):
    assert client_for(None).get(URL).status_code == 401
    assert client_for(None).get(_url(world["ke_draft"])).status_code == 401
    assert client_for(None).post(URL, {}, format="json").status_code == 401
    assert client_for("norole").get(URL).status_code == 403
    assert client_for("norole").post(URL, {}, format="json").status_code == 403


def test_update_fields_are_those_promised(client_for, world):
    body = client_for("field").get(_url(world["ke_approved"])).json()
    for name in [
        "id",
        "indicator",
        "office",
        "period",
        "status",
        "version",
        "value",
        "numerator",
        "denominator",
        "text",
        "disaggregations",
        "narrative",
    ]:
        assert name in body
    assert body["indicator"] == world["ke_approved"].indicator_id
    assert (body["numerator"], body["denominator"], body["value"]) == (
        "5.0000",
        "10.0000",
        "50.0000",
    )


def test_update_delete_and_put_are_not_allowed(client_for, world):
    assert client_for("admin").delete(_url(world["ke_draft"])).status_code == 405
    assert client_for("admin").put(_url(world["ke_draft"]), {}, format="json").status_code == 405


# --- Create and change drafts ----------------------------------------------------------------


def test_update_create_draft_by_field_staff(client_for, users, number_indicator, kenya, period):
    response = client_for("field").post(
        URL, _draft_payload(number_indicator, kenya, period), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"], body["value"]) == ("draft", 1, "40.0000")
    update = IndicatorUpdate.objects.get(pk=body["id"])
    assert update.updated_by == users["field"]
    assert update.history.count() == 1


@pytest.mark.parametrize("name", ["field_ug", "reviewer", "steering", "hq"])
def test_update_create_for_another_office_is_403(client_for, name, number_indicator, kenya, period):
    response = client_for(name).post(
        URL, _draft_payload(number_indicator, kenya, period), format="json"
    )
    assert response.status_code == 403
    assert not IndicatorUpdate.objects.exists()


def test_update_create_by_admin_is_allowed(client_for, number_indicator, kenya, period):
    response = client_for("admin").post(
        URL, _draft_payload(number_indicator, kenya, period), format="json"
    )
    assert response.status_code == 201


def test_update_create_field_errors_are_400(client_for, percentage_indicator, kenya, period):
    response = client_for("field").post(
        URL,
        {
            "indicator": percentage_indicator.pk,
            "office": kenya.pk,
            "period": period.pk,
            "numerator": "12",
            "denominator": "10",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "numerator" in body["errors"]


def test_update_create_shape_errors_are_400(client_for, number_indicator, kenya, period):
    client = client_for("field")
    missing = client.post(URL, {"value": "abc"}, format="json")
    assert missing.status_code == 400
    assert {"indicator", "office", "period", "value"} <= set(missing.json()["errors"])
    unknown = client.post(
        URL, {**_draft_payload(number_indicator, kenya, period), "office": 999999}, format="json"
    )
    assert unknown.status_code == 400
    bad_json = client.post(URL, "{", content_type="application/json")
    assert bad_json.status_code == 400


def test_update_create_not_assigned_is_409(client_for, users, strategy, kenya, period):
    from tests.factories import IndicatorFactory

    deliverable = strategy.outcome_set.get(code="b").deliverables.first()
    other = IndicatorFactory(deliverable=deliverable, code="B.x.1")
    response = client_for("field").post(
        URL, _draft_payload(other, kenya, period) | {"disaggregations": {}}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "workflow"


def test_update_create_twice_is_409_with_the_current_row(
    client_for, world, number_indicator, kenya, periods
):
    existing = world["ke_draft"]
    response = client_for("field").post(
        URL, _draft_payload(number_indicator, kenya, periods[-1]), format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["current"]["id"] == existing.pk


def test_update_create_in_locked_period_is_409(client_for, number_indicator, kenya, period):
    ReportingPeriod.objects.filter(pk=period.pk).update(state="locked")
    response = client_for("field").post(
        URL, _draft_payload(number_indicator, kenya, period), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "period_locked"
    assert "locked" in response.json()["detail"]


def test_update_patch_changes_given_fields_and_keeps_the_others(client_for, world):
    update = world["ke_draft"]
    update.narrative = "Kept"
    update.save()
    response = client_for("field").patch(
        _url(update), {"version": update.version, "value": "12"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["value"], body["narrative"], body["version"]) == ("12.0000", "Kept", 2)


def test_update_patch_requires_version(client_for, world):
    response = client_for("field").patch(_url(world["ke_draft"]), {"value": "12"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_update_patch_stale_version_is_409_with_current_values(client_for, world):
    # given two writers who loaded version 1; the first saves
    update = world["ke_draft"]
    first = client_for("field").patch(_url(update), {"version": 1, "value": "11"}, format="json")
    assert first.status_code == 200
    # when the second saves with the version they loaded
    second = client_for("field").patch(_url(update), {"version": 1, "value": "99"}, format="json")
    # then 409, with the current version and values; nothing of theirs is saved
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "stale_version"
    assert body["current_version"] == 2
    assert body["current"]["value"] == "11.0000"
    update.refresh_from_db()
    assert update.value == Decimal("11")


def test_update_patch_of_submitted_update_is_409(client_for, world):
    update = world["ke_submitted"]
    response = client_for("field").patch(
        _url(update), {"version": update.version, "value": "1"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "workflow"


@pytest.mark.parametrize("name", ["field_ug", "steering"])
def test_update_patch_by_others_is_403(client_for, world, name):
    update = world["ke_submitted"]
    response = client_for(name).patch(
        _url(update), {"version": update.version, "value": "1"}, format="json"
    )
    assert response.status_code == (403 if name == "steering" else 404)


def test_update_patch_invisible_update_is_404(client_for, world):
    update = world["ke_draft"]
    response = client_for("reviewer").patch(
        _url(update), {"version": update.version}, format="json"
    )
    assert response.status_code == 404


# --- Workflow actions ------------------------------------------------------------------------


def test_update_workflow_full_cycle_through_the_api(client_for, number_indicator, kenya, period):
    field, reviewer = client_for("field"), client_for("reviewer")
    created = field.post(URL, _draft_payload(number_indicator, kenya, period), format="json")
    update = IndicatorUpdate.objects.get(pk=created.json()["id"])
    # submit
    submitted = field.post(_url(update, "submit"), {"version": 1}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert (submitted.json()["status"], submitted.json()["version"]) == ("submitted", 2)
    # return with a comment
    returned = reviewer.post(
        _url(update, "return"), {"version": 2, "comment": "Check the split"}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Check the split"
    # fix and resubmit
    fixed = field.patch(_url(update), {"version": 3, "narrative": "Fixed"}, format="json")
    assert fixed.status_code == 200
    resubmitted = field.post(_url(update, "submit"), {"version": 4}, format="json")
    assert resubmitted.json()["status"] == "submitted"
    # approve
    approved = reviewer.post(_url(update, "approve"), {"version": 5}, format="json")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    # reopen with a reason
    reopened = reviewer.post(
        _url(update, "reopen"), {"version": 6, "reason": "Wrong figure"}, format="json"
    )
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["version"]) == ("draft", 7)


@pytest.mark.parametrize(
    ("key", "action", "payload"),
    [
        ("ke_draft", "approve", {}),
        ("ke_draft", "return", {"comment": "x"}),
        ("ke_draft", "reopen", {"reason": "x"}),
        ("ke_approved", "approve", {}),
        ("ke_approved", "return", {"comment": "x"}),
        ("ke_submitted", "reopen", {"reason": "x"}),
    ],
)
def test_update_illegal_review_transitions_are_409(client_for, world, key, action, payload):
    update = world[key]
    response = client_for("admin").post(
        _url(update, action), {"version": update.version, **payload}, format="json"
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "workflow"
    update.refresh_from_db()
    assert update.status == world[key].status


@pytest.mark.parametrize("key", ["ke_submitted", "ke_approved"])
def test_update_submit_of_submitted_or_approved_is_409(client_for, world, key):
    update = world[key]
    response = client_for("field").post(
        _url(update, "submit"), {"version": update.version}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "workflow"


def test_update_submit_validation_errors_are_400(client_for, world):
    # a draft whose sex breakdown is missing
    update = world["ke_draft"]
    response = client_for("field").post(
        _url(update, "submit"), {"version": update.version}, format="json"
    )
    assert response.status_code == 400
    assert "disaggregations.sex" in response.json()["errors"]


def test_update_return_without_comment_is_400(client_for, world):
    update = world["ke_submitted"]
    for payload in ({"version": update.version}, {"version": update.version, "comment": "  "}):
        response = client_for("reviewer").post(_url(update, "return"), payload, format="json")
        assert response.status_code == 400
        assert "comment" in response.json()["errors"]
    update.refresh_from_db()
    assert update.status == Status.SUBMITTED


def test_update_reopen_without_reason_is_400(client_for, world):
    update = world["ke_approved"]
    response = client_for("reviewer").post(
        _url(update, "reopen"), {"version": update.version, "reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


@pytest.mark.parametrize("action", ["submit", "approve", "return", "reopen"])
def test_update_actions_require_version(client_for, world, action):
    # each action with only the fields it takes (unknown fields are refused on their own)
    payload = {"submit": {}, "approve": {"comment": "x"}, "return": {"comment": "x"}}.get(
        action, {"reason": "x"}
    )
    response = client_for("admin").post(_url(world["ke_submitted"], action), payload, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_update_action_stale_version_is_409(client_for, world):
    update = world["ke_submitted"]
    response = client_for("reviewer").post(
        _url(update, "approve"), {"version": update.version - 1 or 99}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert response.json()["current"]["status"] == "submitted"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("field", 403),  # sees it (own office) but does not review
        ("reviewer_bkk", 404),  # another region: not visible
        ("reviewer_hq", 404),
        ("steering", 403),  # sees it, may not act
        ("hq", 403),  # HQ results managers do not review
        ("reviewer", 200),
        ("admin", 200),
    ],
)
def test_update_approve_by_role(client_for, world, name, expected):
    update = world["ke_submitted"]
    response = client_for(name).post(
        _url(update, "approve"), {"version": update.version}, format="json"
    )
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    ("name", "expected"),
    [("field", 200), ("field_ug", 404), ("reviewer", 404), ("steering", 404), ("admin", 200)],
)
def test_update_submit_by_role(client_for, world, name, expected):
    # given Kenya's draft, complete enough to submit
    update = world["ke_draft"]
    update.disaggregations = {"sex": {"female": 5, "male": 5}}
    update.save()
    # when someone submits it: its office and administrators may; others do not see drafts
    response = client_for(name).post(
        _url(update, "submit"), {"version": update.version}, format="json"
    )
    assert response.status_code == expected, response.content


def test_update_review_in_locked_period_is_409(client_for, world):
    update = world["ke_submitted"]
    ReportingPeriod.objects.filter(pk=update.period_id).update(state="locked")
    response = client_for("reviewer").post(
        _url(update, "approve"), {"version": update.version}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "period_locked"


def test_update_submit_in_closed_period_is_409(client_for, world):
    update = world["ke_draft"]
    update.disaggregations = {"sex": {"female": 5, "male": 5}}
    update.save()
    ReportingPeriod.objects.filter(pk=update.period_id).update(state="closed")
    response = client_for("field").post(
        _url(update, "submit"), {"version": update.version}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "period_locked"
