"""The update workflow through its services: transitions, illegal ones, periods, versions."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from reporting.exceptions import (
    PeriodLockedError,
    StaleVersionError,
    UpdateValidationError,
    WorkflowError,
)
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.validation import UpdateValues
from reporting.services.workflow import (
    update_approve,
    update_reopen,
    update_return,
    update_save,
    update_submit,
)
from tests.factories import UpdateFactory

Status = IndicatorUpdate.Status


def _draft(users, indicator, office, period, value="40", **kw):
    values = UpdateValues(
        value=Decimal(value), disaggregations={"sex": {"female": 20, "male": 20}}, **kw
    )
    return update_save(
        user=users["field"], indicator=indicator, office=office, period=period, values=values
    )


def test_update_full_cycle_draft_submit_return_resubmit_approve_reopen(
    users, number_indicator, kenya, period, mailoutbox
):
    # given a draft saved by Kenya's field staff
    update = _draft(users, number_indicator, kenya, period)
    assert (update.status, update.version) == (Status.DRAFT, 1)
    # when it is submitted, returned, fixed, resubmitted, approved and reopened
    update = update_submit(user=users["field"], update=update)
    assert update.status == Status.SUBMITTED
    update = update_return(user=users["reviewer"], update=update, comment="Check the sex split")
    assert (update.status, update.review_comment) == (Status.RETURNED, "Check the sex split")
    update = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(
            value=Decimal("41"), disaggregations={"sex": {"female": 21, "male": 20}}
        ),
        expected_version=update.version,
    )
    update = update_submit(user=users["field"], update=update)
    update = update_approve(user=users["reviewer"], update=update)
    assert update.status == Status.APPROVED
    update = update_reopen(user=users["reviewer"], update=update, reason="Typo in source")
    # then every step is in the history, newest first, with who and why
    assert update.status == Status.DRAFT
    reasons = list(update.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "Reopened: Typo in source"
    assert "Returned: Check the sex split" in reasons
    assert update.history.first().history_user == users["reviewer"]
    assert update.version == 7


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DRAFT, "approve"),
        (Status.DRAFT, "return"),
        (Status.DRAFT, "reopen"),
        (Status.SUBMITTED, "submit"),
        (Status.SUBMITTED, "reopen"),
        (Status.APPROVED, "submit"),
        (Status.APPROVED, "approve"),
        (Status.APPROVED, "return"),
        (Status.RETURNED, "approve"),
        (Status.RETURNED, "reopen"),
    ],
)
def test_update_illegal_transitions_are_refused(
    users, number_indicator, kenya, period, status, action
):
    update = UpdateFactory(
        indicator=number_indicator,
        office=kenya,
        period=period,
        status=status,
        disaggregations={"sex": {"female": 5, "male": 5}},
    )
    calls = {
        "submit": lambda: update_submit(user=users["field"], update=update),
        "approve": lambda: update_approve(user=users["reviewer"], update=update),
        "return": lambda: update_return(user=users["reviewer"], update=update, comment="x"),
        "reopen": lambda: update_reopen(user=users["reviewer"], update=update, reason="x"),
    }
    with pytest.raises(WorkflowError):
        calls[action]()
    update.refresh_from_db()
    assert update.status == status


def test_update_save_refuses_stale_version_and_keeps_newer_values(
    users, number_indicator, kenya, period
):
    # given two people who loaded version 1
    update = _draft(users, number_indicator, kenya, period, value="40")
    first = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal("50")),
        expected_version=1,
    )
    assert first.version == 2
    # when the second saves with the version they loaded
    with pytest.raises(StaleVersionError) as caught:
        update_save(
            user=users["field"],
            indicator=number_indicator,
            office=kenya,
            period=period,
            values=UpdateValues(value=Decimal("60")),
            expected_version=1,
        )
    # then they are told the newer values, and nothing is overwritten
    assert caught.value.current.value == Decimal("50")
    update.refresh_from_db()
    assert (update.value, update.version) == (Decimal("50"), 2)


def test_update_locked_period_rejects_every_change(users, number_indicator, kenya, period):
    update = _draft(users, number_indicator, kenya, period)
    update_submit(user=users["field"], update=update)
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.LOCKED)
    with pytest.raises(PeriodLockedError):
        update_approve(user=users["reviewer"], update=update)
    with pytest.raises(PeriodLockedError):
        _draft(users, number_indicator, kenya, period, value="1")


def test_update_closed_period_refuses_new_entries_but_reviewers_still_act(
    users, number_indicator, uganda, kenya, period
):
    update = _draft(users, number_indicator, kenya, period)
    update = update_submit(user=users["field"], update=update)
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    period.refresh_from_db()
    update = update_return(user=users["reviewer"], update=update, comment="Fix")
    # a returned update may be corrected and resubmitted in a closed period...
    update = update_submit(user=users["field"], update=update)
    assert update.status == Status.SUBMITTED
    # ...but a first entry may not
    with pytest.raises(PeriodLockedError, match="closed"):
        update_save(
            user=users["field_ug"],
            indicator=number_indicator,
            office=uganda,
            period=period,
            values=UpdateValues(value=Decimal("3")),
        )


def test_update_out_of_scope_users_are_refused(users, number_indicator, kenya, period):
    with pytest.raises(PermissionDenied):
        update_save(
            user=users["field_ug"],
            indicator=number_indicator,
            office=kenya,
            period=period,
            values=UpdateValues(value=Decimal("3")),
        )
    update = update_submit(
        user=users["field"], update=_draft(users, number_indicator, kenya, period)
    )
    for name in ("reviewer_bkk", "reviewer_hq", "steering", "field", "norole"):
        with pytest.raises(PermissionDenied):
            update_approve(user=users[name], update=update)


def test_update_return_requires_a_comment(users, number_indicator, kenya, period):
    update = update_submit(
        user=users["field"], update=_draft(users, number_indicator, kenya, period)
    )
    with pytest.raises(UpdateValidationError) as caught:
        update_return(user=users["reviewer"], update=update, comment="  ")
    assert "comment" in caught.value.message_dict


def test_update_notifications_reach_reviewers_and_submitter(
    users, number_indicator, kenya, period, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update = update_submit(
            user=users["field"], update=_draft(users, number_indicator, kenya, period)
        )
    assert [m.to for m in mailoutbox] == [["reviewer@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        update_return(user=users["reviewer"], update=update, comment="Numbers look doubled")
    assert mailoutbox[-1].to == ["field@example.org"]
    assert "Numbers look doubled" in mailoutbox[-1].body


def test_update_return_keeps_a_long_comment_whole_and_shortens_the_history_reason(
    users, number_indicator, kenya, period
):
    update = update_submit(
        user=users["field"], update=_draft(users, number_indicator, kenya, period)
    )
    comment = "Please check the figures against the distribution lists. " * 5  # ~285 characters
    update = update_return(user=users["reviewer"], update=update, comment=comment)
    assert update.review_comment == comment.strip()
    assert len(update.history.first().history_change_reason) == 100
