"""Reporting periods: creating the strategy's quarters and moving them open → closed → locked."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from offices.permissions import can_manage_framework
from outcomes.models import Strategy
from reporting.exceptions import UpdateValidationError
from reporting.models import ReportingPeriod

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

State = ReportingPeriod.State
QUARTER_START_MONTH = {1: 1, 2: 4, 3: 7, 4: 10}


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a calendar quarter."""
    start = dt.date(year, QUARTER_START_MONTH[quarter], 1)
    next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, start.month + 3, 1)
    return start, next_start - dt.timedelta(days=1)


@transaction.atomic
def periods_ensure(*, strategy: Strategy, deadline_days: int = 30) -> list[ReportingPeriod]:
    """Create any missing quarterly period of the strategy (deadline: N days after the quarter)."""
    periods = []
    for year in strategy.years:
        for quarter in range(1, 5):
            start, end = quarter_dates(year, quarter)
            period, _created = ReportingPeriod.objects.get_or_create(
                strategy=strategy,
                year=year,
                quarter=quarter,
                defaults={
                    "code": f"{year}-Q{quarter}",
                    "start_date": start,
                    "end_date": end,
                    "deadline": end + dt.timedelta(days=deadline_days),
                },
            )
            periods.append(period)
    return periods


@transaction.atomic
def period_set_state(
    *, user: AbstractBaseUser, period: ReportingPeriod, state: str, reason: str = ""
) -> ReportingPeriod:
    """Open, close, lock or reopen a period (HQ results managers only).

    Reopening a locked period needs a reason; the change and its reason go into the history.
    """
    if not can_manage_framework(user):
        raise PermissionDenied(_("Only HQ results managers can change a period's state."))
    if state not in State.values:
        raise UpdateValidationError({"state": [_("Unknown state “%(s)s”.") % {"s": state}]})
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state == state:
        return period
    reason = (reason or "").strip()
    if period.state == State.LOCKED and not reason:
        raise UpdateValidationError(
            {"reason": [_("Give the reason for reopening a locked period; it is recorded.")]}
        )
    previous = period.get_state_display()
    period.state = state
    period._change_reason = f"{previous} → {period.get_state_display()}" + (
        f": {reason}" if reason else ""
    )
    period._change_reason = Truncator(period._change_reason).chars(100)
    period._history_user = user
    period.save()
    return period
