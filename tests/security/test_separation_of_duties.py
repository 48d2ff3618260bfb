"""Separation of duties (issue 16, findings 2, 4 and 5): whoever submitted an update or last
changed its values never approves it, in any channel (the update's page, the review queue's bulk
approval, the API); a bulk approval carries each row's version and names only what its reviewer
may see."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues
from reporting.services.workflow import (
    update_approve,
    update_return,
    update_save,
    update_submit,
)
from tests.factories import Role, UserFactory, grant

Status = IndicatorUpdate.Status
QUEUE = "reporting:review_queue"


@pytest.fixture
def field_and_reviewer(kenya, nairobi):
    """One person holding field staff (Kenya) and reviewer (Nairobi) roles."""
    person = UserFactory(username="both")
    grant(person, Role.FIELD_STAFF, office=kenya)
    grant(person, Role.REVIEWER, region=nairobi)
    return person


@pytest.fixture
def own_submission(field_and_reviewer, number_indicator, kenya, period):
    """Kenya's update entered and submitted by the person who also reviews Nairobi."""
    draft = update_save(
        user=field_and_reviewer,
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal("12"), disaggregations={"sex": {"female": 12}}),
    )
    return update_submit(user=field_and_reviewer, update=draft)


def test_update_approve_refuses_the_submitter_whatever_roles_they_hold(
    field_and_reviewer, own_submission
):
    # given an update submitted by a person who also reviews its region
    # when they approve it through the service every channel calls
    # then it is refused and stays submitted
    with pytest.raises(PermissionDenied):
        update_approve(user=field_and_reviewer, update=own_submission)
    own_submission.refresh_from_db()
    assert own_submission.status == Status.SUBMITTED


def test_api_approve_by_the_submitter_is_403(client_for, users, field_and_reviewer, own_submission):
    # finding 2: the API answered 200
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    token, _ = Token.objects.get_or_create(user=field_and_reviewer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        f"/api/v1/updates/{own_submission.pk}/approve/",
        {"version": own_submission.version},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    # while another reviewer of the region may approve it
    other = client_for("reviewer").post(
        f"/api/v1/updates/{own_submission.pk}/approve/",
        {"version": own_submission.version},
        format="json",
    )
    assert other.status_code == 200, other.content


def test_update_page_offers_no_approval_to_the_submitter(
    client, field_and_reviewer, own_submission
):
    client.force_login(field_and_reviewer)
    page = client.get(reverse("reporting:update_detail", args=[own_submission.pk]))
    assert page.status_code == 200
    assert (
        reverse("reporting:update_approve", args=[own_submission.pk]) not in page.content.decode()
    )
    response = client.post(
        reverse("reporting:update_approve", args=[own_submission.pk]),
        {"version": own_submission.version},
    )
    assert response.status_code == 403
    own_submission.refresh_from_db()
    assert own_submission.status == Status.SUBMITTED


def test_bulk_approval_refuses_the_submitter(client, field_and_reviewer, own_submission):
    client.force_login(field_and_reviewer)
    client.post(reverse(QUEUE), {"update": [f"{own_submission.pk}:{own_submission.version}"]})
    own_submission.refresh_from_db()
    assert own_submission.status == Status.SUBMITTED


def test_the_last_editor_may_not_approve_what_someone_else_submitted(
    users, number_indicator, kenya, period, nairobi
):
    # given a person (field staff of Kenya, reviewer of Nairobi) who edits the values, and a
    # colleague who submits them
    editor = UserFactory(username="editor")
    grant(editor, Role.FIELD_STAFF, office=kenya)
    grant(editor, Role.REVIEWER, region=nairobi)
    draft = update_save(
        user=editor,
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal("7"), disaggregations={"sex": {"female": 7}}),
    )
    submitted = update_submit(user=users["field"], update=draft)
    # then the editor is one of its authors and may not approve it; a third person may
    from offices.permissions import can_approve_update
    from reporting.selectors.updates import update_authors

    assert editor.pk in update_authors(update=submitted)
    assert not can_approve_update(editor, submitted, authors=update_authors(update=submitted))
    with pytest.raises(PermissionDenied):
        update_approve(user=editor, update=submitted)
    assert update_approve(user=users["reviewer"], update=submitted).status == Status.APPROVED


