"""Every change that moves a figure recomputes the roll-ups after it commits, with no rebuild:
targets (through the API and the Django admin), the baseline, the measure, assignments."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from deliverables import services as deliverables
from deliverables.models import Assignment
from rollups.models import Rollup
from rollups.services import rollup_rebuild_full
from tests.deliverables.test_admin import _form_data, _target_rows

D = Decimal


@pytest.fixture
def achieved(make_indicator, report, by_code, kenya, uganda):
    """A count at 2023-Q4 of 120 against yearly targets of 20 (std target 100): achieved."""
    indicator = make_indicator(
        "number", targets={y: "20" for y in range(2019, 2024)}, offices=(kenya, uganda)
    )
    report(indicator, kenya, by_code["2022-Q2"], "70")
    report(indicator, uganda, by_code["2023-Q4"], "50")
    rollup_rebuild_full()
    return indicator


def _dashboard_status(client, user, indicator) -> str:
    """The verdict of the indicator page's headline for the range ending 2023-Q4 (open: the
    page reads "reporting in progress", the stored verdict is what moves)."""
    client.force_login(user)
    url = reverse("reporting:dashboard_indicator", args=[indicator.pk])
    response = client.get(url, {"to": "2023-Q4"})
    assert response.status_code == 200
    return response.context["detail"].headline.row.verdict


def test_target_edit_through_the_api_moves_the_dashboard_without_a_rebuild(
    achieved, users, client, rollup_row, by_code, django_capture_on_commit_callbacks
):
    assert _dashboard_status(client, users["steering"], achieved) == "achieved"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['hq']).key}")
    # when HQ raises the 2023 target to 400 through the API (std target 480, actual 120: 25 %)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/api/v1/indicators/{achieved.pk}/",
            {
                "targets": [
                    {"year": y, "value": "400" if y == 2023 else "20"} for y in range(2019, 2024)
                ]
            },
            format="json",
        )
    assert response.status_code == 200, response.content
    # then the stored row and the dashboard read off track, no rebuild having run
    row = rollup_row(achieved, by_code["2023-Q4"], "std")
    assert (row.target, row.progress) == (D("480"), D("0.25"))
    assert _dashboard_status(client, users["steering"], achieved) == "off_track"


def test_target_edit_through_the_admin_moves_the_dashboard_without_a_rebuild(
    achieved, users, client, rollup_row, by_code, django_capture_on_commit_callbacks
):
    hq = users["hq"]
    hq.is_staff = True
    hq.save()
    hq.user_permissions.set(Permission.objects.filter(content_type__app_label="deliverables"))
    client.force_login(hq)
    url = f"/admin/deliverables/indicator/{achieved.pk}/change/"
    data = _form_data(client.get(url))
    row = next(p for p in _target_rows(data) if data[f"{p}-year"] == "2023")
    data[f"{row}-value"] = "400"
    # when HQ saves the 2023 target of 400 in the admin
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    # then the dashboard has moved with it
    assert rollup_row(achieved, by_code["2023-Q4"], "std").target == D("480")
    assert _dashboard_status(client, users["steering"], achieved) == "off_track"


def test_removing_a_yearly_target_leaves_the_std_window_without_one(
    achieved, users, rollup_row, by_code, django_capture_on_commit_callbacks
):
    targets = [{"year": y, "value": D("20")} for y in (2019, 2020, 2022, 2023)]
    with django_capture_on_commit_callbacks(execute=True):
        deliverables.indicator_targets_set(user=users["hq"], indicator=achieved, targets=targets)
    row = rollup_row(achieved, by_code["2023-Q4"], "std")
    assert (row.target, row.status) == (None, Rollup.Status.NO_TARGET)
    # while the windows before the gap keep theirs
    assert rollup_row(achieved, by_code["2020-Q4"], "std").target == D("40")


def test_baseline_edit_moves_progress_without_a_rebuild(
    make_indicator,
    report,
    by_code,
    kenya,
    uganda,
    users,
    rollup_row,
    django_capture_on_commit_callbacks,
):
    # given a non-cumulative count (each office's latest value: 70 + 50) against 100 in 2023
    indicator = make_indicator(
        "number", cumulative=False, targets={2023: "100"}, offices=(kenya, uganda)
    )
    report(indicator, kenya, by_code["2022-Q2"], "70")
    report(indicator, uganda, by_code["2023-Q4"], "50")
    rollup_rebuild_full()
    before = rollup_row(indicator, by_code["2023-Q4"], "std")
    assert (before.actual, before.baseline, before.progress) == (D("120"), D("0"), D("1.2"))
    # when HQ sets a baseline of 40: progress is (120 − 40) / (100 − 40)
    with django_capture_on_commit_callbacks(execute=True):
        deliverables.indicator_update(
            user=users["hq"], indicator=indicator, data={"baseline_value": D("40")}
        )
    after = rollup_row(indicator, by_code["2023-Q4"], "std")
    assert (after.baseline, after.progress) == (D("40"), D("1.3333"))


def test_assignment_edits_move_the_region_target(
    make_indicator,
    report,
    by_code,
    kenya,
    uganda,
    nairobi,
    users,
    rollup_row,
    django_capture_on_commit_callbacks,
):
    # given a count whose Nairobi offices have targets of their own, Uganda's not assigned yet
    indicator = make_indicator(
        "number", office_targets={kenya: {2021: "30"}, uganda: {2021: "20"}}, offices=(kenya,)
    )
    report(indicator, kenya, by_code["2021-Q4"], "15")
    rollup_rebuild_full()
    q4 = by_code["2021-Q4"]
    assert rollup_row(indicator, q4, "ytd", region=nairobi).target == D("30")
    # when HQ assigns Uganda, the region's target is the sum of its offices' targets
    with django_capture_on_commit_callbacks(execute=True):
        assignment = deliverables.assignment_create(
            user=users["hq"], indicator=indicator, office=uganda
        )
    assert rollup_row(indicator, q4, "ytd", region=nairobi).target == D("50")
    # and when Uganda is unassigned again, it is Kenya's alone
    with django_capture_on_commit_callbacks(execute=True):
        deliverables.assignment_delete(user=users["hq"], assignment=assignment)
    assert not Assignment.objects.filter(office=uganda).exists()
    assert rollup_row(indicator, q4, "ytd", region=nairobi).target == D("30")


def test_changes_in_a_rolled_back_transaction_do_not_block_later_ones(
    achieved, users, rollup_row, by_code, django_capture_on_commit_callbacks
):
    from django.db import transaction

    targets = [{"year": y, "value": D("400")} for y in range(2019, 2024)]
    # given a target change whose transaction is rolled back
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                deliverables.indicator_targets_set(
                    user=users["hq"], indicator=achieved, targets=targets
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert rollup_row(achieved, by_code["2023-Q4"], "std").target == D("100")
    # when the same change is made again and commits, the roll-ups follow it
    with django_capture_on_commit_callbacks(execute=True):
        deliverables.indicator_targets_set(user=users["hq"], indicator=achieved, targets=targets)
    assert rollup_row(achieved, by_code["2023-Q4"], "std").target == D("2000")
