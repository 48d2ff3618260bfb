"""Review queue and update page: approve one or many, return with a comment, reopen with a
reason, the history timeline and what changed since approval."""

from decimal import Decimal

from django.urls import reverse

from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_reopen, update_save, update_submit
from tests.factories import UpdateFactory
from tests.reporting.entry_fixtures import entry_url, row_data

Status = IndicatorUpdate.Status
QUEUE = "reporting:review_queue"


def _submitted(indicator, office, period, value="10"):
    return UpdateFactory(
        indicator=indicator,
        office=office,
        period=period,
        status=Status.SUBMITTED,
        value=Decimal(value),
        disaggregations={"sex": {"female": int(value)}},
    )


def test_review_queue_lists_submitted_updates_in_scope_only(
    client_as, number_indicator, kenya, uganda, thailand, period, kenya_submitted
):
    uganda_update = _submitted(number_indicator, uganda, period)
    thai_update = _submitted(number_indicator, thailand, period)
    UpdateFactory(
        indicator=number_indicator,
        office=kenya,
        period=ReportingPeriod.objects.get(code="2023-Q1"),
        status=Status.DRAFT,
    )
    response = client_as("reviewer").get(reverse(QUEUE))
    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert set(listed) == {kenya_submitted, uganda_update}
    assert (
        reverse("reporting:update_detail", args=[kenya_submitted.pk]) in response.content.decode()
    )
    bangkok = client_as("reviewer_bkk").get(reverse(QUEUE))
    assert list(bangkok.context["page"].object_list) == [thai_update]


def test_review_queue_filters_by_office_period_and_result(
    client_as, number_indicator, percentage_indicator, kenya, uganda, periods
):
    q3, q4 = periods[-2], periods[-1]
    a = _submitted(number_indicator, kenya, q4)
    b = _submitted(number_indicator, uganda, q4)
    c = _submitted(number_indicator, kenya, q3)
    d = UpdateFactory(
        indicator=percentage_indicator,
        office=kenya,
        period=q4,
        status=Status.SUBMITTED,
        value=Decimal(50),
        numerator=Decimal(1),
        denominator=Decimal(2),
    )
    client = client_as("reviewer")

    def listed(**params):
        return set(client.get(reverse(QUEUE), params).context["page"].object_list)

    assert listed() == {a, b, c, d}
    assert listed(office=kenya.pk) == {a, c, d}
    assert listed(period=q4.pk) == {a, b, d}
    assert listed(deliverable=number_indicator.deliverable_id, period=q4.pk) == {a, b}
    assert listed(output=percentage_indicator.output_id) == {d}
    # a bookmarked filter on an office outside the scope is ignored, not obeyed
    assert listed(office=999999) == {a, b, c, d}


