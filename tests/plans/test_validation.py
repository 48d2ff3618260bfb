"""Bad input gets a clear error on the field concerned, and nothing is saved: in the services,
the web forms and the API alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from plans.models import Action, FinancialResource, HumanResource
from plans.services import action_create, action_update, allocation_create
from tests.factories import DeliverableFactory, OutcomeFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def _action_kwargs(deliverable, office, **extra) -> dict:
    return {
        "deliverable": deliverable,
        "title": "Train border officials",
        "expected_results": "Officials apply a rights-based approach.",
        "office": office,
        "start_date": dt.date(2022, 6, 1),
        "due_date": dt.date(2022, 12, 31),
        **extra,
    }


# --- Actions ---------------------------------------------------------------------------------


def test_action_create_rejects_due_date_before_start(users, deliverable_ai, kenya):
    with pytest.raises(ValidationError) as caught:
        action_create(
            user=users["field"],
            **_action_kwargs(deliverable_ai, kenya, due_date=dt.date(2022, 5, 31)),
        )

    assert caught.value.message_dict == {
        "due_date": ["The due date must be on or after the start date."]
    }
    assert not Action.objects.exists()


def test_action_create_accepts_due_date_on_start_date(users, deliverable_ai, kenya):
    action = action_create(
        user=users["field"],
        **_action_kwargs(deliverable_ai, kenya, due_date=dt.date(2022, 6, 1)),
    )

    assert action.strategy == deliverable_ai.outcome.strategy
    assert action.status == Action.Status.PLANNED


def test_action_create_needs_exactly_one_result(users, deliverable_ai, output_a, kenya):
    with pytest.raises(ValidationError) as neither:
        action_create(user=users["hq"], **_action_kwargs(None, kenya))
    with pytest.raises(ValidationError) as both:
        action_create(user=users["hq"], **_action_kwargs(deliverable_ai, kenya, output=output_a))

    assert "deliverable" in neither.value.message_dict
    assert both.value.message_dict["output"] == [
        "Choose a deliverable or an institutional output, not both."
    ]
    assert not Action.objects.exists()


def test_action_update_cannot_move_to_another_strategy(users, make_action):
    other = StrategyFactory(code="next", start_year=2024, end_year=2030)
    foreign = DeliverableFactory(outcome=OutcomeFactory(strategy=other, code="a"))
    action = make_action()

    with pytest.raises(ValidationError) as caught:
        action_update(action=action, user=users["hq"], data={"deliverable": foreign})

    assert "deliverable" in caught.value.message_dict
    action.refresh_from_db()
    assert action.deliverable.outcome.strategy != other


def test_action_database_refuses_due_date_before_start(make_action):
    with pytest.raises(IntegrityError):
        make_action(start_date=dt.date(2022, 6, 1), due_date=dt.date(2022, 1, 1))


def test_action_form_shows_field_error_keeps_input_and_saves_nothing(
    client, users, deliverable_ai, kenya
):
    client.force_login(users["field"])

    response = client.post(
        reverse("plans:action_create"),
        {
            "result": f"d:{deliverable_ai.pk}",
            "title": "My carefully typed title",
            "expected_results": "Something",
            "office": kenya.pk,
            "start_date": "2022-06-01",
            "due_date": "2022-01-15",
            "status": "planned",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["due_date"] == ["The due date must be on or after the start date."]
    content = response.content.decode()
    assert "Nothing was saved" in content
    assert 'value="My carefully typed title"' in content
    assert 'value="2022-01-15"' in content
    assert "is-invalid" in content
    assert not Action.objects.exists()


def test_action_form_reports_missing_fields(client, users):
    client.force_login(users["hq"])

    response = client.post(reverse("plans:action_create"), {"title": ""})

    errors = response.context["form"].errors
    assert {"result", "title", "expected_results", "office", "start_date", "due_date"} <= set(
        errors
    )
    assert not Action.objects.exists()


def test_action_edit_form_with_bad_dates_leaves_action_unchanged(
    client, users, make_action, deliverable_ai, kenya
):
    action = make_action(title="Kept")
    client.force_login(users["field"])

    response = client.post(
        reverse("plans:action_edit", args=[action.pk]),
        {
            "result": f"d:{deliverable_ai.pk}",
            "title": "Changed",
            "expected_results": "x",
            "office": kenya.pk,
            "start_date": "2023-01-01",
            "due_date": "2022-01-01",
            "status": "done",
        },
    )

    assert response.status_code == 200
    assert "due_date" in response.context["form"].errors
    action.refresh_from_db()
    assert action.title == "Kept"


def test_actions_api_returns_400_with_field_errors(api, users, deliverable_ai, output_a, kenya):
    client = api(users["field"])
    base = {
        "deliverable": deliverable_ai.pk,
        "title": "T",
        "expected_results": "E",
        "office": kenya.pk,
        "start_date": "2022-06-01",
        "due_date": "2022-12-31",
    }

    late = client.post("/api/v1/actions/", {**base, "due_date": "2022-01-01"}, format="json")
    both = client.post("/api/v1/actions/", {**base, "output": output_a.pk}, format="json")
    neither = client.post("/api/v1/actions/", {**base, "deliverable": None}, format="json")
    bad_status = client.post("/api/v1/actions/", {**base, "status": "finished"}, format="json")
    bad_date = client.post("/api/v1/actions/", {**base, "due_date": "31/12/2022"}, format="json")

    assert late.status_code == 400
    assert late.json()["errors"] == {
        "due_date": ["The due date must be on or after the start date."]
    }
    assert both.status_code == 400
    assert "output" in both.json()["errors"]
    assert neither.status_code == 400
    assert "deliverable" in neither.json()["errors"]
    assert bad_status.status_code == 400
    assert "status" in bad_status.json()["errors"]
    assert bad_date.status_code == 400
    assert "due_date" in bad_date.json()["errors"]
    assert not Action.objects.exists()


def test_actions_api_patch_checks_dates_against_stored_values(api, users, make_action):
    action = make_action(start_date=dt.date(2022, 6, 1), due_date=dt.date(2022, 12, 31))

    response = api(users["field"]).patch(
        f"/api/v1/actions/{action.pk}/", {"due_date": "2022-05-01"}, format="json"
    )

    assert response.status_code == 400
    assert "due_date" in response.json()["errors"]
    action.refresh_from_db()
    assert action.due_date == dt.date(2022, 12, 31)


def test_actions_api_patch_to_output_clears_deliverable(api, users, make_action, output_a):
    action = make_action()

    response = api(users["hq"]).patch(
        f"/api/v1/actions/{action.pk}/", {"output": output_a.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["result_code"] == "O.a"
    action.refresh_from_db()
    assert action.deliverable is None


# --- Resources -------------------------------------------------------------------------------


def test_financial_resource_create_rejects_negative_amounts(users, deliverable_ai, kenya):
    with pytest.raises(ValidationError) as caught:
        allocation_create(
            model=FinancialResource,
            user=users["field"],
            data={
                "deliverable": deliverable_ai,
                "year": 2021,
                "source": "earmarked",
                "office": kenya,
                "amount_planned": Decimal("-1"),
                "amount_spent": Decimal("-0.01"),
            },
        )

    assert set(caught.value.message_dict) == {"amount_planned", "amount_spent"}
    assert "negative" in caught.value.message_dict["amount_planned"][0]
    assert not FinancialResource.objects.exists()


def test_financial_resource_database_refuses_negative_amounts(make_financial):
    with pytest.raises(IntegrityError):
        make_financial(amount_mobilized=Decimal("-5"))


def test_human_resource_database_refuses_negative_fte(make_human):
    with pytest.raises(IntegrityError):
        make_human(fte_planned=Decimal("-0.5"))


def test_financial_resource_form_shows_error_and_saves_nothing(
    client, users, deliverable_ai, kenya
):
    client.force_login(users["field"])

    response = client.post(
        reverse("plans:financial_resource_create"),
        {
            "result": f"d:{deliverable_ai.pk}",
            "year": 2021,
            "source": "earmarked",
            "office": kenya.pk,
            "amount_planned": "-2500",
            "amount_mobilized": "0",
            "amount_spent": "0",
            "notes": "typed notes",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["amount_planned"] == [
        "Must be zero or more; negative values are not allowed."
    ]
    assert 'value="-2500"' in response.content.decode()
    assert "typed notes" in response.content.decode()
    assert not FinancialResource.objects.exists()


def test_human_resource_form_rejects_negative_fte(client, users, deliverable_ai, kenya):
    client.force_login(users["field"])

    response = client.post(
        reverse("plans:human_resource_create"),
        {
            "result": f"d:{deliverable_ai.pk}",
            "year": 2021,
            "office": kenya.pk,
            "fte_planned": "-1",
            "fte_actual": "0",
        },
    )

    assert response.status_code == 200
    assert "fte_planned" in response.context["form"].errors
    assert not HumanResource.objects.exists()


def test_resources_api_returns_400_with_field_errors(api, users, deliverable_ai, kenya):
    client = api(users["field"])
    base = {
        "deliverable": deliverable_ai.pk,
        "year": 2021,
        "source": "earmarked",
        "office": kenya.pk,
        "amount_planned": "100",
    }

    negative = client.post(
        "/api/v1/resources/financial/", {**base, "amount_mobilized": "-1"}, format="json"
    )
    outside = client.post("/api/v1/resources/financial/", {**base, "year": 2030}, format="json")
    bad_source = client.post(
        "/api/v1/resources/financial/", {**base, "source": "lottery"}, format="json"
    )
    negative_fte = client.post(
        "/api/v1/resources/human/",
        {"deliverable": deliverable_ai.pk, "year": 2021, "office": kenya.pk, "fte_planned": "-1"},
        format="json",
    )

    assert negative.status_code == 400
    assert "amount_mobilized" in negative.json()["errors"]
    assert outside.status_code == 400
    assert outside.json()["errors"] == {"year": ["Choose a year of the strategy (2019–2023)."]}
    assert bad_source.status_code == 400
    assert "source" in bad_source.json()["errors"]
    assert negative_fte.status_code == 400
    assert "fte_planned" in negative_fte.json()["errors"]
    assert not FinancialResource.objects.exists()
    assert not HumanResource.objects.exists()


def test_resources_api_refuses_a_duplicate_allocation(api, users, deliverable_ai, kenya):
    client = api(users["field"])
    payload = {
        "deliverable": deliverable_ai.pk,
        "year": 2021,
        "source": "earmarked",
        "office": kenya.pk,
        "amount_planned": "100",
    }
    assert client.post("/api/v1/resources/financial/", payload, format="json").status_code == 201

    again = client.post("/api/v1/resources/financial/", payload, format="json")

    assert again.status_code == 400
    assert "already an allocation" in again.json()["errors"]["non_field_errors"][0]
    assert FinancialResource.objects.count() == 1


def test_human_resource_duplicate_shown_on_form(client, users, make_human, deliverable_ai, kenya):
    make_human(year=2021, office=kenya)
    client.force_login(users["field"])

    response = client.post(
        reverse("plans:human_resource_create"),
        {
            "result": f"d:{deliverable_ai.pk}",
            "year": 2021,
            "office": kenya.pk,
            "fte_planned": "1",
            "fte_actual": "0",
        },
    )

    assert response.status_code == 200
    assert "already has an allocation" in response.context["form"].non_field_errors()[0]
    assert HumanResource.objects.count() == 1
