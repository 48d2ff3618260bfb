"""The delivery plan's list, filters and API fields."""

import pytest
from django.urls import reverse

from plans.models import Action

pytestmark = pytest.mark.django_db


def test_actions_page_filters_by_status_office_and_result(
    client, users, make_action, deliverable_bi, output_a, kenya, thailand, hq_office
):
    make_action(title="Kenya A.i", office=kenya)
    make_action(title="Thailand B.i", office=thailand, deliverable=deliverable_bi)
    make_action(title="HQ output", office=hq_office, output=output_a, status=Action.Status.DONE)
    client.force_login(users["field"])

    def titles(**query) -> list[str]:
        page = client.get(reverse("plans:actions"), query)
        assert page.status_code == 200
        return sorted(a.title for a in page.context["page"])

    assert titles() == ["HQ output", "Kenya A.i", "Thailand B.i"]
    assert titles(status="done") == ["HQ output"]
    assert titles(status=["done", "in_progress"]) == ["HQ output", "Kenya A.i", "Thailand B.i"]
    assert titles(office=thailand.pk) == ["Thailand B.i"]
    assert titles(outcome=deliverable_bi.outcome_id) == ["Thailand B.i"]
    assert titles(output=output_a.pk) == ["HQ output"]
    assert titles(region=thailand.region_id) == ["Thailand B.i"]
    assert titles(q="kenya") == ["Kenya A.i"]


def test_actions_page_chart_data_matches_table(client, users, make_action):
    make_action(status=Action.Status.DONE)
    make_action()
    client.force_login(users["field"])

    page = client.get(reverse("plans:actions"))

    chart = page.context["chart"]
    assert chart["labels"] == ["Planned", "In progress", "Done", "Delayed", "Dropped"]
    data = {d["key"]: d["data"] for d in chart["datasets"]}
    assert data["closed"] == [0, 0, 1, 0, 0]
    assert data["on_schedule"] == [0, 1, 0, 0, 0]
    content = page.content.decode()
    assert 'id="status-chart-data"' in content
    assert "<table" in content


def test_actions_api_lists_fields(api, users, make_action, kenya):
    action = make_action(lead="Priya Nair")

    body = api(users["steering"]).get(f"/api/v1/actions/{action.pk}/").json()

    assert body["result_code"] == "A.i"
    assert body["deliverable"] == action.deliverable_id
    assert body["output"] is None
    assert body["office"] == kenya.pk
    assert body["office_name"] == "Kenya"
    assert body["region"] == kenya.region_id
    assert body["lead"] == "Priya Nair"
    assert body["strategy"] == action.strategy_id
    assert body["status"] == "in_progress"
    assert body["is_overdue"] is False


def test_actions_api_create_derives_strategy(api, users, deliverable_ai, kenya, strategy):
    fields = {
        "deliverable": deliverable_ai.pk,
        "title": "T",
        "expected_results": "E",
        "office": kenya.pk,
        "start_date": "2021-01-01",
        "due_date": "2021-06-30",
    }
    # a strategy of the client's choosing is refused (read-only), not silently ignored
    refused = api(users["field"]).post(
        "/api/v1/actions/", {**fields, "strategy": 999}, format="json"
    )
    assert refused.status_code == 400
    assert "strategy" in refused.json()["errors"]

    response = api(users["field"]).post("/api/v1/actions/", fields, format="json")

    assert response.status_code == 201
    assert response.json()["strategy"] == strategy.pk
    assert Action.objects.get().strategy == strategy


def test_actions_api_filters(api, users, make_action, thailand):
    make_action(title="Kenya")
    make_action(title="Thailand", office=thailand, status=Action.Status.DELAYED)
    client = api(users["hq"])

    by_status = client.get("/api/v1/actions/", {"status": "delayed"}).json()
    by_office = client.get("/api/v1/actions/", {"office": thailand.pk}).json()
    bad = client.get("/api/v1/actions/", {"status": "nonsense"})

    assert [a["title"] for a in by_status["results"]] == ["Thailand"]
    assert [a["title"] for a in by_office["results"]] == ["Thailand"]
    assert bad.status_code == 400


def test_action_detail_shows_history(client, users, make_action):
    action = make_action(title="With history")
    client.force_login(users["field"])
    client.post(
        reverse("plans:action_edit", args=[action.pk]),
        {
            "result": f"d:{action.deliverable_id}",
            "title": "With history",
            "expected_results": "E",
            "office": action.office_id,
            "start_date": action.start_date.isoformat(),
            "due_date": action.due_date.isoformat(),
            "status": "done",
        },
    )

    page = client.get(reverse("plans:action_detail", args=[action.pk]))

    assert page.status_code == 200
    assert page.context["history"][0].history_user == users["field"]
