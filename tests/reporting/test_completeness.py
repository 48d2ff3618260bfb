"""Reporting completeness: states and lateness against hand-built cases, drafts hidden from
those who may not see them, scope per role, the page's filters, and a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import IndicatorUpdate
from reporting.selectors.completeness import completeness_matrix
from tests.factories import OfficeFactory, UpdateFactory, assign

# 2023-Q3 ends on 30 September; its deadline is 30 October 2023.
BEFORE_DEADLINE = dt.date(2023, 10, 15)
AFTER_DEADLINE = dt.date(2023, 11, 15)


@pytest.fixture
def q3(periods):
    period = next(p for p in periods if p.code == "2023-Q3")
    assert period.deadline == dt.date(2023, 10, 30)
    return period


@pytest.fixture
def two_indicators(number_indicator, percentage_indicator, users):
    """Both indicators are assigned to Kenya, Uganda and Thailand."""
    return [number_indicator, percentage_indicator]


def _update(indicator, office, period, status, submitted_at=None):
    values = {"value": Decimal("10")}
    if indicator.measure == "percentage":
        values = {"value": Decimal("50"), "numerator": Decimal("1"), "denominator": Decimal("2")}
    if submitted_at is None and status != "draft":
        submitted_at = dt.datetime(2023, 10, 20, 9, 0, tzinfo=dt.UTC)  # on time
    return UpdateFactory(
        indicator=indicator,
        office=office,
        period=period,
        status=status,
        submitted_at=submitted_at,
        **values,
    )


def _cell(user, period, office, today=BEFORE_DEADLINE):
    matrix = completeness_matrix(user=user, periods=[period], today=today)
    row = next(r for r in matrix.rows if r.office == office)
    return row.cells[0]


@pytest.mark.parametrize(
    ("statuses", "state", "counts"),
    [
        ((), "not_started", (2, 0, 0, 0, 0)),
        (("draft",), "draft", (1, 1, 0, 0, 0)),
        (("draft", "draft"), "draft", (0, 2, 0, 0, 0)),
        (("draft", "submitted"), "partial", (0, 1, 1, 0, 0)),
        (("approved",), "partial", (1, 0, 0, 1, 0)),
        (("submitted", "submitted"), "submitted", (0, 0, 2, 0, 0)),
        (("submitted", "approved"), "submitted", (0, 0, 1, 1, 0)),
        (("approved", "approved"), "approved", (0, 0, 0, 2, 0)),
        (("returned", "approved"), "returned", (0, 0, 0, 1, 1)),
        (("returned",), "returned", (1, 0, 0, 0, 1)),
    ],
)
def test_completeness_states_against_hand_built_cases(
    users, kenya, q3, two_indicators, statuses, state, counts
):
    # given Kenya's updates for its two indicators in 2023-Q3
    for indicator, status in zip(two_indicators, statuses, strict=False):
        _update(indicator, kenya, q3, status)
    # when an HQ results manager (who sees drafts) looks before the deadline
    cell = _cell(users["hq"], q3, kenya)
    # then the counts and the overall state are as worked out by hand
    assert (cell.not_started, cell.draft, cell.submitted, cell.approved, cell.returned) == counts
    assert cell.assigned == 2
    assert cell.state == state
    assert cell.late is False


def test_completeness_nothing_submitted_after_deadline_is_late(users, kenya, q3, two_indicators):
    assert _cell(users["hq"], q3, kenya, today=BEFORE_DEADLINE).late is False
    cell = _cell(users["hq"], q3, kenya, today=AFTER_DEADLINE)
    assert (cell.state, cell.late) == ("not_started", True)


def test_completeness_submitted_on_time_is_not_late(users, kenya, q3, two_indicators):
    for indicator in two_indicators:
        _update(indicator, kenya, q3, "submitted")
    cell = _cell(users["hq"], q3, kenya, today=AFTER_DEADLINE)
    assert (cell.state, cell.late, cell.late_submissions) == ("submitted", False, 0)


def test_completeness_submission_after_deadline_is_late(users, kenya, q3, two_indicators):
    # given one update submitted on the deadline day (on time) and one the day after
    number, percentage = two_indicators
    _update(number, kenya, q3, "approved", dt.datetime(2023, 10, 30, 23, 0, tzinfo=dt.UTC))
    _update(percentage, kenya, q3, "approved", dt.datetime(2023, 10, 31, 8, 0, tzinfo=dt.UTC))
    # then the office-period is approved, but late, with one late submission
    cell = _cell(users["hq"], q3, kenya, today=AFTER_DEADLINE)
    assert (cell.state, cell.late, cell.late_submissions) == ("approved", True, 1)


def test_completeness_partly_submitted_after_deadline_is_late(users, kenya, q3, two_indicators):
    # given one of two indicators submitted on time and the other never
    _update(two_indicators[0], kenya, q3, "submitted")
    # then before the deadline it is merely partial, after it, late
    assert _cell(users["hq"], q3, kenya, today=BEFORE_DEADLINE).late is False
    cell = _cell(users["hq"], q3, kenya, today=AFTER_DEADLINE)
    assert (cell.state, cell.late) == ("partial", True)


@pytest.mark.parametrize(
    ("viewer", "sees_draft"),
    [
        ("field", True),  # Kenya's own field staff
        ("hq", True),
        ("admin", True),
        ("steering", False),
        ("reviewer", False),
    ],
)
def test_completeness_drafts_hidden_from_those_who_may_not_see_them(
    users, kenya, q3, two_indicators, viewer, sees_draft
):
    # given a draft in Kenya
    _update(two_indicators[0], kenya, q3, "draft")
    # when each viewer looks
    cell = _cell(users[viewer], q3, kenya)
    # then only those who may see Kenya's drafts learn there is one
    if sees_draft:
        assert (cell.draft, cell.not_started, cell.state) == (1, 1, "draft")
    else:
        assert (cell.draft, cell.not_started, cell.state) == (0, 2, "not_started")
        assert cell.drafts_hidden


@pytest.mark.parametrize(
    ("viewer", "offices"),
    [
        ("field", ["Kenya"]),
        ("field_th", ["Thailand"]),
        ("reviewer", ["Kenya", "Uganda"]),
        ("reviewer_bkk", ["Thailand"]),
        ("reviewer_hq", []),  # headquarters has no indicator assigned here
        ("steering", ["Thailand", "Kenya", "Uganda"]),
        ("hq", ["Thailand", "Kenya", "Uganda"]),
    ],
)
def test_completeness_offices_in_scope(users, q3, two_indicators, viewer, offices):
    matrix = completeness_matrix(user=users[viewer], periods=[q3], today=BEFORE_DEADLINE)
    assert [row.office.name for row in matrix.rows] == offices


def test_completeness_matrix_runs_four_queries_whatever_the_size(
    users, periods, two_indicators, nairobi, django_assert_num_queries
):
    # given 8 periods, and the matrix read once on the small world
    recent = periods[-8:]
    with django_assert_num_queries(4):
        small = completeness_matrix(user=users["steering"], periods=recent)
    # when 10 more offices and 160 updates are added
    for i in range(10):
        office = OfficeFactory(region=nairobi, iso_code=f"Q{chr(65 + i)}")
        assign(two_indicators[0], office)
        assign(two_indicators[1], office)
        IndicatorUpdate.objects.bulk_create(
            IndicatorUpdate(
                indicator=two_indicators[0],
                office=office,
                period=p,
                measure="number",
                status="approved",
                value=Decimal(1),
            )
            for p in recent
        )
    # then the matrix still takes four queries (roles, offices, assignments, grouped updates)
    users["steering"].refresh_from_db()
    fresh = type(users["steering"]).objects.get(pk=users["steering"].pk)
    with django_assert_num_queries(4):
        large = completeness_matrix(user=fresh, periods=recent)
    assert (len(small.rows), len(large.rows)) == (3, 13)
    assert large.totals["approved"] == 80


# --- The page --------------------------------------------------------------------------------


def _page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reporting:completeness"), params)


def test_completeness_page_badges_late_flag_and_legend(client, users, kenya, q3, two_indicators):
    # given Kenya approved one indicator late; Uganda nothing (deadline long passed)
    _update(two_indicators[0], kenya, q3, "approved", dt.datetime(2023, 11, 3, tzinfo=dt.UTC))
    _update(two_indicators[1], kenya, q3, "approved")
    # when the Nairobi reviewer opens the page for 2023-Q3
    response = _page(client, users["reviewer"], **{"from": "2023-Q3", "to": "2023-Q3"})
    html = response.content.decode()
    # then each cell carries its state as text and late as an icon and text
    assert response.status_code == 200
    assert '<span class="badge update-approved">Approved</span>' in html
    assert '<span class="badge update-not_started">Not started</span>' in html
    late_badge = '<span class="badge bg-dark late-flag"><svg class="late-icon" aria-hidden="true"'
    assert html.count(late_badge) == 2  # Kenya (approved late) and Uganda (nothing, overdue)
    assert html.count("</svg> Late</span>") == 3  # the two cells and the legend
    assert "Legend" in html
    assert "Other offices' drafts are not shown" in html
    assert "2 approved, 0 submitted, 0 returned of 2" in html
    # and the Nairobi reviewer sees no Bangkok office
    assert "Thailand" not in html
    assert [r.office.name for r in response.context["matrix"].rows] == ["Kenya", "Uganda"]


def test_completeness_page_field_staff_see_their_drafts(client, users, kenya, q3, two_indicators):
    _update(two_indicators[0], kenya, q3, "draft")
    response = _page(client, users["field"], **{"from": "2023-Q3", "to": "2023-Q3"})
    html = response.content.decode()
    assert '<span class="badge update-draft">Draft</span>' in html
    assert "Other offices' drafts are not shown" not in html


def test_completeness_page_filters_region_and_period_range(client, users, q3, two_indicators):
    response = _page(
        client, users["steering"], region="bangkok", **{"from": "2023-Q1", "to": "2023-Q3"}
    )
    matrix = response.context["matrix"]
    assert [r.office.name for r in matrix.rows] == ["Thailand"]
    assert [p.code for p in matrix.periods] == ["2023-Q1", "2023-Q2", "2023-Q3"]


def test_completeness_page_defaults_to_last_four_periods(client, users, periods, two_indicators):
    response = _page(client, users["steering"])
    codes = [p.code for p in response.context["matrix"].periods]
    assert codes == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]


def test_completeness_page_region_outside_scope_shows_nothing_more(
    client, users, periods, two_indicators
):
    response = _page(client, users["reviewer"], region="bangkok")
    assert [r.office.name for r in response.context["matrix"].rows] == ["Kenya", "Uganda"]
    assert "You have no offices in that region" in response.content.decode()


def test_completeness_page_needs_login_and_a_role(client, users, periods):
    assert client.get(reverse("reporting:completeness")).status_code == 302
    assert _page(client, users["norole"]).status_code == 403


def test_pages_without_periods_say_so(client, users):
    # given a loaded strategy whose periods have not been created yet
    for name in ("reporting:completeness", "reporting:dashboard"):
        response = _page(client, users["steering"]) if "compl" in name else None
        if response is None:
            client.force_login(users["steering"])
            response = client.get(reverse(name))
        # then the page explains, rather than failing
        assert response.status_code == 200
        assert "No reporting periods yet" in response.content.decode()
