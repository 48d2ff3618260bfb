"""Overdue actions: open (planned, in progress, delayed) and past their due date."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from plans.filters import ActionFilter
from plans.models import Action
from plans.selectors import (
    action_is_overdue,
    action_list,
    action_overdue_q,
    action_status_summary,
    actions_overdue,
)
from tests.factories import DeliverableFactory, OutcomeFactory, StrategyFactory

pytestmark = pytest.mark.django_db
Status = Action.Status


@pytest.fixture
def plan(make_action, today):
    """One action per case, keyed by a name saying why it is (not) overdue."""
    yesterday = today - dt.timedelta(days=1)
    long_ago = today - dt.timedelta(days=400)
    start = today - dt.timedelta(days=500)
    return {
        "late_planned": make_action(
            title="Late planned", status=Status.PLANNED, start_date=start, due_date=yesterday
        ),
        "late_in_progress": make_action(
            title="Late in progress", start_date=start, due_date=long_ago
        ),
        "late_delayed": make_action(
            title="Late delayed", status=Status.DELAYED, start_date=start, due_date=yesterday
        ),
        "done": make_action(
            title="Done late", status=Status.DONE, start_date=start, due_date=long_ago
        ),
        "dropped": make_action(
            title="Dropped", status=Status.DROPPED, start_date=start, due_date=long_ago
        ),
        "due_today": make_action(title="Due today", start_date=start, due_date=today),
        "future": make_action(title="Future"),
    }


def test_actions_overdue_lists_open_actions_past_due_longest_first(strategy, plan, today):
    overdue = actions_overdue(strategy=strategy, today=today)

    assert list(overdue) == [plan["late_in_progress"], plan["late_delayed"], plan["late_planned"]]


def test_actions_overdue_follows_the_given_day(strategy, plan, today):
    overdue = actions_overdue(strategy=strategy, today=today + dt.timedelta(days=1))

    assert plan["due_today"] in overdue
    assert plan["future"] not in overdue


def test_actions_overdue_leaves_out_other_strategies(strategy, make_action, today):
    other = StrategyFactory(code="next", start_year=2024, end_year=2030)
    foreign = DeliverableFactory(outcome=OutcomeFactory(strategy=other, code="a"))
    make_action(
        strategy=other,
        deliverable=foreign,
        due_date=today - dt.timedelta(days=3),
        start_date=today - dt.timedelta(days=9),
    )

    assert not actions_overdue(strategy=strategy, today=today).exists()


def test_overdue_include_lists_actions_with_links(strategy, plan, today):
    html = render_to_string(
        "plans/_overdue_actions.html",
        {"overdue_actions": actions_overdue(strategy=strategy, today=today)},
    )

    assert "Overdue actions" in html
    assert reverse("plans:action_detail", args=[plan["late_planned"].pk]) in html
    assert "Late delayed" in html
    assert "Done late" not in html
    assert f"{reverse('plans:actions')}?overdue=true" in html


def test_overdue_include_says_when_nothing_is_overdue(strategy):
    html = render_to_string("plans/_overdue_actions.html", {"overdue_actions": []})

    assert "No action is overdue." in html


def test_actions_page_overdue_filter_and_badges(client, users, plan):
    client.force_login(users["steering"])

    page = client.get(reverse("plans:actions"), {"overdue": "true"})

    titles = [a.title for a in page.context["page"]]
    assert sorted(titles) == ["Late delayed", "Late in progress", "Late planned"]
    # the lateness is said in words, not only in colour
    assert page.content.decode().count(">Overdue</span>") == 3


def test_actions_page_counts_by_status_and_lateness(client, users, plan):
    client.force_login(users["steering"])

    summary = client.get(reverse("plans:actions")).context["summary"]

    rows = {row["status"]: row for row in summary["rows"]}
    assert rows["in_progress"]["overdue"] == 1
    assert rows["in_progress"]["due_soon"] == 1  # due today
    assert rows["in_progress"]["on_schedule"] == 1  # due in 90 days
    assert rows["planned"]["overdue"] == 1
    assert rows["delayed"]["overdue"] == 1
    assert rows["done"]["closed"] == 1
    assert rows["dropped"]["closed"] == 1
    assert summary["totals"]["total"] == 7
    assert summary["totals"]["overdue"] == 3


def test_actions_api_flags_and_filters_overdue(api, users, plan):
    response = api(users["steering"]).get("/api/v1/actions/", {"overdue": "true"})

    results = response.json()["results"]
    assert {r["title"] for r in results} == {"Late planned", "Late in progress", "Late delayed"}
    assert all(r["is_overdue"] for r in results)
    not_overdue = api(users["steering"]).get("/api/v1/actions/", {"overdue": "false"}).json()
    assert not any(r["is_overdue"] for r in not_overdue["results"])
    assert not_overdue["count"] == 4


# --- The rule, and every place that applies it ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "days_late", "overdue"),
    [
        (Status.PLANNED, 1, True),
        (Status.IN_PROGRESS, 1, True),
        (Status.DELAYED, 1, True),
        (Status.IN_PROGRESS, 0, False),  # due today: not yet
        (Status.PLANNED, -1, False),
        (Status.DONE, 1, False),  # done is never overdue
        (Status.DONE, 400, False),
        (Status.DROPPED, 1, False),
    ],
)
def test_action_overdue_rule_for_one_row_and_for_querysets(
    make_action, today, status, days_late, overdue
):
    due = today - dt.timedelta(days=days_late)
    action = make_action(status=status, start_date=due - dt.timedelta(days=10), due_date=due)

    assert action_is_overdue(action=action, today=today) is overdue
    assert Action.objects.filter(action_overdue_q(today=today), pk=action.pk).exists() is overdue


def test_overdue_rule_agrees_in_selector_filter_summary_and_api(
    api, users, strategy, make_action, today
):
    start = today - dt.timedelta(days=30)
    actions = [
        make_action(
            title=f"{status} {days_late}",
            status=status,
            start_date=start,
            due_date=today - dt.timedelta(days=days_late),
        )
        for status in Status.values
        for days_late in (1, 0, -1)
    ]
    by_rule = {a.pk for a in actions if action_is_overdue(action=a, today=today)}

    by_q = set(Action.objects.filter(action_overdue_q(today=today)).values_list("pk", flat=True))
    by_selector = {a.pk for a in actions_overdue(strategy=strategy, today=today)}
    by_annotation = {a.pk for a in action_list(strategy=strategy, today=today) if a.is_overdue}
    by_filter = {a.pk for a in ActionFilter({"overdue": "true"}, today=today).qs}
    not_by_filter = {a.pk for a in ActionFilter({"overdue": "false"}, today=today).qs}
    summary = action_status_summary(actions=Action.objects.all(), today=today)
    client = api(users["steering"])
    listed = client.get("/api/v1/actions/").json()["results"]
    by_api_field = {row["id"] for row in listed if row["is_overdue"]}
    by_api_filter = {
        row["id"] for row in client.get("/api/v1/actions/", {"overdue": "true"}).json()["results"]
    }

    open_and_due_yesterday = {"planned 1", "in_progress 1", "delayed 1"}
    assert {a.title for a in actions if a.pk in by_rule} == open_and_due_yesterday
    assert by_q == by_selector == by_annotation == by_filter == by_api_field == by_api_filter
    assert by_q == by_rule
    assert not_by_filter == {a.pk for a in actions} - by_rule
    assert summary["totals"]["overdue"] == len(by_rule)
    assert len(listed) == len(actions)
