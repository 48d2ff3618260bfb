"""Reporting completeness and timeliness: which offices have reported, for each period.

Counts come from a fixed number of aggregate queries (GROUP BY office, period, status), never
one query per cell, so the page costs the same for 10 offices or 150.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliverables.models import Assignment
from offices.models import Office, Region
from offices.permissions import can_see_office_drafts, offices_visible
from reporting.models import IndicatorUpdate, ReportingPeriod

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Status = IndicatorUpdate.Status


class State:
    """The overall state of one office's reporting for one period."""

    NOTHING_ASSIGNED = "nothing_assigned"
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    PARTIAL = "partial"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    LABELS = {
        NOTHING_ASSIGNED: _("Nothing assigned"),
        NOT_STARTED: _("Not started"),
        DRAFT: _("Draft"),
        PARTIAL: _("Partly submitted"),
        SUBMITTED: _("Submitted"),
        RETURNED: _("Returned"),
        APPROVED: _("Approved"),
    }
    DESCRIPTIONS = {
        NOT_STARTED: _("No indicator has been reported yet."),
        DRAFT: _("Work in progress: drafts saved, nothing submitted yet."),
        PARTIAL: _("Some indicators are submitted or approved, others are not."),
        SUBMITTED: _("Every indicator is submitted or approved; some await review."),
        RETURNED: _("At least one update was returned by a reviewer and needs fixing."),
        APPROVED: _("Every assigned indicator is approved."),
    }
    # The CSS class of each state's badge (static/css/app.css).
    CSS = {
        NOTHING_ASSIGNED: "update-not_started",
        NOT_STARTED: "update-not_started",
        DRAFT: "update-draft",
        PARTIAL: "update-submitted",
        SUBMITTED: "update-submitted",
        RETURNED: "update-returned",
        APPROVED: "update-approved",
    }


@dataclass(frozen=True)
class CompletenessCell:
    """One office's reporting for one period.

    When the viewer may not see the office's drafts, drafts are counted as not started
    (`drafts_hidden`), so the page reveals nothing a draft-level view would not.
    """

    office: Office
    period: ReportingPeriod
    assigned: int
    not_started: int
    draft: int
    submitted: int
    approved: int
    returned: int
    late: bool
    late_submissions: int
    drafts_hidden: bool

    @property
    def state(self) -> str:
        if not self.assigned:
            return State.NOTHING_ASSIGNED
        if self.approved >= self.assigned:
            return State.APPROVED
        if self.returned:
            return State.RETURNED
        if self.not_started == 0 and self.draft == 0:
            return State.SUBMITTED
        if self.submitted + self.approved == 0:
            return State.DRAFT if self.draft else State.NOT_STARTED
        return State.PARTIAL

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]

    @property
    def css_class(self) -> str:
        return State.CSS[self.state]

    @property
    def reported(self) -> int:
        """Updates submitted, approved or returned (in a reviewer's hands at least once)."""
        return self.submitted + self.approved + self.returned

    @property
    def approved_percent(self) -> int:
        return round(100 * self.approved / self.assigned) if self.assigned else 0

    @property
    def heat_level(self) -> int:
        """0–4: the share approved in quarters, for the heat map's shading."""
        return min(self.approved_percent // 25, 4)

    @property
    def reported_percent(self) -> int:
        return (
            round(100 * min(self.reported, self.assigned) / self.assigned) if self.assigned else 0
        )


@dataclass(frozen=True)
class CompletenessRow:
    office: Office
    cells: list[CompletenessCell]


@dataclass(frozen=True)
class Completeness:
    periods: list[ReportingPeriod]
    rows: list[CompletenessRow]
    today: dt.date
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return self.totals.get("assigned", 0)

    @property
    def approved_percent(self) -> int:
        return round(100 * self.totals["approved"] / self.expected) if self.expected else 0

    @property
    def drafts_hidden(self) -> bool:
        """Does the viewer see offices whose drafts are counted as not started?"""
        return any(row.cells and row.cells[0].drafts_hidden for row in self.rows)


def _counts(
    office_ids: Iterable[int], period_ids: Iterable[int]
) -> dict[tuple[int, int], dict[str, int]]:
    """Return {(office_id, period_id): {status: n, "late": n}} in one GROUP BY query."""
    rows = (
        IndicatorUpdate.objects.filter(office_id__in=office_ids, period_id__in=period_ids)
        .values("office_id", "period_id", "status")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(submitted_at__date__gt=F("period__deadline"))),
        )
        .order_by()
    )
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        cell = counts.setdefault((row["office_id"], row["period_id"]), {"late": 0})
        cell[row["status"]] = row["n"]
        cell["late"] += row["late"]
    return counts