def test_review_queue_approves_many_and_reports_the_refused(
    client_as, number_indicator, kenya, uganda, thailand, period
):
    ours = [
        _submitted(number_indicator, kenya, period),
        _submitted(number_indicator, uganda, period),
    ]
    foreign = _submitted(number_indicator, thailand, period)
    response = client_as("reviewer").post(
        reverse(QUEUE) + "?status=submitted",
        {"update": [f"{u.pk}:{u.version}" for u in [*ours, foreign]]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(QUEUE) + "?status=submitted"
    html = response.content.decode()
    assert "Approved 2 updates." in html
    # the foreign one is counted, never named (tests/security/test_separation_of_duties.py)
    assert "1 ticked update is not waiting for your review" in html
    assert "Thailand" not in html
    assert {u.status for u in IndicatorUpdate.objects.filter(pk__in=[u.pk for u in ours])} == {
        Status.APPROVED
    }
    foreign.refresh_from_db()
    assert foreign.status == Status.SUBMITTED


def test_review_queue_return_requires_a_comment_then_shows_in_the_returned_tab(
    client_as, kenya_submitted
):
    client = client_as("reviewer")
    url = reverse("reporting:update_return", args=[kenya_submitted.pk])
    back = reverse(QUEUE)
    # without a comment: refused, with the reason, nothing changes
    response = client.post(
        url, {"comment": "  ", "next": back, "version": kenya_submitted.version}, follow=True
    )
    assert "a comment is required" in response.content.decode()
    kenya_submitted.refresh_from_db()
    assert kenya_submitted.status == Status.SUBMITTED
    # with one: returned, and listed under "Returned" with the comment
    response = client.post(
        url,
        {"comment": "Split by sex is missing", "next": back, "version": kenya_submitted.version},
    )
    assert response.status_code == 302
    kenya_submitted.refresh_from_db()
    assert kenya_submitted.status == Status.RETURNED
    returned = client.get(reverse(QUEUE), {"status": "returned"})
    assert list(returned.context["page"].object_list) == [kenya_submitted]
    assert "Split by sex is missing" in returned.content.decode()
    assert list(client.get(reverse(QUEUE)).context["page"].object_list) == []


def test_update_detail_approve_from_the_page_shows_approved(client_as, kenya_submitted):
    client = client_as("reviewer")
    page = client.get(reverse("reporting:update_detail", args=[kenya_submitted.pk]))
    html = page.content.decode()
    assert reverse("reporting:update_approve", args=[kenya_submitted.pk]) in html
    assert reverse("reporting:update_reopen", args=[kenya_submitted.pk]) not in html
    assert "list.csv" in html  # the evidence link
    response = client.post(
        reverse("reporting:update_approve", args=[kenya_submitted.pk]),
        {"version": kenya_submitted.version},
        follow=True,
    )
    # nothing else waits: the reviewer lands on the queue, told so (test_review_context.py
    # covers landing on the next item)
    assert response.redirect_chain[-1][0] == reverse("reporting:review_queue")
    html = response.content.decode()
    assert "Approved A.i.1 for Kenya" in html
    assert "Nothing else is waiting for your review." in html
    kenya_submitted.refresh_from_db()
    assert kenya_submitted.status == Status.APPROVED


def test_update_detail_stale_version_refuses_the_review_action(client_as, kenya_submitted):
    stale = kenya_submitted.version - 1
    response = client_as("reviewer").post(
        reverse("reporting:update_approve", args=[kenya_submitted.pk]),
        {"version": stale},
        follow=True,
    )
    assert "changed this update after you opened it" in response.content.decode()
    kenya_submitted.refresh_from_db()
    assert kenya_submitted.status == Status.SUBMITTED


def test_update_detail_reopen_needs_a_reason_beside_the_field(client_as, kenya_approved):
    client = client_as("reviewer")
    url = reverse("reporting:update_reopen", args=[kenya_approved.pk])
    response = client.post(url, {"comment": "", "version": kenya_approved.version})
    assert response.status_code == 200
    assert response.context["reopen_form"].errors["comment"]
    kenya_approved.refresh_from_db()
    assert kenya_approved.status == Status.APPROVED
    response = client.post(url, {"comment": "Source revised", "version": kenya_approved.version})
    assert response.status_code == 302
    kenya_approved.refresh_from_db()
    assert kenya_approved.status == Status.DRAFT


def test_update_detail_shows_timeline_and_changes_since_approval(
    client_as, users, number_indicator, kenya, period, kenya_approved
):
    # given an approved update that was reopened, changed and resubmitted
    update = update_reopen(user=users["reviewer"], update=kenya_approved, reason="Late data")
    update = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(
            value=Decimal("45"),
            disaggregations={"sex": {"female": 25, "male": 20}},
            narrative="Reached through the mobile clinics.",
        ),
        expected_version=update.version,
    )
    update = update_submit(user=users["field"], update=update)
    # when the reviewer opens it
    response = client_as("reviewer").get(reverse("reporting:update_detail", args=[update.pk]))
    # then the page shows exactly what moved, and every step of the history
    changes = {c.field: (c.before, c.after) for c in response.context["changes_since_approval"]}
    assert changes["value"] == (Decimal("40.0000"), Decimal("45.0000"))
    assert set(changes) == {"value", "disaggregations"}
    html = response.content.decode()
    assert "Changed since approval" in html
    for reason in ("Created", "Submitted", "Approved", "Reopened: Late data", "Edited"):
        assert reason in html
    assert "40 → 45" in html


def test_update_detail_locked_period_offers_no_action(client_as, kenya_submitted, period):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.LOCKED)
    response = client_as("reviewer").get(
        reverse("reporting:update_detail", args=[kenya_submitted.pk])
    )
    assert "approve_form" not in response.context
    assert "is locked" in response.content.decode()


def test_returned_update_fix_and_resubmit_reaches_the_queue_again(
    client_as, users, number_indicator, kenya, period, kenya_submitted
):
    client_as("reviewer").post(
        reverse("reporting:update_return", args=[kenya_submitted.pk]),
        {"comment": "Add the narrative"},
    )
    kenya_submitted.refresh_from_db()
    page = client_as("field").get(entry_url(kenya, period))
    assert "Add the narrative" in page.content.decode()
    data = {
        **row_data(
            number_indicator,
            version=kenya_submitted.version,
            value="40",
            dis_sex_female="20",
            dis_sex_male="20",
            narrative="Mobile clinics in Turkana.",
        ),
        "submit_row": f"r{number_indicator.pk}",
    }
    assert client_as("field").post(entry_url(kenya, period), data).status_code == 302
    queue = client_as("reviewer").get(reverse(QUEUE))
    assert [u.pk for u in queue.context["page"].object_list] == [kenya_submitted.pk]


def test_review_actions_refuse_outsiders_before_reading_the_comment(
    client_as, kenya_submitted, kenya
):
    # an empty comment from someone outside the scope is a 403, never the update's page
    for role in ("field_ug", "reviewer_bkk", "field"):
        for action in ("return", "reopen"):
            url = reverse(f"reporting:update_{action}", args=[kenya_submitted.pk])
            response = client_as(role).post(url, {"comment": ""})
            assert response.status_code == 403
            assert kenya.name not in response.content.decode()
    kenya_submitted.refresh_from_db()
    assert kenya_submitted.status == Status.SUBMITTED
