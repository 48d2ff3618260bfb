"""offices/permissions.py, the one home of "who may do what": every role and scope against every
rule, so a change to a rule shows here first."""

import pytest
from rest_framework.test import APIRequestFactory

from offices.models import Office
from offices.permissions import (
    ApiPermission,
    can_enter_for_office,
    can_export,
    can_manage_framework,
    can_read_dashboards,
    can_review_update,
    can_see_office_drafts,
    can_use_review_queue,
    can_view_update,
    offices_for_entry,
    offices_for_review,
    offices_visible,
    regions_visible,
    roles_for,
    updates_visible_q,
)
from reporting.models import IndicatorUpdate
from tests.factories import UpdateFactory

ROLES = ["field", "field_ug", "reviewer", "reviewer_bkk", "reviewer_hq", "steering", "hq", "admin",
         "norole"]  # fmt: skip

# rule: the answer for each role, in ROLES order (Kenya's update / office where one is needed)
YES_NO = {
    "can_read_dashboards": [1, 1, 1, 1, 1, 1, 1, 1, 0],
    "can_manage_framework": [0, 0, 0, 0, 0, 0, 1, 1, 0],
    "can_export": [0, 0, 0, 0, 0, 1, 1, 1, 0],
    "can_use_review_queue": [0, 0, 1, 1, 1, 0, 0, 1, 0],
    "can_enter_for_kenya": [1, 0, 0, 0, 0, 0, 0, 1, 0],
    "can_review_kenya_update": [0, 0, 1, 0, 0, 0, 0, 1, 0],
    "can_review_hq_update": [0, 0, 0, 0, 1, 0, 0, 1, 0],
    "can_view_kenya_draft": [1, 0, 0, 0, 0, 0, 1, 1, 0],
    "can_view_kenya_submitted": [1, 0, 1, 0, 0, 1, 1, 1, 0],
    "can_see_kenya_drafts": [1, 0, 0, 0, 0, 0, 1, 1, 0],
}


@pytest.fixture
def updates(kenya, hq_office, number_indicator, period):
    return {
        "draft": UpdateFactory(indicator=number_indicator, office=kenya, period=period),
        "submitted": UpdateFactory(
            indicator=number_indicator, office=kenya, period=period.__class__.objects.get(
                strategy=period.strategy, code="2023-Q3"
            ), status="submitted",
        ),
        "hq": UpdateFactory(
            indicator=number_indicator, office=hq_office, period=period, status="submitted"
        ),
    }  # fmt: skip


def _answer(rule, user, kenya, updates):
    return {
        "can_read_dashboards": lambda: can_read_dashboards(user),
        "can_manage_framework": lambda: can_manage_framework(user),
        "can_export": lambda: can_export(user),
        "can_use_review_queue": lambda: can_use_review_queue(user),
        "can_enter_for_kenya": lambda: can_enter_for_office(user, kenya),
        "can_review_kenya_update": lambda: can_review_update(user, updates["submitted"]),
        "can_review_hq_update": lambda: can_review_update(user, updates["hq"]),
        "can_view_kenya_draft": lambda: can_view_update(user, updates["draft"]),
        "can_view_kenya_submitted": lambda: can_view_update(user, updates["submitted"]),
        "can_see_kenya_drafts": lambda: can_see_office_drafts(user, kenya.pk),
    }[rule]()


@pytest.mark.parametrize(
    ("rule", "role", "expected"),
    [
        pytest.param(rule, role, bool(answer), id=f"{rule}-{role}")
        for rule, answers in YES_NO.items()
        for role, answer in zip(ROLES, answers, strict=True)
    ],
)
def test_permission_rule_by_role(users, kenya, updates, rule, role, expected):
    assert _answer(rule, users[role], kenya, updates) is expected


def test_permission_rules_refuse_anonymous_and_inactive(users, kenya, updates, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    inactive = users["admin"]
    inactive.is_active = False
    for user in (AnonymousUser(), inactive):
        assert not roles_for(user).roles
        assert not can_read_dashboards(user)
        assert not can_enter_for_office(user, kenya)
        assert not offices_visible(user).exists() or roles_for(user).sees_everything


@pytest.mark.parametrize(
    ("role", "visible", "entry", "review"),
    [
        ("field", {"Kenya"}, {"Kenya"}, set()),
        ("reviewer", {"Kenya", "Uganda", "Regional Office Nairobi"}, set(),
         {"Kenya", "Uganda", "Regional Office Nairobi"}),
        ("reviewer_bkk", {"Thailand", "Regional Office Bangkok"}, set(),
         {"Thailand", "Regional Office Bangkok"}),
        ("steering", "all", set(), set()),
        ("hq", "all", set(), set()),
        ("admin", "all", "all", "all"),
        ("norole", set(), set(), set()),
    ],
)  # fmt: skip
def test_permission_office_scopes(users, kenya, uganda, thailand, role, visible, entry, review):
    every = set(Office.objects.values_list("name", flat=True))
    user = users[role]

    def names(queryset):
        return set(queryset.values_list("name", flat=True))

    assert names(offices_visible(user)) == (every if visible == "all" else visible)
    assert names(offices_for_entry(user)) == (every if entry == "all" else entry)
    assert names(offices_for_review(user)) == (every if review == "all" else review)


def test_permission_updates_visible_keeps_drafts_inside_their_office(users, updates):
    def visible(role):
        rows = IndicatorUpdate.objects.filter(updates_visible_q(users[role]))
        return {u.pk for u in rows}

    draft, submitted, hq = updates["draft"].pk, updates["submitted"].pk, updates["hq"].pk
    assert visible("field") == {draft, submitted}
    assert visible("field_ug") == set()
    assert visible("reviewer") == {submitted}
    assert visible("reviewer_hq") == {hq}
    assert visible("steering") == {submitted, hq}
    assert visible("hq") == visible("admin") == {draft, submitted, hq}
    assert visible("norole") == set()


def test_permission_regions_visible(users, nairobi):
    assert list(regions_visible(users["reviewer"])) == [nairobi]
    assert regions_visible(users["field"]).count() == 0
    assert regions_visible(users["steering"]).count() == 9


@pytest.mark.parametrize(
    ("role", "method", "framework", "allowed"),
    [
        ("field", "GET", True, True),
        ("field", "POST", True, False),
        ("field", "POST", False, True),  # other endpoints check their rows in their services
        ("hq", "POST", True, True),
        ("steering", "PATCH", True, False),
        ("norole", "GET", False, False),
    ],
)
def test_permission_api_permission(users, role, method, framework, allowed):
    request = getattr(APIRequestFactory(), method.lower())("/api/v1/x/")
    request.user = users[role]
    view = type("View", (), {"framework_resource": framework})()
    assert ApiPermission().has_permission(request, view) is allowed