def _assigned(office_ids: Iterable[int], strategy_ids: set[int]) -> dict[int, int]:
    """Return {office_id: number of active indicators assigned} in one GROUP BY query."""
    return dict(
        Assignment.objects.filter(
            office_id__in=office_ids,
            is_active=True,
            indicator__is_active=True,
            indicator__strategy_id__in=strategy_ids,
        )
        .values("office_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("office_id", "n")
    )


def _cell(
    *,
    office: Office,
    period: ReportingPeriod,
    assigned: int,
    counts: dict[str, int],
    drafts_visible: bool,
    today: dt.date,
) -> CompletenessCell:
    draft = counts.get(Status.DRAFT, 0) if drafts_visible else 0
    submitted = counts.get(Status.SUBMITTED, 0)
    approved = counts.get(Status.APPROVED, 0)
    returned = counts.get(Status.RETURNED, 0)
    not_started = max(assigned - draft - submitted - approved - returned, 0)
    late_submissions = counts.get("late", 0)
    # Late: something arrived after the deadline, or the deadline has passed and some assigned
    # indicator is still not submitted (which includes "nothing submitted at all").
    outstanding = assigned > 0 and not_started + draft > 0
    late = late_submissions > 0 or (period.deadline < today and outstanding)
    return CompletenessCell(
        office=office,
        period=period,
        assigned=assigned,
        not_started=not_started,
        draft=draft,
        submitted=submitted,
        approved=approved,
        returned=returned,
        late=late,
        late_submissions=late_submissions,
        drafts_hidden=not drafts_visible,
    )


def completeness_offices(
    *,
    user: AbstractBaseUser,
    offices: QuerySet[Office] | None = None,
    region: Region | None = None,
) -> QuerySet[Office]:
    """Return the active offices in the viewer's scope (optionally one region's, or a subset)."""
    qs = offices_visible(user).filter(is_active=True)
    if offices is not None:
        qs = qs.filter(pk__in=offices.values("pk"))
    if region is not None:
        qs = qs.filter(region=region)
    return qs.select_related("region").order_by("region__city", "name")


def completeness_matrix(
    *,
    user: AbstractBaseUser,
    periods: Sequence[ReportingPeriod],
    offices: QuerySet[Office] | None = None,
    region: Region | None = None,
    today: dt.date | None = None,
) -> Completeness:
    """Return, for each office in the viewer's scope × period, the counts of assigned
    indicators not started / draft / submitted / approved / returned, the overall state and
    lateness. Offices with nothing assigned are left out.

    Four queries whatever the size: roles, offices, assignments, updates grouped by status.
    """
    today = today or timezone.localdate()
    periods = list(periods)
    office_list = list(completeness_offices(user=user, offices=offices, region=region))
    office_ids = [o.pk for o in office_list]
    strategy_ids = {p.strategy_id for p in periods}
    assigned = _assigned(office_ids, strategy_ids) if periods else {}
    counts = _counts(office_ids, [p.pk for p in periods]) if periods and office_ids else {}
    rows: list[CompletenessRow] = []
    totals = dict.fromkeys(
        ["assigned", "not_started", "draft", "submitted", "approved", "returned", "late"], 0
    )
    for office in office_list:
        n_assigned = assigned.get(office.pk, 0)
        if not n_assigned:
            continue
        drafts_visible = can_see_office_drafts(user, office.pk)
        cells = [
            _cell(
                office=office,
                period=period,
                assigned=n_assigned,
                counts=counts.get((office.pk, period.pk), {}),
                drafts_visible=drafts_visible,
                today=today,
            )
            for period in periods
        ]
        for cell in cells:
            for key in ("assigned", "not_started", "draft", "submitted", "approved", "returned"):
                totals[key] += getattr(cell, key)
            totals["late"] += int(cell.late)
        rows.append(CompletenessRow(office=office, cells=cells))
    return Completeness(periods=periods, rows=rows, today=today, totals=totals)


def completeness_legend() -> list[dict[str, str]]:
    """Return each state with its label, badge class and meaning, for the page's legend."""
    return [
        {"state": s, "label": State.LABELS[s], "css": State.CSS[s], "text": State.DESCRIPTIONS[s]}
        for s in (
            State.NOT_STARTED,
            State.DRAFT,
            State.PARTIAL,
            State.SUBMITTED,
            State.RETURNED,
            State.APPROVED,
        )
    ]


def completeness_summary(
    *,
    user: AbstractBaseUser,
    periods: Sequence[ReportingPeriod],
    region: Region | None = None,
) -> dict[str, int]:
    """Return the expected, approved and submitted update counts over the viewer's scope and
    the periods (for a dashboard's completeness figure), in two aggregate queries."""
    periods = list(periods)
    office_ids = completeness_offices(user=user, region=region).values("pk")
    strategy_ids = {p.strategy_id for p in periods}
    assigned = Assignment.objects.filter(
        office_id__in=office_ids,
        is_active=True,
        indicator__is_active=True,
        indicator__strategy_id__in=strategy_ids,
    ).count()
    statuses = dict(
        IndicatorUpdate.objects.filter(
            office_id__in=office_ids,
            period_id__in=[p.pk for p in periods],
            status__in=[Status.SUBMITTED, Status.APPROVED],
        )
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("status", "n")
    )
    expected = assigned * len(periods)
    approved = statuses.get(Status.APPROVED, 0)
    return {
        "expected": expected,
        "approved": approved,
        "submitted": statuses.get(Status.SUBMITTED, 0),
        "approved_percent": round(100 * approved / expected) if expected else 0,
    }
