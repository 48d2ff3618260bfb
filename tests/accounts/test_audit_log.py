"""The audit log: role changes (service and Django admin), sign-ins, and the page HQ reads."""

from audit.models import AuditEvent
from offices.models import RoleAssignment
from offices.services import role_grant, role_revoke
from tests.factories import UserFactory

Role = RoleAssignment.Role


def test_audit_role_grant_is_recorded_once(users, kenya):
    person = UserFactory(username="newbie")
    role_grant(user=person, role=Role.FIELD_STAFF, office=kenya, actor=users["hq"])
    role_grant(user=person, role=Role.FIELD_STAFF, office=kenya, actor=users["hq"])  # no change
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_GRANTED, target="newbie")
    assert events.count() == 1
    assert events[0].actor == users["hq"]
    assert events[0].details == {
        "user": "newbie",
        "role": "field_staff",
        "office": "co-ke",
        "region": None,
    }


def test_audit_role_revoke_is_recorded(users):
    assignment = RoleAssignment.objects.get(user=users["steering"])
    role_revoke(assignment=assignment, actor=users["admin"])
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REVOKED)
    assert (event.actor, event.target, event.details["role"]) == (
        users["admin"],
        "steering",
        "steering",
    )


def test_audit_role_changes_in_the_django_admin_are_recorded(client, users, kenya, uganda):
    # given a superuser in the Django admin
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    person = UserFactory(username="moved")
    # when they add a role, change its office, then delete it
    base = "/admin/offices/roleassignment/"
    client.post(f"{base}add/", {"user": person.pk, "role": "field_staff", "office": kenya.pk})
    assignment = RoleAssignment.objects.get(user=person)
    client.post(
        f"{base}{assignment.pk}/change/",
        {"user": person.pk, "role": "field_staff", "office": uganda.pk},
    )
    client.post(f"{base}{assignment.pk}/delete/", {"post": "yes"})
    # then each change is in the log, by that superuser
    events = list(
        AuditEvent.objects.filter(target="moved").order_by("id").values_list("action", "actor")
    )
    assert events == [
        (AuditEvent.Action.ROLE_GRANTED, admin.pk),
        (AuditEvent.Action.ROLE_CHANGED, admin.pk),
        (AuditEvent.Action.ROLE_REVOKED, admin.pk),
    ]
    changed = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGED)
    assert (changed.details["before"]["office"], changed.details["office"]) == ("co-ke", "co-ug")


def test_audit_sign_in_is_recorded_with_the_address(client, users):
    client.post("/accounts/login/", {"username": "field", "password": "pass"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert (event.actor, event.details, event.ip_address) == (
        users["field"],
        {"method": "password"},
        "127.0.0.1",
    )


def test_audit_log_page_is_for_hq_only(client, users):
    for name, status in [("hq", 200), ("admin", 200), ("steering", 403), ("reviewer", 403)]:
        client.force_login(users[name])
        assert client.get("/accounts/audit/").status_code == status, name


def test_audit_log_page_lists_and_filters(client, users):
    client.post("/accounts/login/", {"username": "field", "password": "wrong"})
    client.force_login(users["hq"])
    page = client.get("/accounts/audit/").content.decode()
    assert "Sign-in failed" in page
    assert "Role granted" in page
    only_failures = client.get("/accounts/audit/?action=sign_in_failed").context["page"]
    assert {e.action for e in only_failures} == {AuditEvent.Action.SIGN_IN_FAILED}
    by_person = client.get("/accounts/audit/?who=reviewer_bkk").context["page"]
    assert by_person.object_list
    assert all("reviewer_bkk" in (e.target + e.actor_label) for e in by_person)


def test_audit_log_is_in_the_hq_navigation(client, users):
    client.force_login(users["hq"])
    page = client.get("/").content.decode()
    assert 'href="/accounts/audit/"' in page
    assert 'href="/accounts/api-tokens/"' in page
    client.force_login(users["field"])
    assert 'href="/accounts/audit/"' not in client.get("/").content.decode()
