"""Reads of reporting periods: which take entries, the page that manages them, and the range a
page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.models import IndicatorUpdate, ReportingPeriod

if TYPE_CHECKING:
    from offices.models import Office
    from outcomes.models import Strategy

State = ReportingPeriod.State


@dataclass
class PeriodRow:
    period: ReportingPeriod
    history: list[Any]  # historical records, newest first, with a change reason


def period_rows() -> list[PeriodRow]:
    """Return every period, newest first, each with the recorded changes of its state."""
    periods = list(ReportingPeriod.objects.select_related("strategy").order_by("-start_date"))
    records: dict[int, list[Any]] = {}
    for record in (
        ReportingPeriod.history.filter(id__in=[p.pk for p in periods])
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")
    ):
        records.setdefault(record.id, []).append(record)
    return [PeriodRow(period=p, history=records.get(p.pk, [])) for p in periods]


@dataclass(frozen=True)
class PeriodRange:
    """A range of a strategy's periods chosen on a page (`from` / `to` period codes)."""

    all_periods: list[ReportingPeriod]
    period_from: ReportingPeriod
    period_to: ReportingPeriod
    errors: tuple[str, ...] = ()

    @property
    def periods(self) -> list[ReportingPeriod]:
        start, end = self.period_from.start_date, self.period_to.start_date
        return [p for p in self.all_periods if start <= p.start_date <= end]


def period_range(
    *, strategy: Strategy, params: Mapping[str, str], today: dt.date | None = None
) -> PeriodRange:
    """Parse `from` / `to` period codes. Unknown codes are ignored (and reported in `errors`);
    a reversed range is put right. Default: from the strategy's first period to the last one
    that has started. Raise ValueError when the strategy has no periods."""
    today = today or timezone.localdate()
    all_periods = list(ReportingPeriod.objects.filter(strategy=strategy).order_by("start_date"))
    if not all_periods:
        raise ValueError("The strategy has no reporting periods.")
    by_code = {p.code: p for p in all_periods}
    errors: list[str] = []
    started = [p for p in all_periods if p.start_date <= today] or all_periods[:1]
    chosen = {"from": all_periods[0], "to": started[-1]}
    for key in ("from", "to"):
        code = (params.get(key) or "").strip()
        if not code:
            continue
        if code in by_code:
            chosen[key] = by_code[code]
        else:
            errors.append(_("Unknown period “%(code)s”; it was ignored.") % {"code": code})
    first, last = chosen["from"], chosen["to"]
    if first.start_date > last.start_date:
        first, last = last, first
    return PeriodRange(
        all_periods=all_periods, period_from=first, period_to=last, errors=tuple(errors)
    )


# --- Which periods take entries --------------------------------------------------------------

# Updates a closed period still takes: submitted before, then returned or reopened. The Python
# test in `period_entry_refusal` and this filter are the same rule, for one row and for many.
_CORRECTABLE_IN_CLOSED = Q(
    submitted_at__isnull=False,
    status__in=[IndicatorUpdate.Status.RETURNED, IndicatorUpdate.Status.DRAFT],
)


def period_entry_refusal(*, period: ReportingPeriod, update: IndicatorUpdate | None) -> str:
    """Return why the period takes no entry or submission for this update now ("" when it does).

    An open period takes entries; a closed one only corrections of updates submitted before (a
    reviewer returned or reopened them); a locked one nothing until HQ reopens it.
    """
    if period.state == State.LOCKED:
        return period_locked_message(period=period)
    if period.state == State.CLOSED and (update is None or update.submitted_at is None):
        return _(
            "Period %(p)s is closed to new submissions. Only updates a reviewer returned "
            "or reopened can still be corrected."
        ) % {"p": period.code}
    return ""


def period_locked_message(*, period: ReportingPeriod) -> str:
    return _(
        "Period %(p)s is locked: nothing can change unless an HQ results manager reopens it."
    ) % {"p": period.code}


def periods_open_for_entry(
    *, offices: Iterable[Office], strategy: Strategy | None = None
) -> QuerySet[ReportingPeriod]:
    """Return the periods these offices may report on, newest first: the open ones, and the
    closed ones where one of them has an update to correct (`period_entry_refusal`'s rule)."""
    to_correct = IndicatorUpdate.objects.filter(_CORRECTABLE_IN_CLOSED, office__in=offices)
    periods = ReportingPeriod.objects.filter(
        Q(state=State.OPEN) | Q(state=State.CLOSED, pk__in=to_correct.values("period"))
    )
    if strategy is not None:
        periods = periods.filter(strategy=strategy)
    return periods.select_related("strategy").order_by("-start_date")


# --- What a change of state does (the confirmation page) -------------------------------------


@dataclass(frozen=True)
class PeriodChange:
    """A proposed change of a period's state, with what it does in words and the updates it
    touches, for the page that asks HQ to confirm it."""

    period: ReportingPeriod
    state: str
    action: str  # the button's words, e.g. "Lock 2023-Q4"
    effects: list[str]
    counts: dict[str, int]
    needs_reason: bool


def period_change_preview(*, period: ReportingPeriod, state: str) -> PeriodChange:
    """Say what moving `period` to `state` does (one query, counting its updates by status).
    Raise ValueError for an unknown state or no change."""
    if state not in State.values or state == period.state:
        raise ValueError(state)
    counts = {s: 0 for s in IndicatorUpdate.Status.values}
    by_status = period.updates.values("status").annotate(n=Count("id")).order_by()
    for status, n in by_status.values_list("status", "n"):
        counts[status] = n
    code = period.code
    reopening = period.state == State.LOCKED
    effects: list[str] = []
    if state == State.OPEN:
        action = _("Reopen %(p)s for entry") % {"p": code}
        effects.append(
            _("Offices can enter, save and submit updates for %(p)s again, until you close it.")
            % {"p": code}
        )
    elif state == State.CLOSED:
        action = (_("Reopen %(p)s as closed") if reopening else _("Close %(p)s")) % {"p": code}
        effects += [
            _("Offices can no longer start or submit new updates for %(p)s.") % {"p": code},
            _("Updates a reviewer returned or reopened can still be corrected and resubmitted."),
            _("Reviewers can still approve or return what was submitted."),
        ]
        if counts[IndicatorUpdate.Status.DRAFT]:
            n = counts[IndicatorUpdate.Status.DRAFT]
            effects.append(
                ngettext(
                    "%(n)d draft not yet submitted stays a draft and will not be reviewed.",
                    "%(n)d drafts not yet submitted stay drafts and will not be reviewed.",
                    n,
                )
                % {"n": n}
            )
    else:
        action = _("Lock %(p)s") % {"p": code}
        effects += [
            _("Nothing about %(p)s can change any more: no entry, no correction, no review.")
            % {"p": code},
            _("Only an HQ results manager can reopen it, giving a reason that is recorded."),
        ]
        if counts[IndicatorUpdate.Status.SUBMITTED]:
            n = counts[IndicatorUpdate.Status.SUBMITTED]
            effects.append(
                ngettext(
                    "%(n)d submitted update still waiting for review cannot be reviewed "
                    "until the period is reopened.",
                    "%(n)d submitted updates still waiting for review cannot be reviewed "
                    "until the period is reopened.",
                    n,
                )
                % {"n": n}
            )
    if reopening:
        effects.append(_("You must give the reason for reopening; it goes into the history."))
    return PeriodChange(
        period=period,
        state=state,
        action=action,
        effects=effects,
        counts=counts,
        needs_reason=reopening,
    )
