"""Who may read and edit the plans, by role and scope, on the pages and in the API.

Kenya and Uganda are in the Nairobi region, Thailand in Bangkok's. `users` (tests/conftest.py):
field (Kenya), field_ug (Uganda), field_th (Thailand), reviewer (Nairobi), reviewer_bkk
(Bangkok), reviewer_hq (headquarters), steering, hq, admin, norole.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Action, FinancialResource, HumanResource

pytestmark = pytest.mark.django_db

ROLES = [
    "field",
    "field_ug",
    "field_th",
    "reviewer",
    "reviewer_bkk",
    "reviewer_hq",
    "steering",
    "hq",
    "admin",
]
# Who may edit the plans of the Kenya country office.
KENYA_EDITORS = {"field", "reviewer", "hq", "admin"}
# Who may edit anything at all (and so sees the "add" pages).
EDITORS = {
    "field",
    "field_ug",
    "field_th",
    "reviewer",
    "reviewer_bkk",
    "reviewer_hq",
    "hq",
    "admin",
}


def _action_payload(deliverable, office, **extra) -> dict:
    return {
        "deliverable": deliverable.pk,
        "title": "Train border officials",
        "expected_results": "Officials apply a rights-based approach.",
        "office": office.pk,
        "start_date": "2022-01-01",
        "due_date": "2022-12-31",
        "status": "planned",
        **extra,
    }


def _action_form(deliverable, office, **extra) -> dict:
    return {
        "result": f"d:{deliverable.pk}",
        "title": "Train border officials",
        "expected_results": "Officials apply a rights-based approach.",
        "office": office.pk,
        "lead": "",
        "start_date": "2022-01-01",
        "due_date": "2022-12-31",
        "status": "planned",
        "progress_notes": "",
        **extra,
    }


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", ["plans:actions", "plans:versions", "plans:resources"])
def test_plan_pages_readable_by_every_role(client, users, make_action, role, url_name):
    make_action()
    client.force_login(users[role])

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["plans:actions", "plans:versions", "plans:resources"])
def test_plan_pages_refused_without_a_role(client, users, url_name):
    client.force_login(users["norole"])

    assert client.get(reverse(url_name)).status_code == 403


def test_plan_pages_send_anonymous_visitors_to_login(client, strategy):
    response = client.get(reverse("plans:actions"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_action_detail_readable_by_steering_without_edit_link(client, users, make_action):
    action = make_action(title="Visible to all")
    client.force_login(users["steering"])

    page = client.get(reverse("plans:action_detail", args=[action.pk]))

    assert page.status_code == 200
    assert reverse("plans:action_edit", args=[action.pk]).encode() not in page.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url", ["/api/v1/actions/", "/api/v1/resources/", "/api/v1/resources/human/"]
)
def test_plans_api_readable_by_every_role(api, users, make_action, role, url):
    make_action()

    assert api(users[role]).get(url).status_code == 200


def test_plans_api_refused_without_a_role(api, client, users, strategy):
    assert api(users["norole"]).get("/api/v1/actions/").status_code == 403
    assert api(users["norole"]).get("/api/v1/resources/financial/").status_code == 403
    assert client.get("/api/v1/actions/").status_code in (401, 403)


# --- Creating --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "norole"])
def test_action_create_page_offered_to_editors_only(client, users, strategy, role):
    client.force_login(users[role])

    response = client.get(reverse("plans:action_create"))

    assert response.status_code == (200 if role in EDITORS else 403)


@pytest.mark.parametrize("role", [*ROLES, "norole"])
def test_action_create_page_saves_only_in_scope(client, users, deliverable_ai, kenya, role):
    client.force_login(users[role])

    response = client.post(reverse("plans:action_create"), _action_form(deliverable_ai, kenya))

    if role in KENYA_EDITORS:
        assert response.status_code == 302
        assert Action.objects.get().office == kenya
    elif role in EDITORS:
        # Kenya is not among the offices the form offers this user.
        assert response.status_code == 200
        assert response.context["form"].errors["office"]
        assert not Action.objects.exists()
    else:
        assert response.status_code == 403
        assert not Action.objects.exists()


def test_action_create_form_offers_only_offices_in_scope(
    client, users, strategy, kenya, uganda, thailand
):
    client.force_login(users["reviewer"])

    form = client.get(reverse("plans:action_create")).context["form"]

    offered = set(form.fields["office"].queryset)
    assert {kenya, uganda} <= offered
    assert thailand not in offered


@pytest.mark.parametrize("role", [*ROLES, "norole"])
def test_actions_api_create_only_in_scope(api, users, deliverable_ai, kenya, role):
    response = api(users[role]).post(
        "/api/v1/actions/", _action_payload(deliverable_ai, kenya), format="json"
    )

    if role in KENYA_EDITORS:
        assert response.status_code == 201, response.json()
        assert Action.objects.get().office == kenya
    else:
        assert response.status_code == 403
        assert not Action.objects.exists()


# --- Editing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "norole"])
def test_action_edit_page_only_in_scope(client, users, make_action, deliverable_ai, kenya, role):
    action = make_action(office=kenya, title="Before")
    client.force_login(users[role])
    url = reverse("plans:action_edit", args=[action.pk])

    shown = client.get(url)
    saved = client.post(url, _action_form(deliverable_ai, kenya, title="After"))

    action.refresh_from_db()
    if role in KENYA_EDITORS:
        assert shown.status_code == 200
        assert saved.status_code == 302
        assert action.title == "After"
    else:
        assert shown.status_code == 403
        assert saved.status_code == 403
        assert action.title == "Before"


@pytest.mark.parametrize("role", [*ROLES, "norole"])
def test_actions_api_update_and_delete_only_in_scope(api, users, make_action, kenya, role):
    action = make_action(office=kenya, title="Before")
    client = api(users[role])

    patched = client.patch(f"/api/v1/actions/{action.pk}/", {"title": "After"}, format="json")

    action.refresh_from_db()
    if role in KENYA_EDITORS:
        assert patched.status_code == 200
        assert action.title == "After"
        assert client.delete(f"/api/v1/actions/{action.pk}/").status_code == 204
        assert not Action.objects.exists()
    else:
        assert patched.status_code == 403
        assert action.title == "Before"
        assert client.delete(f"/api/v1/actions/{action.pk}/").status_code == 403
        assert Action.objects.exists()


def test_actions_api_refuses_moving_an_action_out_of_scope(api, users, make_action, thailand):
    action = make_action()

    response = api(users["field"]).patch(
        f"/api/v1/actions/{action.pk}/", {"office": thailand.pk}, format="json"
    )

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.office.name == "Kenya"


def test_headquarters_reviewer_edits_headquarters_actions(
    api, users, make_action, output_a, hq_office, kenya
):
    hq_action = make_action(output=output_a, office=hq_office)
    kenya_action = make_action(office=kenya)
    client = api(users["reviewer_hq"])

    assert (
        client.patch(f"/api/v1/actions/{hq_action.pk}/", {"lead": "Li Wei"}, format="json")
    ).status_code == 200
    assert (
        client.patch(f"/api/v1/actions/{kenya_action.pk}/", {"lead": "Li Wei"}, format="json")
    ).status_code == 403


def test_actions_list_shows_edit_links_only_in_scope(client, users, make_action, kenya, thailand):
    kenya_action = make_action(office=kenya)
    thai_action = make_action(office=thailand)
    client.force_login(users["field_th"])

    content = client.get(reverse("plans:actions")).content.decode()

    assert reverse("plans:action_edit", args=[thai_action.pk]) in content
    assert reverse("plans:action_edit", args=[kenya_action.pk]) not in content


# --- Resources -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "norole"])
def test_human_resource_edit_only_in_scope(client, api, users, make_human, role):
    resource = make_human()
    url = reverse("plans:human_resource_edit", args=[resource.pk])
    client.force_login(users[role])

    page = client.get(url)
    patched = api(users[role]).patch(
        f"/api/v1/resources/human/{resource.pk}/", {"fte_actual": "0.5"}, format="json"
    )

    resource.refresh_from_db()
    if role in KENYA_EDITORS:
        assert page.status_code == 200
        assert patched.status_code == 200
        assert resource.fte_actual == Decimal("0.5")
    else:
        assert page.status_code == 403
        assert patched.status_code == 403
        assert resource.fte_actual == Decimal("1")


@pytest.mark.parametrize("role", [*ROLES, "norole"])
def test_financial_resource_create_only_in_scope(api, users, deliverable_ai, kenya, role):
    payload = {
        "deliverable": deliverable_ai.pk,
        "year": 2021,
        "source": "earmarked",
        "office": kenya.pk,
        "amount_planned": "1000.00",
    }

    response = api(users[role]).post("/api/v1/resources/financial/", payload, format="json")

    expected = 201 if role in KENYA_EDITORS else 403
    assert response.status_code == expected
    assert FinancialResource.objects.exists() == (role in KENYA_EDITORS)


@pytest.mark.parametrize("role", ["field", "reviewer", "reviewer_hq", "hq", "admin"])
def test_global_financial_allocations_are_hq_only(api, users, deliverable_ai, role):
    payload = {
        "deliverable": deliverable_ai.pk,
        "year": 2021,
        "source": "unearmarked",
        "office": None,
        "amount_planned": "1000.00",
    }

    response = api(users[role]).post("/api/v1/resources/financial/", payload, format="json")

    assert response.status_code == (201 if role in {"hq", "admin"} else 403)


def test_global_financial_allocation_page_explains_refusal(client, users, deliverable_ai):
    client.force_login(users["field"])

    response = client.post(
        reverse("plans:financial_resource_create"),
        {
            "result": f"d:{deliverable_ai.pk}",
            "year": 2021,
            "source": "unearmarked",
            "office": "",
            "amount_planned": "10",
            "amount_mobilized": "0",
            "amount_spent": "0",
        },
    )

    assert response.status_code == 200
    assert "Only HQ results managers" in response.context["form"].errors["office"][0]
    assert not FinancialResource.objects.exists()


@pytest.mark.parametrize("role", ["steering", "norole"])
def test_resource_create_pages_refused_to_readers(client, users, strategy, role):
    client.force_login(users[role])

    assert client.get(reverse("plans:human_resource_create")).status_code == 403
    assert client.get(reverse("plans:financial_resource_create")).status_code == 403


def test_reviewer_edits_resources_of_offices_in_region(api, users, make_human, uganda, thailand):
    uganda_row = make_human(office=uganda, year=2020)
    thai_row = make_human(office=thailand, year=2020)
    client = api(users["reviewer"])

    ok = client.patch(f"/api/v1/resources/human/{uganda_row.pk}/", {"notes": "x"}, format="json")
    refused = client.patch(f"/api/v1/resources/human/{thai_row.pk}/", {"notes": "x"}, format="json")

    assert ok.status_code == 200
    assert refused.status_code == 403
    assert HumanResource.objects.get(pk=thai_row.pk).notes == ""
