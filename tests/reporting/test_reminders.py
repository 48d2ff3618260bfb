"""Reminders sent by Celery beat, on a frozen clock (the day is passed in, never read from the
clock): field staff N days before a deadline for what is not yet submitted, reviewers a daily
digest of what has waited more than M days; one e-mail per person."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.tasks import deadline_reminders_task, review_digests_task
from tests.factories import Role, UpdateFactory, UserFactory, grant

Status = IndicatorUpdate.Status


@pytest.fixture
def reminder_settings(settings):
    settings.REMINDER_DAYS_BEFORE_DEADLINE = 7
    settings.REVIEW_DIGEST_AFTER_DAYS = 5
    return settings


def test_beat_schedules_both_reminders():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "reporting.tasks.deadline_reminders_task",
        "reporting.tasks.review_digests_task",
    } <= tasks


def test_deadline_reminder_goes_n_days_before_to_each_field_person_once(
    reminder_settings,
    users,
    number_indicator,
    percentage_indicator,
    kenya,
    uganda,
    thailand,
    period,
    mailoutbox,
):
    # given 2023-Q4 open, Kenya with a draft and a not-started indicator, Uganda with both
    # submitted, Thailand with nothing, and someone who works for Kenya and Thailand
    UpdateFactory(indicator=number_indicator, office=kenya, period=period, status=Status.DRAFT)
    for indicator in (number_indicator, percentage_indicator):
        UpdateFactory(
            indicator=indicator,
            office=uganda,
            period=period,
            status=Status.SUBMITTED,
            value=Decimal(1),
            numerator=Decimal(1),
            denominator=Decimal(2),
        )
    both = grant(UserFactory(username="both"), Role.FIELD_STAFF, office=kenya)
    grant(both, Role.FIELD_STAFF, office=thailand)
    frozen_today = period.deadline - dt.timedelta(days=7)
    # when the daily task runs on a day that is not 7 days before: nothing is sent
    assert deadline_reminders_task.delay(today=str(frozen_today - dt.timedelta(days=1))).get() == 0
    assert mailoutbox == []
    # when it runs 7 days before the deadline
    sent = deadline_reminders_task.delay(today=frozen_today.isoformat()).get()
    # then Kenya's and Thailand's field staff hear of it, Uganda's (all submitted) do not
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["both@example.org", "field@example.org", "field_th@example.org"]
    assert sent == 3
    kenya_mail = next(m for m in mailoutbox if m.to == ["field@example.org"])
    assert "2 indicators not yet submitted" in kenya_mail.subject
    assert "1 not started, 1 drafts" in kenya_mail.body
    assert f"period={period.pk}" in kenya_mail.body
    # and the person of two offices gets one e-mail naming both
    both_mail = next(m for m in mailoutbox if m.to == ["both@example.org"])
    assert "Kenya" in both_mail.body
    assert "Thailand" in both_mail.body


def test_deadline_reminder_skips_periods_not_open(
    reminder_settings, users, number_indicator, kenya, period, mailoutbox
):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    today = period.deadline - dt.timedelta(days=7)
    assert deadline_reminders_task.delay(today=today.isoformat()).get() == 0


def test_deadline_reminder_days_come_from_the_settings(
    reminder_settings, users, number_indicator, kenya, period, mailoutbox
):
    reminder_settings.REMINDER_DAYS_BEFORE_DEADLINE = 2
    today = period.deadline - dt.timedelta(days=2)
    assert deadline_reminders_task.delay(today=today.isoformat()).get() >= 1


def test_review_digest_lists_what_waited_more_than_m_days_one_mail_per_reviewer(
    reminder_settings,
    users,
    number_indicator,
    percentage_indicator,
    kenya,
    uganda,
    thailand,
    periods,
    mailoutbox,
):
    # given a frozen "today" and updates submitted 10, 6, 5 and 1 days before it
    today = dt.date(2024, 1, 20)

    def submitted(office, indicator, period, days_ago):
        moment = timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(12))
        )
        return UpdateFactory(
            indicator=indicator,
            office=office,
            period=period,
            status=Status.SUBMITTED,
            value=Decimal(1),
            numerator=Decimal(1),
            denominator=Decimal(2),
            submitted_at=moment,
        )

    old_ke = submitted(kenya, number_indicator, periods[-1], 10)
    old_ug = submitted(uganda, number_indicator, periods[-1], 6)
    submitted(kenya, percentage_indicator, periods[-1], 5)  # exactly 5: not more than 5
    submitted(uganda, percentage_indicator, periods[-1], 1)
    old_th = submitted(thailand, number_indicator, periods[-1], 30)
    # when the daily digest runs
    sent = review_digests_task.delay(today=today.isoformat()).get()
    # then the Nairobi reviewer gets one e-mail with Kenya's and Uganda's old ones only, and
    # the Bangkok reviewer one with Thailand's; the HQ reviewer, with nothing waiting, none
    assert sent == 2
    by_person = {m.to[0]: m for m in mailoutbox}
    assert set(by_person) == {"reviewer@example.org", "reviewer_bkk@example.org"}
    nairobi = by_person["reviewer@example.org"]
    assert "2 updates have waited for your review more than 5 days" in nairobi.subject
    assert f"/updates/{old_ke.pk}/" in nairobi.body
    assert f"/updates/{old_ug.pk}/" in nairobi.body
    assert "submitted 10 days ago" in nairobi.body
    assert nairobi.body.index(f"/updates/{old_ke.pk}/") < nairobi.body.index(
        f"/updates/{old_ug.pk}/"
    )
    assert f"/updates/{old_th.pk}/" in by_person["reviewer_bkk@example.org"].body
