"""Authorisation across roles and scopes: every page, the API's operations and the Django admin
(issue 16, findings 1, 3 and 8).

The matrix is the whole contract: a role not listed for a page gets 403 (signed in) or the
sign-in page (anonymous); a change in who may see a page shows up here first.
"""

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offices.models import RoleAssignment
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.evidence import update_evidence_add
from reporting.services.periods import period_set_state
from tests.factories import UserFactory

Status = IndicatorUpdate.Status
Role = RoleAssignment.Role

ROLES = ["norole", "field", "reviewer", "reviewer_hq", "steering", "hq", "admin"]
EVERYONE = set(ROLES) - {"norole"}
HQ = {"hq", "admin"}
# page → the roles that get 200 (the others with a role: 403; anonymous: sign in)
PAGES = {
    "home": set(ROLES),
    "accounts:api_tokens": HQ,
    "accounts:audit_log": HQ,
    "reporting:my_reporting": {"field", "admin"},
    "reporting:excel": {"field", "admin"},
    "reporting:review_queue": {"reviewer", "reviewer_hq", "admin"},
    "reporting:periods": HQ,
    "reporting:exports": {"steering", *HQ},
    "reporting:completeness": EVERYONE,
    "reporting:dashboard": EVERYONE,
    "reporting:dashboard_regions": EVERYONE,
    "reporting:dashboard_markers": EVERYONE,
    "reporting:dashboard_sdg": EVERYONE,
    "reporting:dashboard_heatmap": EVERYONE,
    "plans:actions": EVERYONE,
    "plans:versions": EVERYONE,
    "plans:version_compare": EVERYONE,
    "plans:resources": EVERYONE,
    "plans:action_create": EVERYONE - {"steering"},
    "plans:human_resource_create": EVERYONE - {"steering"},
    "plans:financial_resource_create": EVERYONE - {"steering"},
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_answers_each_role_by_the_matrix(client_as, users, world, page):
    url = reverse(page)
    anonymous = client_as(None).get(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    for role in ROLES:
        expected = 200 if role in PAGES[page] else 403
        assert client_as(role).get(url).status_code == expected, (page, role)


# update (by world key) → who may open its page
UPDATE_PAGES = {
    "ke_draft": {"field", "hq", "admin"},  # drafts stay in their office (and with HQ)
    "ke_submitted": {"field", "reviewer", "steering", "hq", "admin"},
    "th_submitted": {"field_th", "reviewer_bkk", "steering", "hq", "admin"},
    "th_draft": {"field_th", "hq", "admin"},
}
SCOPED = ["norole", "field", "field_th", "reviewer", "reviewer_bkk", "reviewer_hq", "steering"]


@pytest.mark.parametrize("key", sorted(UPDATE_PAGES))
def test_an_updates_page_and_its_evidence_follow_its_office_and_status(
    client_as, users, world, key
):
    update = world[key]
    evidence = _evidence(update, users)
    for role in [*SCOPED, "hq", "admin"]:
        expected = 200 if role in UPDATE_PAGES[key] else 403
        client = client_as(role)
        page = client.get(reverse("reporting:update_detail", args=[update.pk]))
        assert page.status_code == expected, (key, role)
        download = client.get(reverse("reporting:evidence_download", args=[evidence.pk]))
        assert download.status_code == expected, (key, role)


def _evidence(update, users):
    """Attach a file to `update` as its office's field staff would (status kept as it was)."""
    status = update.status
    IndicatorUpdate.objects.filter(pk=update.pk).update(status=Status.DRAFT)
    author = users["field"] if update.office.code == "co-ke" else users["field_th"]
    evidence = update_evidence_add(
        user=author,
        update=update,
        file=SimpleUploadedFile("list.csv", b"name,sex\nA,f\n", content_type="text/csv"),
    )
    IndicatorUpdate.objects.filter(pk=update.pk).update(status=status)
    return evidence


def test_media_files_are_never_served_by_path_in_any_settings_mode(
    client_as, users, world, settings
):
    # finding 8: with DEBUG on, /media/ served evidence and exports to anyone
    evidence = _evidence(world["ke_draft"], users)
    path = "/" + settings.MEDIA_URL.lstrip("/") + evidence.file.name
    try:
        for debug in (True, False):
            settings.DEBUG = debug
            _reload_urls()
            for role in (None, "field_th", "field"):
                assert client_as(role).get(path).status_code in {302, 404}, (debug, role)
    finally:
        settings.DEBUG = False
        _reload_urls()
    # the permission-checked view serves it to its office
    response = client_as("field").get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"name,sex\nA,f\n"


def _reload_urls() -> None:
    """Build the URL configuration again under the current settings (as a fresh process)."""
    import importlib

    from django.urls import clear_url_caches

    import strategy_tracker.urls

    importlib.reload(strategy_tracker.urls)
    clear_url_caches()


# --- The API -----------------------------------------------------------------------------------

API_LISTS = [
    "strategies",
    "outcomes",
    "deliverables",
    "outputs",
    "markers",
    "sdg-targets",
    "indicators",
    "regions",
    "offices",
    "periods",
    "assignments",
    "updates",
    "rollups",
    "actions",
    "resources/human",
    "resources/financial",
    "delivery-plan-versions",
]


@pytest.mark.parametrize("resource", API_LISTS)
def test_every_api_list_needs_a_credential_and_a_role(client_for, world, resource):
    url = f"/api/v1/{resource}/"
    assert client_for(None).get(url).status_code == 401
    assert client_for("norole").get(url).status_code == 403
    for role in ("field", "reviewer", "steering", "hq"):
        assert client_for(role).get(url).status_code == 200, (resource, role)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("field", {"ke_draft", "ke_submitted", "ke_approved"}),
        ("reviewer", {"ke_submitted", "ke_approved", "ug_submitted"}),
        ("reviewer_bkk", {"th_submitted"}),
        ("steering", {"ke_submitted", "ke_approved", "ug_submitted", "th_submitted"}),
        ("hq", {"ke_draft", "ke_submitted", "ke_approved", "ug_submitted", "th_submitted",
                "th_draft"}),
    ],
)  # fmt: skip
def test_api_updates_follow_scope_for_lists_and_single_rows(client_for, world, role, visible):
    client = client_for(role)
    listed = {row["id"] for row in client.get("/api/v1/updates/?page_size=100").json()["results"]}
    keys = {k for k in world if k[:3] in {"ke_", "ug_", "th_"}}
    assert listed == {world[k].pk for k in visible}
    for key in keys:
        expected = 200 if key in visible else 404
        assert client.get(f"/api/v1/updates/{world[key].pk}/").status_code == expected


