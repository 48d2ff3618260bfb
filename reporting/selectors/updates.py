"""Reads of indicator updates and their history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deliverables.models import Indicator
from offices.models import Office
from offices.permissions import updates_visible_q
from reporting.models import IndicatorUpdate, ReportingPeriod

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The fields whose changes a timeline or a "changed since approval" list shows.
TRACKED_FIELDS = [
    "status",
    "value",
    "numerator",
    "denominator",
    "text",
    "disaggregations",
    "narrative",
    "review_comment",
]


def updates_visible(*, user: AbstractBaseUser) -> QuerySet[IndicatorUpdate]:
    """Return the updates this user may see, with what lists and pages show of them."""
    return (
        IndicatorUpdate.objects.filter(updates_visible_q(user))
        .select_related("indicator", "office__region", "period")
        .order_by("-period__start_date", "office__name", "indicator__code")
    )


def update_previous_value(
    *, indicator: Indicator, office: Office, period: ReportingPeriod
) -> Decimal | None:
    """Return the office's value for the indicator in the latest earlier period that has one.

    Approved and submitted values count (a draft is not yet a reported figure).
    """
    return (
        updates_reported_before(office=office, period=period)
        .filter(indicator=indicator)
        .order_by("-period__start_date")
        .values_list("value", flat=True)
        .first()
    )


def updates_reported_before(
    *, office: Office, period: ReportingPeriod
) -> QuerySet[IndicatorUpdate]:
    """Return the office's reported values (approved or submitted) of periods before `period`.

    The one definition of "the previous value", shared by the submission check and the pages
    that show it (which pick the latest per indicator in a subquery).
    """
    return IndicatorUpdate.objects.filter(
        office=office,
        period__strategy_id=period.strategy_id,
        period__start_date__lt=period.start_date,
        status__in=[IndicatorUpdate.Status.APPROVED, IndicatorUpdate.Status.SUBMITTED],
        value__isnull=False,
    )


VALUE_FIELDS = ["value", "numerator", "denominator", "text", "disaggregations", "narrative"]


def update_authors(*, update: IndicatorUpdate) -> frozenset[int]:
    """Return who authored the update as it stands: whoever submitted it and whoever last
    changed its values (the history's newest record whose values differ from the one before).

    The approver must be neither (offices.permissions.can_approve_update).
    """
    authors = {update.submitted_by_id}
    records = list(
        update.history.order_by("-history_date", "-history_id").values(
            "history_user_id", *VALUE_FIELDS
        )[:200]
    )
    # Rows written without history (bulk loads) have no records: only the submitter counts.
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        if older is None or any(newer[name] != older[name] for name in VALUE_FIELDS):
            authors.add(newer["history_user_id"])
            break
    authors.discard(None)
    return frozenset(authors)


def previous_value_subquery() -> Subquery:
    """The previous value of each update of a queryset, as `updates_reported_before` defines
    it (same office and indicator, an earlier period of the strategy, approved or submitted),
    for lists whose rows are of many offices and periods."""
    return Subquery(
        IndicatorUpdate.objects.filter(
            office_id=OuterRef("office_id"),
            indicator_id=OuterRef("indicator_id"),
            period__strategy_id=OuterRef("period__strategy_id"),
            period__start_date__lt=OuterRef("period__start_date"),
            status__in=[IndicatorUpdate.Status.APPROVED, IndicatorUpdate.Status.SUBMITTED],
            value__isnull=False,
        )
        .order_by("-period__start_date")
        .values("value")[:1]
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class TimelineEntry:
    when: Any
    who: str
    reason: str
    status: str
    changes: list[FieldChange]


# What the workflow writes in the history (in English, reporting.services.workflow), with the
# reviewer's own words after the colon.
_REASONS_WITH_TEXT = (gettext_noop("Returned: %(c)s"), gettext_noop("Reopened: %(r)s"))


def history_reason_shown(stored: str) -> str:
    """A history reason in the reader's language (the reviewer's comment stays as written)."""
    for english in _REASONS_WITH_TEXT:
        prefix, _sep, _rest = english.partition("%(")
        if stored.startswith(prefix):
            name = english[len(prefix) + 2 : english.index(")s")]
            return _(english) % {name: stored[len(prefix) :]}
    return _(stored) if stored else stored


def update_timeline(*, update: IndicatorUpdate) -> list[TimelineEntry]:
    """Return the update's history, newest first: who changed what, when, and why."""
    records = list(update.history.select_related("history_user").order_by("history_date"))
    entries: list[TimelineEntry] = []
    previous = None
    for record in records:
        changes = []
        for name in TRACKED_FIELDS:
            after = getattr(record, name)
            before = getattr(previous, name) if previous is not None else None
            if previous is None and after in (None, "", {}):
                continue
            if before != after:
                changes.append(FieldChange(name, before, after))
        user = record.history_user
        entries.append(
            TimelineEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "",
                reason=history_reason_shown(record.history_change_reason or ""),
                status=record.status,
                changes=changes,
            )
        )
        previous = record
    entries.reverse()
    return entries


def update_changes_since_approval(*, update: IndicatorUpdate) -> list[FieldChange]:
    """Return how the update's values differ from the last time it was approved.

    Empty when it was never approved or nothing has changed since; a reviewer looking at a
    reopened and resubmitted update sees exactly what moved.
    """
    approved = (
        update.history.filter(status=IndicatorUpdate.Status.APPROVED)
        .order_by("-history_date")
        .first()
    )
    if approved is None:
        return []
    value_fields = [f for f in TRACKED_FIELDS if f not in {"status", "review_comment"}]
    return [
        FieldChange(name, getattr(approved, name), getattr(update, name))
        for name in value_fields
        if getattr(approved, name) != getattr(update, name)
    ]
