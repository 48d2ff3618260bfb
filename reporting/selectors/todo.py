"""Reads for the home page's to-do lists: what field staff still have to report, what waits in a
reviewer's queue, and which periods HQ should watch. Each runs a fixed number of queries
whatever the number of indicators or updates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Min
from django.utils import timezone

from deliverables.models import Assignment
from offices.models import Office
from offices.permissions import offices_for_entry, offices_for_review
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.completeness import completeness_summary
from reporting.selectors.periods import periods_open_for_entry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Status = IndicatorUpdate.Status
State = ReportingPeriod.State

# How far ahead HQ's home page looks for deadlines (days).
CLOSING_SOON_DAYS = 30
# At most this many offices are listed on a field home (administrators enter for every office).
FIELD_OFFICES_SHOWN = 5


@dataclass
class OfficeTodo:
    """One office's reporting for one period: counts per state and the returned updates."""

    office: Office
    period: ReportingPeriod
    assigned: int = 0
    drafts: int = 0
    submitted: int = 0
    approved: int = 0
    returned: list[IndicatorUpdate] = field(default_factory=list)

    @property
    def not_started(self) -> int:
        started = self.drafts + self.submitted + self.approved + len(self.returned)
        return max(self.assigned - started, 0)

    @property
    def days_left(self) -> int:
        return (self.period.deadline - timezone.localdate()).days

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)

    @property
    def done(self) -> int:
        return self.submitted + self.approved

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.assigned) if self.assigned else 0


def field_todo(*, user: AbstractBaseUser) -> list[OfficeTodo]:
    """Return, for each office the user enters for, its latest open period and every other
    period with updates to correct: the counts of not started, draft, submitted and approved
    updates, and the returned updates with their reviewer's comment (oldest return first).
    Periods with returned updates come first. Four queries."""
    offices = list(offices_for_entry(user).order_by("name")[:FIELD_OFFICES_SHOWN])
    if not offices:
        return []
    periods = list(periods_open_for_entry(offices=offices))
    if not periods:
        return []
    assigned: dict[tuple[int, int], int] = {}
    for row in (
        Assignment.objects.filter(
            office__in=offices,
            is_active=True,
            indicator__is_active=True,
            indicator__strategy_id__in={p.strategy_id for p in periods},
        )
        .values("office_id", "indicator__strategy_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        assigned[row["office_id"], row["indicator__strategy_id"]] = row["n"]
    todos = {
        (o.pk, p.pk): OfficeTodo(
            office=o, period=p, assigned=assigned.get((o.pk, p.strategy_id), 0)
        )
        for o in offices
        for p in periods
    }
    updates = IndicatorUpdate.objects.filter(
        office__in=offices,
        period__in=periods,
        indicator__is_active=True,
    )
    counts = updates.values("office_id", "period_id", "status").annotate(n=Count("id"))
    for row in counts.order_by():
        todo = todos.get((row["office_id"], row["period_id"]))
        if todo is None or row["status"] == Status.RETURNED:
            continue
        setattr(todo, {"draft": "drafts"}.get(row["status"], row["status"]), row["n"])
    for update in (
        updates.filter(status=Status.RETURNED)
        .select_related("indicator")
        .order_by("reviewed_at", "indicator__code")
    ):
        todos[update.office_id, update.period_id].returned.append(update)
    # The latest open period always; an older one only where something was returned (or,
    # closed, reopened as a draft) and needs correcting.
    latest_open = next((p for p in periods if p.state == State.OPEN), None)
    shown = [
        t
        for t in todos.values()
        if t.period == latest_open or t.returned or (t.period.state == State.CLOSED and t.drafts)
    ]
    shown.sort(key=lambda t: (not t.returned, -t.period.start_date.toordinal(), t.office.name))
    return shown


@dataclass(frozen=True)
class QueueOffice:
    """One office's updates waiting in a reviewer's queue."""

    office: Office
    waiting: int
    oldest: dt.datetime | None

    @property
    def days_waiting(self) -> int | None:
        if self.oldest is None:
            return None
        return (timezone.now() - self.oldest).days


def reviewer_todo(*, user: AbstractBaseUser) -> list[QueueOffice]:
    """Return the offices in the user's review scope with submitted updates, the longest
    waiting first: how many wait and since when (two queries)."""
    rows = list(
        IndicatorUpdate.objects.filter(office__in=offices_for_review(user), status=Status.SUBMITTED)
        .values("office_id")
        .annotate(waiting=Count("id"), oldest=Min("submitted_at"))
        .order_by()
    )
    offices = Office.objects.in_bulk([r["office_id"] for r in rows])
    queue = [
        QueueOffice(office=offices[r["office_id"]], waiting=r["waiting"], oldest=r["oldest"])
        for r in rows
    ]
    far_past = dt.datetime.max.replace(tzinfo=dt.UTC)
    queue.sort(key=lambda q: (q.oldest or far_past, q.office.name))
    return queue


@dataclass(frozen=True)
class PeriodWatch:
    """An open period for HQ's home: its deadline and how complete it is."""

    period: ReportingPeriod
    completeness: dict[str, int]

    @property
    def days_left(self) -> int:
        return (self.period.deadline - timezone.localdate()).days

    @property
    def submitted_percent(self) -> int:
        expected = self.completeness["expected"]
        done = self.completeness["submitted"] + self.completeness["approved"]
        return round(100 * done / expected) if expected else 0


def hq_todo(*, user: AbstractBaseUser, today: dt.date | None = None) -> list[PeriodWatch]:
    """Return the open periods whose deadline falls within CLOSING_SOON_DAYS (or has passed),
    soonest first, each with its completeness over the user's scope."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=CLOSING_SOON_DAYS)
    periods = ReportingPeriod.objects.filter(state=State.OPEN, deadline__lte=horizon).order_by(
        "deadline", "code"
    )
    return [
        PeriodWatch(period=p, completeness=completeness_summary(user=user, periods=[p]))
        for p in periods[:6]
    ]