@pytest.mark.parametrize(
    ("role", "step", "expected"),
    [
        ("field", "approve", 403),
        ("reviewer_bkk", "approve", 404),
        ("steering", "approve", 403),
        ("reviewer", "submit", 403),
        ("steering", "return", 403),
        ("field_th", "reopen", 404),
    ],
)
def test_api_workflow_actions_are_refused_outside_the_callers_role_and_scope(
    client_for, world, role, step, expected
):
    update = world["ke_approved"] if step == "reopen" else world["ke_submitted"]
    body = {"version": update.version, "comment": "x", "reason": "x"}
    response = client_for(role).post(f"/api/v1/updates/{update.pk}/{step}/", body, format="json")
    assert response.status_code == expected, response.content
    update.refresh_from_db()
    assert update.status in {Status.SUBMITTED, Status.APPROVED}


def test_api_forbidden_workflow_action_is_403_before_any_field_is_checked(client_for, world):
    # finding 10: a missing `version` answered 400 before the missing right (403)
    update = world["th_submitted"]
    response = client_for("field").post(f"/api/v1/updates/{update.pk}/approve/", {}, format="json")
    assert response.status_code in {403, 404}
    foreign_reviewer = client_for("reviewer").post(
        f"/api/v1/updates/{world['th_submitted'].pk}/approve/", {}, format="json"
    )
    assert foreign_reviewer.status_code in {403, 404}
    in_scope_wrong_role = client_for("field").post(
        f"/api/v1/updates/{world['ke_submitted'].pk}/approve/", {}, format="json"
    )
    assert in_scope_wrong_role.status_code == 403, in_scope_wrong_role.content


@pytest.mark.parametrize("role", ["field", "reviewer", "steering"])
def test_api_framework_writes_are_for_hq_only(client_for, world, strategy, role):
    response = client_for(role).post(
        "/api/v1/regions/", {"code": "x", "city": "X", "name": "X"}, format="json"
    )
    assert response.status_code == 403


# --- The Django admin --------------------------------------------------------------------------


@pytest.fixture
def hq_staff(users):
    """`hq` in the Django admin as the demo sets it up: staff, with the HQ group's permissions
    on the framework and reporting apps."""
    hq = users["hq"]
    hq.is_staff = True
    hq.save()
    hq.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[
                "outcomes",
                "deliverables",
                "offices",
                "reporting",
                "plans",
            ]
        )
    )
    return hq


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _role_form(user, role=Role.ADMINISTRATOR) -> dict:
    return {"user": user.pk, "role": role, "office": "", "region": ""}


def test_admin_hq_cannot_grant_the_administrator_role(client, hq_staff, users):
    # finding 1: as hq, adding a role assignment with role administrator worked
    client.force_login(hq_staff)
    target = users["norole"]
    response = client.post("/admin/offices/roleassignment/add/", _role_form(target))
    assert response.status_code == 200  # the form again, with the reason
    assert (
        "Only a superuser may grant or revoke the administrator role." in response.content.decode()
    )
    assert not RoleAssignment.objects.filter(user=target, role=Role.ADMINISTRATOR).exists()
    # nor can they make themselves one, or turn an assignment into one
    own = RoleAssignment.objects.get(user=hq_staff, role=Role.HQ_MANAGER)
    client.post(f"/admin/offices/roleassignment/{own.pk}/change/", _role_form(hq_staff))
    assert not RoleAssignment.objects.filter(user=hq_staff, role=Role.ADMINISTRATOR).exists()


