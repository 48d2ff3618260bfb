"""Reads for the data entry page ("My reporting"): which periods an office may report on, and
every assigned indicator with what a person entering its figure needs to see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliverables.models import Assignment, Indicator, IndicatorTarget
from offices.models import Office
from offices.permissions import offices_for_entry
from reporting.models import IndicatorUpdate, ReportingPeriod, UpdateEvidence
from reporting.selectors.updates import updates_reported_before

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Status = IndicatorUpdate.Status
State = ReportingPeriod.State


@dataclass
class EntryRow:
    """One assigned indicator on the entry page, with its update for the period (if any)."""

    indicator: Indicator
    update: IndicatorUpdate | None
    target: Decimal | None
    target_is_office: bool
    previous_value: Decimal | None
    evidence: list[UpdateEvidence] = field(default_factory=list)

    @property
    def in_error(self) -> bool:
        """Does the row carry a message from the last save or submit (on its form, which the
        view attaches)?"""
        form = getattr(self, "form", None)
        return bool(form is not None and (form.errors or form.dimension_errors or form.conflict))

    @property
    def state(self) -> str:
        """One of ENTRY_FILTERS' keys (or "approved"): where this indicator stands."""
        if self.update is None:
            return "not_started"
        return {Status.DRAFT: "drafts", Status.RETURNED: "returned"}.get(
            self.update.status, self.update.status
        )


# The filters of My reporting (`?show=`), in the order offered.
ENTRY_FILTERS = {
    "returned": gettext_lazy("Returned"),
    "not_started": gettext_lazy("Not started"),
    "drafts": gettext_lazy("Drafts"),
    "submitted": gettext_lazy("Submitted"),
}


@dataclass
class EntryGroup:
    """The rows of one deliverable (or institutional output) on My reporting, with counts."""

    key: str
    code: str
    title: str
    rows: list[EntryRow] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def done(self) -> int:
        return self.count("submitted") + self.count("approved")

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / len(self.rows)) if self.rows else 0

    @property
    def counts(self) -> dict[str, int]:
        return {state: self.count(state) for state in (*ENTRY_FILTERS, "approved")}

    @property
    def has_errors(self) -> bool:
        """Does a row carry a message from the last save or submit (its form, set by the view)?"""
        return any(r.in_error for r in self.rows)

    @property
    def needs_work(self) -> bool:
        """Open it by default: something is returned, a draft or not started."""
        return any(r.state in ("returned", "drafts", "not_started") for r in self.rows)


@dataclass
class EntrySection:
    """An outcome (or the institutional outputs) and its groups."""

    key: str
    title: str
    groups: list[EntryGroup] = field(default_factory=list)

    @property
    def has_returned(self) -> bool:
        return any(g.count("returned") for g in self.groups)


def entry_sections(*, rows: list[EntryRow]) -> list[EntrySection]:
    """Group the rows by outcome and deliverable (or under the institutional outputs), in the
    framework's order; returned rows come first in their group, and the groups and sections
    holding returned rows come first. No query: entry_rows loaded what is needed."""
    sections: dict[str, EntrySection] = {}
    groups: dict[str, EntryGroup] = {}
    for row in sorted(rows, key=_framework_order):
        indicator = row.indicator
        deliverable, output = indicator.deliverable, indicator.output
        if deliverable is not None:
            outcome = deliverable.outcome
            section_key = f"outcome-{outcome.pk}"
            section_title = _("Outcome (%(code)s) %(title)s") % {
                "code": outcome.code,
                "title": outcome.short_title or outcome.title,
            }
            key = f"deliverable-{deliverable.pk}"
            code = f"({outcome.code}.{deliverable.code})"
            title = deliverable.short_title or deliverable.title
        elif output is not None:
            section_key, section_title = "outputs", _("Institutional outputs")
            key, code = f"output-{output.pk}", f"({output.code})"
            title = output.short_title or output.title
        else:
            section_key, section_title = "other", _("Other indicators")
            key, code, title = "other", "", _("Other indicators")
        section = sections.get(section_key)
        if section is None:
            section = sections[section_key] = EntrySection(key=section_key, title=section_title)
        group = groups.get(key)
        if group is None:
            group = groups[key] = EntryGroup(key=key, code=code, title=title)
            section.groups.append(group)
        group.rows.append(row)
    for section in sections.values():
        for group in section.groups:
            group.rows.sort(key=lambda r: r.state != "returned")  # stable: code order kept
        section.groups.sort(key=lambda g: not g.count("returned"))
    return sorted(sections.values(), key=lambda s: not s.has_returned)


def _framework_order(row: EntryRow) -> tuple:
    indicator = row.indicator
    if indicator.deliverable is not None:
        d = indicator.deliverable
        return (0, d.outcome.order, d.outcome.code, d.order, d.code, indicator.code)
    if indicator.output is not None:
        o = indicator.output
        return (1, o.order, o.code, 0, "", indicator.code)
    return (2, 0, "", 0, "", indicator.code)


def entry_offices(*, user: AbstractBaseUser) -> QuerySet[Office]:
    """Return the offices the user may enter updates for, in name order."""
    return offices_for_entry(user).select_related("region").order_by("name")


def entry_period_default(*, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """Return the latest open period of the list (newest first), else the latest of any."""
    for period in periods:
        if period.state == State.OPEN:
            return period
    return periods[0] if periods else None


def entry_rows(*, office: Office, period: ReportingPeriod) -> list[EntryRow]:
    """Return every indicator assigned to the office, in code order, with its target for the
    period's year (the office's own if set, else the global one), its update and evidence for
    the period, and its previous reported value.

    Runs a fixed number of queries (four) whatever the number of indicators or of periods
    of history.
    """
    previous = (
        updates_reported_before(office=office, period=period)
        .filter(indicator_id=OuterRef("indicator_id"))
        .order_by("-period__start_date")
        .values("value")[:1]
    )
    assignments = list(
        Assignment.objects.filter(
            office=office,
            is_active=True,
            indicator__is_active=True,
            indicator__strategy_id=period.strategy_id,
        )
        .select_related("indicator__deliverable__outcome", "indicator__output")
        .annotate(previous_value=Subquery(previous))
        .order_by("indicator__code")
    )
    indicator_ids = [a.indicator_id for a in assignments]
    targets: dict[int, tuple[Decimal, bool]] = {}
    for target in IndicatorTarget.objects.filter(
        Q(office__isnull=True) | Q(office=office), indicator_id__in=indicator_ids, year=period.year
    ).order_by("office_id"):
        # The office's own target wins over the global one.
        if target.office_id or target.indicator_id not in targets:
            targets[target.indicator_id] = (target.value, bool(target.office_id))
    updates = {
        u.indicator_id: u
        for u in IndicatorUpdate.objects.filter(
            office=office, period=period, indicator_id__in=indicator_ids
        ).prefetch_related("evidence")
    }
    rows = []
    for assignment in assignments:
        indicator = assignment.indicator
        update = updates.get(indicator.pk)
        if update is not None:
            # Spare the template a query per row for what it already has.
            update.indicator, update.office, update.period = indicator, office, period
        target, is_office = targets.get(indicator.pk, (None, False))
        rows.append(
            EntryRow(
                indicator=indicator,
                update=update,
                target=target,
                target_is_office=is_office,
                previous_value=assignment.previous_value,
                evidence=list(update.evidence.all()) if update else [],
            )
        )
    return rows
