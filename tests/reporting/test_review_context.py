"""The review queue gives each update its context (formatted value with the unit, previous
period's value, this year's target, the change in % and a flag for large changes); after an
action the reviewer lands on the next item; a bulk approval sends one digest per person."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from reporting.models import IndicatorUpdate
from tests.factories import IndicatorTargetFactory, UpdateFactory, UserFactory

Status = IndicatorUpdate.Status
QUEUE = "reporting:review_queue"


def _submitted(indicator, office, period, value, minutes=0, **extra):
    return UpdateFactory(
        indicator=indicator,
        office=office,
        period=period,
        status=Status.SUBMITTED,
        value=Decimal(value),
        submitted_at=timezone.now() - dt.timedelta(hours=5) + dt.timedelta(minutes=minutes),
        **extra,
    )


def test_review_queue_shows_value_previous_target_change_and_flag(
    client_as, number_indicator, percentage_indicator, kenya, periods
):
    # given a count in USD with a previous value of 2 and an office target, and a percentage
    number_indicator.unit = "USD"
    number_indicator.save()
    q3, q4 = periods[-2], periods[-1]
    _submitted(number_indicator, kenya, q3, "2", minutes=-100)
    IndicatorTargetFactory(indicator=number_indicator, year=q4.year, office=kenya, value=5000)
    _submitted(
        percentage_indicator,
        kenya,
        q3,
        "50",
        minutes=-90,
        numerator=Decimal(1),
        denominator=Decimal(2),
    )
    big = _submitted(number_indicator, kenya, q4, "151100")
    share = _submitted(
        percentage_indicator,
        kenya,
        q4,
        "70.5882",
        numerator=Decimal(12),
        denominator=Decimal(17),
    )
    # when the reviewer opens the queue
    response = client_as("reviewer").get(reverse(QUEUE))
    assert response.status_code == 200
    rows = {row.update.pk: row for row in response.context["rows"]}
    # then each row carries its previous value, target, change and flag
    assert rows[big.pk].previous_value == Decimal(2)
    assert rows[big.pk].target == Decimal(5000)
    assert rows[big.pk].change_percent == Decimal("7554900.0")
    assert rows[big.pk].large_change
    assert rows[share.pk].target == Decimal(60)  # the global target
    assert not rows[share.pk].large_change
    # and the page shows them formatted by measure, with the unit
    html = response.content.decode()
    assert "151,100 USD" in html
    assert "70.6%" in html
    assert "5,000 USD" in html
    assert "+7,554,900%" in html
    assert "large-change-flag" in html
    assert "+20.6 pts" in html  # a percentage's change, in points
    assert "70.5882" not in html


def test_review_queue_context_in_bounded_queries(
    client_as, number_indicator, kenya, uganda, periods, django_assert_max_num_queries
):
    for i, period in enumerate(periods[-8:]):
        _submitted(number_indicator, kenya, period, str(10 + i), minutes=i)
        _submitted(number_indicator, uganda, period, str(20 + i), minutes=i)
    client = client_as("reviewer")
    with django_assert_max_num_queries(25):
        response = client.get(reverse(QUEUE))
    assert len(response.context["rows"]) == 16


def test_review_action_lands_on_the_next_item_in_the_queue(
    client_as, number_indicator, kenya, uganda, period
):
    # given three updates waiting, oldest first
    first = _submitted(number_indicator, kenya, period, "10", minutes=1)
    second = _submitted(number_indicator, uganda, period, "20", minutes=2)
    client = client_as("reviewer")
    # when the reviewer approves the first from its page
    response = client.post(
        reverse("reporting:update_approve", args=[first.pk]), {"version": first.version}
    )
    # then they land on the next one
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:update_detail", args=[second.pk])
    # and after returning the last one, on the (now empty) queue
    response = client.post(
        reverse("reporting:update_return", args=[second.pk]),
        {"version": second.version, "comment": "Check the source"},
    )
    assert response["Location"] == reverse(QUEUE)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.APPROVED, Status.RETURNED)


def test_update_page_links_to_the_next_item(client_as, number_indicator, kenya, uganda, period):
    first = _submitted(number_indicator, kenya, period, "10", minutes=1)
    second = _submitted(number_indicator, uganda, period, "20", minutes=2)
    page = client_as("reviewer").get(reverse("reporting:update_detail", args=[first.pk]))
    assert page.context["next_in_queue"] == second


def test_bulk_approval_sends_one_digest_per_recipient(
    client_as,
    users,
    number_indicator,
    percentage_indicator,
    kenya,
    uganda,
    periods,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # given 5 updates submitted by two people (Kenya's and Uganda's field staff)
    colleague = UserFactory(username="field2", email="field2@example.org")
    q3, q4 = periods[-2], periods[-1]
    ids = []
    for indicator in (number_indicator, percentage_indicator):
        for period in (q3, q4):
            extra = (
                {"numerator": Decimal(1), "denominator": Decimal(2)}
                if indicator.measure == "percentage"
                else {}
            )
            value = "50" if extra else "10"
            ids.append(
                _submitted(indicator, kenya, period, value, submitted_by=users["field"], **extra)
            )
    ids.append(_submitted(number_indicator, uganda, q4, "7", submitted_by=colleague))
    # the queue's checkboxes carry each update's id and the version the reviewer saw
    ids = [f"{u.pk}:{u.version}" for u in ids]
    # when the reviewer approves all of them at once
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("reviewer").post(reverse(QUEUE), {"update": ids})
    assert response.status_code == 302
    assert IndicatorUpdate.objects.filter(status=Status.APPROVED).count() == 5
    # then each submitter gets one e-mail listing their updates, not one per update
    assert sorted(m.to[0] for m in mailoutbox) == ["field2@example.org", users["field"].email]
    kenya_mail = next(m for m in mailoutbox if m.to == [users["field"].email])
    assert "4 of your updates were approved" in kenya_mail.subject
    assert kenya_mail.body.count("Kenya") == 4
    for code in ("A.i.1", "O.a.1"):
        assert code in kenya_mail.body


def test_submit_all_sends_the_reviewer_one_digest(
    client_as,
    users,
    number_indicator,
    percentage_indicator,
    kenya,
    period,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # given two indicators typed on My reporting
    from tests.reporting.entry_fixtures import entry_url, row_data

    data = {
        **row_data(number_indicator, value="4", dis_sex_female="4"),
        **row_data(percentage_indicator, numerator="1", denominator="4"),
        "action": "submit_all",
    }
    # when field staff press "Submit all ready"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("field").post(entry_url(kenya, period), data)
    assert response.status_code == 302
    assert IndicatorUpdate.objects.filter(status=Status.SUBMITTED).count() == 2
    # then the Nairobi reviewer gets one e-mail naming both
    assert [m.to for m in mailoutbox] == [[users["reviewer"].email]]
    assert "2 updates submitted for your review" in mailoutbox[0].subject
    assert "A.i.1" in mailoutbox[0].body
    assert "O.a.1" in mailoutbox[0].body