def test_admin_hq_cannot_change_or_revoke_an_administrators_role(client, hq_staff, users):
    client.force_login(hq_staff)
    admins = RoleAssignment.objects.get(user=users["admin"], role=Role.ADMINISTRATOR)
    change = client.post(
        f"/admin/offices/roleassignment/{admins.pk}/change/",
        _role_form(users["admin"], Role.STEERING),
    )
    delete = client.post(f"/admin/offices/roleassignment/{admins.pk}/delete/", {"post": "yes"})
    assert change.status_code == 403
    assert delete.status_code == 403
    admins.refresh_from_db()
    assert admins.role == Role.ADMINISTRATOR


def test_admin_hq_still_grants_the_other_roles(client, hq_staff, users):
    client.force_login(hq_staff)
    response = client.post(
        "/admin/offices/roleassignment/add/", _role_form(users["norole"], Role.STEERING)
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=users["norole"], role=Role.STEERING).exists()


def test_admin_a_superuser_grants_the_administrator_role(client, superuser, users):
    client.force_login(superuser)
    response = client.post("/admin/offices/roleassignment/add/", _role_form(users["norole"]))
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=users["norole"], role=Role.ADMINISTRATOR).exists()


def test_role_services_refuse_the_administrator_role_to_non_superusers(users):
    from django.core.exceptions import PermissionDenied

    from offices.services import role_assignment_save, role_grant

    with pytest.raises(PermissionDenied):
        role_grant(user=users["norole"], role=Role.ADMINISTRATOR, actor=users["hq"])
    with pytest.raises(PermissionDenied):
        role_assignment_save(
            assignment=RoleAssignment(user=users["norole"], role=Role.ADMINISTRATOR),
            actor=users["hq"],
        )
    assert not RoleAssignment.objects.filter(user=users["norole"]).exists()


def test_admin_cannot_change_an_approved_update_of_a_locked_period(
    client, hq_staff, superuser, users, kenya_approved
):
    # finding 3: as hq, an approved update of a locked period could be changed in the admin
    period_set_state(user=users["hq"], period=kenya_approved.period, state="locked")
    url = f"/admin/reporting/indicatorupdate/{kenya_approved.pk}/change/"
    before = IndicatorUpdate.objects.get(pk=kenya_approved.pk)
    for person in (hq_staff, superuser):
        client.force_login(person)
        page = client.get(url)
        assert page.status_code == 200  # read-only view
        assert 'name="value"' not in page.content.decode()
        response = client.post(url, {"value": "999999", "status": "draft", "version": "1"})
        assert response.status_code == 403
        # nor through the history's "revert" page
        record = before.history.order_by("-history_id").first()
        revert = client.post(
            f"/admin/reporting/indicatorupdate/{before.pk}/history/{record.history_id}/",
            {"value": "1"},
        )
        assert revert.status_code == 403
        delete = client.post(
            f"/admin/reporting/indicatorupdate/{before.pk}/delete/", {"post": "yes"}
        )
        assert delete.status_code == 403
    after = IndicatorUpdate.objects.get(pk=kenya_approved.pk)
    assert (after.value, after.status, after.version) == (
        before.value,
        before.status,
        before.version,
    )


def test_admin_period_state_changes_go_through_the_periods_service(client, hq_staff, period):
    client.force_login(hq_staff)
    direct = client.post(
        f"/admin/reporting/reportingperiod/{period.pk}/change/", {"state": "locked"}
    )
    assert direct.status_code == 403
    response = client.post(
        "/admin/reporting/reportingperiod/",
        {"action": "periods_lock", "_selected_action": [period.pk]},
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(pk=period.pk)
    assert period.state == "locked"
    assert period.history.order_by("-history_id").first().history_user == hq_staff


def test_admin_accounts_are_for_superusers_only(client, hq_staff, users):
    # even with every model permission, a non-superuser cannot make anyone superuser
    hq_staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(hq_staff)
    url = f"/admin/auth/user/{users['norole'].pk}/change/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"username": "norole", "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 403
    users["norole"].refresh_from_db()
    assert not users["norole"].is_superuser


def test_admin_is_closed_to_people_who_are_not_staff(client, users):
    client.force_login(users["hq"])  # a role, but not staff
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_every_registered_page_answers_hq_without_error(client, hq_staff, superuser, world):
    for person in (hq_staff, superuser):
        client.force_login(person)
        for model in django_admin.site._registry:
            meta = model._meta
            for suffix in ("", "add/"):
                response = client.get(f"/admin/{meta.app_label}/{meta.model_name}/{suffix}")
                assert response.status_code in {200, 302, 403}, (meta.label, suffix)


def test_admin_workflow_rows_are_read_only_for_everyone(hq_staff, superuser, rf):
    from offices.permissions import ADMIN_READ_ONLY_MODELS

    for person in (hq_staff, superuser):
        request = rf.get("/admin/")
        request.user = person
        for model, model_admin in django_admin.site._registry.items():
            if model._meta.label_lower in ADMIN_READ_ONLY_MODELS:
                assert not model_admin.has_add_permission(request), model
                assert not model_admin.has_change_permission(request), model
                assert not model_admin.has_delete_permission(request), model
