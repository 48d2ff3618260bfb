"""The rules of entry in one place: which periods take entries (`period_entry_refusal` for one
update, `periods_open_for_entry` for the lists) and who may change an update now
(`update_edit_check`), as every page, the Excel round-trip and the services use them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting.exceptions import PeriodLockedError, WorkflowError
from reporting.forms import ExcelChooseForm, ExcelUploadForm
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.periods import period_entry_refusal, periods_open_for_entry
from reporting.services.workflow import update_edit_check, update_edit_refusal
from tests.factories import UpdateFactory

State = ReportingPeriod.State
Status = IndicatorUpdate.Status


def _set_states(periods, states):
    for period, state in zip(periods, states, strict=False):
        ReportingPeriod.objects.filter(pk=period.pk).update(state=state)
        period.state = state


@pytest.fixture
def three(periods):
    """2023-Q2 locked, 2023-Q3 closed, 2023-Q4 open; every earlier period locked."""
    ReportingPeriod.objects.exclude(pk__in=[p.pk for p in periods[-2:]]).update(state=State.LOCKED)
    _set_states(periods[-3:], [State.LOCKED, State.CLOSED, State.OPEN])
    return periods[-3], periods[-2], periods[-1]


@pytest.mark.parametrize(
    ("state", "status", "submitted_before", "takes_it"),
    [
        (State.OPEN, None, False, True),
        (State.OPEN, Status.DRAFT, False, True),
        (State.CLOSED, None, False, False),
        (State.CLOSED, Status.DRAFT, False, False),  # a new draft in a closed period
        (State.CLOSED, Status.RETURNED, True, True),  # a reviewer sent it back: correct it
        (State.CLOSED, Status.DRAFT, True, True),  # reopened after approval
        (State.LOCKED, Status.RETURNED, True, False),
        (State.LOCKED, None, False, False),
    ],
)
def test_period_entry_refusal_and_the_list_of_periods_agree(
    kenya, number_indicator, period, state, status, submitted_before, takes_it
):
    # given a period in a state, and maybe Kenya's update in it
    ReportingPeriod.objects.filter(pk=period.pk).update(state=state)
    period.state = state
    update = None
    if status is not None:
        update = UpdateFactory(
            indicator=number_indicator, office=kenya, period=period, status=status,
            value=Decimal(5), submitted_at="2024-01-10T10:00:00Z" if submitted_before else None,
        )  # fmt: skip
    # then the one-update rule and the list of periods Kenya may report on say the same
    assert (period_entry_refusal(period=period, update=update) == "") is takes_it
    listed = period in list(periods_open_for_entry(offices=[kenya]))
    assert listed is takes_it


def test_update_edit_check_permission_period_status(users, kenya, uganda, number_indicator, three):
    locked, closed, open_ = three
    draft = UpdateFactory(indicator=number_indicator, office=kenya, period=open_, status="draft")
    submitted = UpdateFactory(
        indicator=number_indicator, office=uganda, period=open_, status="submitted"
    )
    field = users["field"]
    # field staff of Kenya change Kenya's draft in the open period
    update_edit_check(user=field, office=kenya, period=open_, update=draft)
    assert update_edit_refusal(user=field, office=kenya, period=open_, update=None) == ""
    # but not another office's, nor anything in a locked or (new) in a closed period
    with pytest.raises(PermissionDenied):
        update_edit_check(user=field, office=uganda, period=open_, update=None)
    with pytest.raises(PeriodLockedError, match="is locked"):
        update_edit_check(user=field, office=kenya, period=locked, update=None)
    with pytest.raises(PeriodLockedError, match="closed to new submissions"):
        update_edit_check(user=field, office=kenya, period=closed, update=None)
    # and a submitted update is no longer editable, even by its own office
    with pytest.raises(WorkflowError, match="can no longer be edited"):
        update_edit_check(user=users["field_ug"], office=uganda, period=open_, update=submitted)
    # reviewers and the steering committee enter nothing
    for name in ("reviewer", "steering"):
        assert update_edit_refusal(user=users[name], office=kenya, period=open_, update=draft)


def test_excel_template_offers_only_periods_open_for_entry(users, kenya, three):
    locked, _closed, open_ = three
    # when field staff choose the period of a template
    offered = list(ExcelChooseForm(user=users["field"]).fields["period"].queryset)
    # then only the open period is offered (Kenya has nothing to correct in the closed one)
    assert offered == [open_]
    # while an upload may name any period: its check then says why it takes no entries
    assert locked in ExcelUploadForm(user=users["field"]).fields["period"].queryset


def test_entry_page_lists_the_same_periods(client, users, kenya, number_indicator, three):
    _locked, _closed, open_ = three
    client.force_login(users["field"])
    response = client.get(reverse("reporting:my_reporting"))
    assert [p.pk for p in response.context["periods"]] == [open_.pk]
