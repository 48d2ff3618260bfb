"""Reminders sent by Celery beat (reporting.tasks): field staff hear, some days before a
period's deadline, of what their offices have not yet submitted; reviewers get a daily digest
of what has waited for them too long. How many days: settings REMINDER_DAYS_BEFORE_DEADLINE and
REVIEW_DIGEST_AFTER_DAYS. One e-mail per person, whatever the number of offices or updates.

Both take `today`, so that tests (and a catch-up run) decide the date, not the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliverables.models import Assignment
from offices.languages import user_language
from offices.models import Office, RoleAssignment
from offices.permissions import offices_for_review
from reporting.models import IndicatorUpdate, ReportingPeriod

Status = IndicatorUpdate.Status
MAX_LISTED = 50  # updates named in one digest; the rest are counted


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@dataclass
class OfficeToDo:
    office: Office
    period: ReportingPeriod
    not_started: int = 0
    drafts: int = 0
    returned: int = 0

    @property
    def pending(self) -> int:
        return self.not_started + self.drafts + self.returned


def _offices_to_do(period: ReportingPeriod) -> list[OfficeToDo]:
    """Return each office with indicators of the period not yet submitted, with the counts."""
    assigned = Assignment.objects.filter(
        is_active=True, indicator__is_active=True, indicator__strategy_id=period.strategy_id
    ).values_list("office_id", "indicator_id")
    status = {
        (office_id, indicator_id): state
        for office_id, indicator_id, state in IndicatorUpdate.objects.filter(
            period=period
        ).values_list("office_id", "indicator_id", "status")
    }
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for office_id, indicator_id in assigned:
        state = status.get((office_id, indicator_id), "not_started")
        if state not in (Status.SUBMITTED, Status.APPROVED):
            counts[office_id][state] += 1
    return [
        OfficeToDo(
            office=office,
            period=period,
            not_started=counts[office.pk]["not_started"],
            drafts=counts[office.pk][Status.DRAFT],
            returned=counts[office.pk][Status.RETURNED],
        )
        for office in Office.objects.filter(pk__in=list(counts)).order_by("name")
    ]


def deadline_reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail field staff of every office with something not yet submitted in an open period
    whose deadline is REMINDER_DAYS_BEFORE_DEADLINE days after `today`. Return the e-mails sent."""
    today = today or timezone.localdate()
    days = int(settings.REMINDER_DAYS_BEFORE_DEADLINE)
    periods = ReportingPeriod.objects.filter(
        state=ReportingPeriod.State.OPEN, deadline=today + dt.timedelta(days=days)
    ).order_by("start_date")
    todos = [todo for period in periods for todo in _offices_to_do(period)]
    if not todos:
        return 0
    staff = RoleAssignment.objects.filter(
        role=RoleAssignment.Role.FIELD_STAFF,
        office_id__in={todo.office.pk for todo in todos},
        user__is_active=True,
    ).select_related("user")
    people: dict[int, tuple] = {}
    for assignment in staff:
        people.setdefault(assignment.user_id, (assignment.user, set()))[1].add(assignment.office_id)
    messages = []
    for user, office_ids in people.values():
        if not user.email:
            continue
        mine = [todo for todo in todos if todo.office.pk in office_ids]
        if not mine:
            continue
        # Each person's reminder in their own language (offices.languages).
        with translation.override(user_language(user)):
            messages.append(_reminder_message(user, mine, days))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _reminder_message(user, todos: list[OfficeToDo], days: int) -> tuple:
    total = sum(todo.pending for todo in todos)
    deadline = min(todo.period.deadline for todo in todos)
    subject = ngettext(
        "Reminder: %(n)d indicator not yet submitted, deadline %(d)s",
        "Reminder: %(n)d indicators not yet submitted, deadline %(d)s",
        total,
    ) % {"n": total, "d": date_format(deadline)}
    lines = [
        ngettext(
            "The submission deadline is in %(n)d day. Not yet submitted:",
            "The submission deadline is in %(n)d days. Not yet submitted:",
            days,
        )
        % {"n": days},
        "",
    ]
    for todo in todos:
        url = _site(
            reverse("reporting:my_reporting")
            + "?"
            + urlencode({"office": todo.office.pk, "period": todo.period.pk})
        )
        lines.append(
            _(
                "- %(o)s, %(p)s (deadline %(d)s): %(r)d returned, %(s)d not started, "
                "%(f)d drafts. %(url)s"
            )
            % {
                "o": todo.office.name,
                "p": todo.period.code,
                "d": date_format(todo.period.deadline),
                "r": todo.returned,
                "s": todo.not_started,
                "f": todo.drafts,
                "url": url,
            }
        )
    return (subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])


@dataclass
class _Waiting:
    user: object
    updates: list[IndicatorUpdate] = field(default_factory=list)


def review_digests_send(*, today: dt.date | None = None) -> int:
    """E-mail each reviewer, once, the updates in their scope submitted at least
    REVIEW_DIGEST_AFTER_DAYS days before `today` and still waiting. Return the e-mails sent."""
    today = today or timezone.localdate()
    days = int(settings.REVIEW_DIGEST_AFTER_DAYS)
    # Submitted before this day began (in the site's time zone): waiting more than `days` days.
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    reviewers = (
        get_user_model()
        .objects.filter(role_assignments__role=RoleAssignment.Role.REVIEWER, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )
    messages = []
    for reviewer in reviewers:
        waiting = list(
            IndicatorUpdate.objects.filter(
                office__in=offices_for_review(reviewer),
                status=Status.SUBMITTED,
                submitted_at__lt=cutoff,
            )
            .select_related("indicator", "office", "period")
            .order_by("submitted_at", "pk")
        )
        if waiting:
            with translation.override(user_language(reviewer)):
                messages.append(_digest_message(reviewer, waiting, days, today))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _digest_message(reviewer, waiting: list[IndicatorUpdate], days: int, today) -> tuple:
    count = len(waiting)
    subject = ngettext(
        "%(n)d update has waited for your review more than %(d)d days",
        "%(n)d updates have waited for your review more than %(d)d days",
        count,
    ) % {"n": count, "d": days}
    by_office: dict[str, int] = defaultdict(int)
    for update in waiting:
        by_office[update.office.name] += 1
    lines = [
        _("Waiting for your review, by office:"),
        *(f"- {office}: {n}" for office, n in sorted(by_office.items())),
        "",
        _("Oldest first:"),
    ]
    for update in waiting[:MAX_LISTED]:
        age = (today - timezone.localdate(update.submitted_at)).days
        lines.append(
            _("- %(i)s, %(o)s, %(p)s: submitted %(a)d days ago. %(url)s")
            % {
                "i": update.indicator.code,
                "o": update.office.name,
                "p": update.period.code,
                "a": age,
                "url": _site(reverse("reporting:update_detail", args=[update.pk])),
            }
        )
    if count > MAX_LISTED:
        lines.append(_("… and %(n)d more in the queue.") % {"n": count - MAX_LISTED})
    lines += ["", _site(reverse("reporting:review_queue"))]
    return (subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [reviewer.email])