def test_a_reviewer_who_returned_it_may_approve_the_corrected_update(users, kenya_submitted):
    # returning is not authoring: the reviewer who asked for a fix approves the fixed version
    returned = update_return(user=users["reviewer"], update=kenya_submitted, comment="Fix it")
    fixed = update_save(
        user=users["field"],
        indicator=returned.indicator,
        office=returned.office,
        period=returned.period,
        values=UpdateValues(value=Decimal("41"), disaggregations={"sex": {"female": 41}}),
    )
    resubmitted = update_submit(user=users["field"], update=fixed)
    assert update_approve(user=users["reviewer"], update=resubmitted).status == Status.APPROVED


def test_bulk_approval_from_a_stale_queue_approves_nothing_changed_since(
    client_as, users, kenya_submitted
):
    # finding 4: the reviewer loads the queue (version v) ...
    client = client_as("reviewer")
    page = client.get(reverse(QUEUE))
    seen = f"{kenya_submitted.pk}:{kenya_submitted.version}"
    assert f'value="{seen}"' in page.content.decode()
    # ... meanwhile the update is returned, edited and resubmitted
    returned = update_return(user=users["reviewer"], update=kenya_submitted, comment="Total?")
    edited = update_save(
        user=users["field"],
        indicator=returned.indicator,
        office=returned.office,
        period=returned.period,
        values=UpdateValues(value=Decimal("999"), disaggregations={"sex": {"female": 999}}),
    )
    update_submit(user=users["field"], update=edited)
    # when "Approve selected" is posted from the stale page
    response = client.post(reverse(QUEUE), {"update": [seen]}, follow=True)
    # then the changed version is not approved, and the reviewer is told why
    current = IndicatorUpdate.objects.get(pk=kenya_submitted.pk)
    assert current.status == Status.SUBMITTED
    assert current.value == Decimal("999")
    assert "changed after you loaded the list" in response.content.decode()


def test_bulk_approval_without_versions_approves_nothing(client_as, kenya_submitted):
    # a bare id (as the queue used to send) is not enough: each row carries its version
    client_as("reviewer").post(reverse(QUEUE), {"update": [str(kenya_submitted.pk)]})
    kenya_submitted.refresh_from_db()
    assert kenya_submitted.status == Status.SUBMITTED


def test_bulk_approval_never_names_updates_outside_the_reviewers_scope(client_as, world, users):
    # finding 5: ids of another region's update and of a draft, posted by a Nairobi reviewer
    foreign, draft = world["th_submitted"], world["th_draft"]
    own_draft = world["ke_draft"]
    picked = [f"{u.pk}:{u.version}" for u in (foreign, draft, own_draft)]
    response = client_as("reviewer").post(reverse(QUEUE), {"update": picked}, follow=True)
    html = response.content.decode()
    # then nothing is approved, and no message names their indicator, office or period
    assert "Thailand" not in html
    assert "Not approved" not in html
    assert "3 ticked updates are not waiting for your review" in html
    for update in (foreign, draft, own_draft):
        update.refresh_from_db()
        assert update.status != Status.APPROVED


def test_updates_approve_counts_what_it_may_not_name(users, world):
    from reporting.services.workflow import updates_approve

    foreign, ours = world["th_submitted"], world["ke_submitted"]
    result = updates_approve(
        user=users["reviewer"],
        versions={foreign.pk: foreign.version, ours.pk: ours.version, 10**18: 1},
    )
    assert [u.pk for u in result.done] == [world["ke_submitted"].pk]
    assert result.unknown == 2
    assert result.refused == []


def test_bulk_approval_ignores_absurd_ids_without_error(client_as, kenya_submitted):
    response = client_as("reviewer").post(
        reverse(QUEUE), {"update": [f"{10**23}:1", "abc", ":", f"{kenya_submitted.pk}:x"]}
    )
    assert response.status_code == 302
