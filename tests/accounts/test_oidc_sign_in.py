"""Sign-in through a real OpenID Connect provider (tests/oidc_provider/, started on
127.0.0.1): authorization code with PKCE, state and nonce, the accounts it creates or
matches, the roles a group claim pre-fills, and everything it must refuse."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from audit.models import AuditEvent
from offices.models import RoleAssignment
from offices.permissions import roles_for
from tests.factories import UserFactory, grant
from tests.oidc_provider.harness import callback_path

Role = RoleAssignment.Role
User = get_user_model()


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _last_failure() -> AuditEvent:
    return AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).first()


def test_oidc_authorization_request_uses_pkce_state_and_nonce(oidc, client):
    # when the tracker sends a person to the provider
    response = client.get("/oidc/authenticate/")
    # then it asks for a code with an S256 PKCE challenge, a state and a nonce
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    params = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{oidc.provider.issuer}/auth"
    assert params["response_type"] == ["code"]
    assert params["code_challenge_method"] == ["S256"]
    assert params["code_challenge"][0]
    assert params["state"][0] in client.session["oidc_states"]
    assert params["nonce"][0]
    assert params["redirect_uri"] == ["http://testserver/oidc/callback/"]


def test_oidc_first_sign_in_creates_the_user_without_a_role(oidc, client):
    # given a person known to the provider only
    oidc.provider.add_account(
        "amina", email="Amina.Yusuf@iom.example", given_name="Amina", family_name="Yusuf"
    )
    # when they sign in through it
    response = oidc.sign_in(client, "amina")
    # then they are signed in, as a new user without any role, on the page that says so
    assert response.status_code == 302
    assert response["Location"] == "/accounts/no-role/"
    assert _signed_in(client)
    user = User.objects.get(email__iexact="amina.yusuf@iom.example")
    assert (user.first_name, user.last_name) == ("Amina", "Yusuf")
    assert not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=user).exists()
    page = client.get("/accounts/no-role/")
    assert page.status_code == 200
    assert "You hold no role in the tracker yet" in page.content.decode()
    # and the sign-in and the new account are in the audit log
    actions = set(AuditEvent.objects.filter(target=user.username).values_list("action", flat=True))
    assert {AuditEvent.Action.USER_CREATED, AuditEvent.Action.SIGN_IN} <= actions
    sign_in = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN, actor=user)
    assert sign_in.details == {"method": "oidc"}


def test_oidc_no_role_page_names_whom_to_ask(oidc, client, settings):
    # given an HQ results manager and a contact address
    grant(UserFactory(username="jonas", first_name="Jonas", last_name="L"), Role.HQ_MANAGER)
    settings.ACCESS_REQUEST_CONTACT = "tracker-access@iom.example"
    oidc.provider.add_account("newcomer", email="newcomer@iom.example")
    # when a person without a role signs in
    oidc.sign_in(client, "newcomer")
    page = client.get("/accounts/no-role/").content.decode()
    # then the page tells them whom to ask
    assert "Jonas L" in page
    assert "jonas@example.org" in page
    assert "tracker-access@iom.example" in page


def test_oidc_existing_user_is_matched_by_verified_email(oidc, client, users):
    # given a person HQ already gave a role, with the same e-mail (another case) at the provider
    oidc.provider.add_account("field-idp", email="FIELD@example.org")
    count = User.objects.count()
    # when they sign in through the provider
    response = oidc.sign_in(client, "field-idp")
    # then it is their account, with their role: the home page
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == users["field"].pk
    assert User.objects.count() == count
    assert client.get("/").status_code == 200


def test_oidc_group_claim_maps_to_a_role_but_never_to_administrator(oidc, client, settings, db):
    # given a mapping of groups to roles, including one that tries administrator
    settings.OIDC_GROUP_ROLES = {"tracker-hq": "hq_manager", "tracker-admins": "administrator"}
    oidc.provider.add_account(
        "lina", email="lina@iom.example", groups=("tracker-hq", "tracker-admins", "other")
    )
    # when a person in those groups signs in for the first time
    response = oidc.sign_in(client, "lina")
    # then they are an HQ results manager, and nothing more
    user = User.objects.get(email="lina@iom.example")
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.HQ_MANAGER
    ]
    assert not user.is_superuser
    assert not roles_for(user).is_admin
    assert response["Location"] == "/"
    grant_event = AuditEvent.objects.get(
        action=AuditEvent.Action.ROLE_GRANTED, target=user.username
    )
    assert grant_event.details["source"] == "group claim tracker-hq"


def test_oidc_group_claim_with_an_office_scope(oidc, client, settings, kenya):
    settings.OIDC_GROUP_ROLES = {"tracker-ke": "field_staff@co-ke", "ghost": "field_staff@co-zz"}
    oidc.provider.add_account("otieno", email="otieno@iom.example", groups=("tracker-ke", "ghost"))
    oidc.sign_in(client, "otieno")
    user = User.objects.get(email="otieno@iom.example")
    assert roles_for(user).field_office_ids == {kenya.pk}


def test_oidc_wrong_state_is_refused(oidc, client):
    # given a person at the provider and a sign-in under way
    oidc.provider.add_account("sam", email="sam@iom.example")
    start = client.get("/oidc/authenticate/")
    back = oidc.provider.sign_in(start["Location"], "sam")
    # when the callback comes back with a state the tracker did not send (e.g. CSRF)
    tampered = back.replace("state=", "state=forged")
    response = client.get(callback_path(tampered))
    # then nobody is signed in, no account is created, and the failure is audited
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not _signed_in(client)
    assert not User.objects.filter(email="sam@iom.example").exists()
    assert _last_failure().details == {"method": "oidc", "reason": "unknown state"}


def test_oidc_callback_without_a_started_sign_in_is_refused(oidc, client):
    oidc.provider.add_account("sam", email="sam@iom.example")
    back = oidc.provider.sign_in(client.get("/oidc/authenticate/")["Location"], "sam")
    response = Client().get(callback_path(back))  # another browser: no state in its session
    assert response.status_code == 302
    assert not User.objects.filter(email="sam@iom.example").exists()


def test_oidc_replayed_code_is_refused_by_the_provider(oidc, client):
    # given a completed sign-in, and the state the tracker had stored for it
    oidc.provider.add_account("ria", email="ria@iom.example")
    start = client.get("/oidc/authenticate/")
    stored_states = client.session["oidc_states"]
    back = oidc.provider.sign_in(start["Location"], "ria")
    assert client.get(callback_path(back))["Location"] == "/accounts/no-role/"
    client.logout()
    # when the same code is presented again, with its state put back (so only the code is old)
    session = client.session
    session["oidc_states"] = stored_states
    session.save()
    response = client.get(callback_path(back))
    # then the provider refuses the code and nobody is signed in
    assert response["Location"] == "/accounts/login/"
    assert not _signed_in(client)
    failure = _last_failure()
    assert failure.details["reason"].startswith("token endpoint refused")
    assert "invalid_grant" in failure.details["reason"]


def test_oidc_unverified_email_is_refused(oidc, client, users):
    # given a provider account whose e-mail (an existing person's) is not verified
    oidc.provider.add_account("mallory", email="hq@example.org", email_verified=False)
    # when it signs in
    response = oidc.sign_in(client, "mallory")
    # then it is refused: it would otherwise take over the HQ manager's account
    assert response["Location"] == "/accounts/login/"
    assert not _signed_in(client)
    assert _last_failure().details["reason"] == "e-mail hq@example.org is not verified"
    assert User.objects.filter(email__iexact="hq@example.org").count() == 1


def test_oidc_expired_id_token_is_refused(oidc, client, monkeypatch):
    # given a sign-in under way at the provider
    oidc.provider.add_account("late", email="late@iom.example")
    back = oidc.provider.sign_in(client.get("/oidc/authenticate/")["Location"], "late")
    # when the ID token the provider issues (valid an hour) is checked two hours later
    import accounts.oidc

    real = accounts.oidc.clock
    monkeypatch.setattr(accounts.oidc, "clock", lambda: real() + 7200)
    response = client.get(callback_path(back))
    # then it is refused
    assert response["Location"] == "/accounts/login/"
    assert not _signed_in(client)
    assert _last_failure().details["reason"] == "ID token expired"


def test_oidc_provider_error_is_refused(oidc, client):
    start = client.get("/oidc/authenticate/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(f"/oidc/callback/?error=access_denied&state={state}")
    assert response["Location"] == "/accounts/login/"
    assert _last_failure().details["reason"] == "provider error: access_denied"


def test_oidc_deactivated_tracker_account_is_refused(oidc, client, users):
    users["steering"].is_active = False
    users["steering"].save()
    oidc.provider.add_account("steer", email="steering@example.org")
    response = oidc.sign_in(client, "steer")
    assert response["Location"] == "/accounts/login/"
    assert not _signed_in(client)


def test_oidc_discovery_is_fetched_once(oidc, client, monkeypatch):
    # given a counter on the HTTP requests for the discovery document
    calls = []
    real_get = requests.get

    def counting_get(url, *args, **kwargs):
        if url.endswith("/.well-known/openid-configuration"):
            calls.append(url)
        return real_get(url, *args, **kwargs)

    monkeypatch.setattr(requests, "get", counting_get)
    oidc.provider.add_account("once", email="once@iom.example")
    # when people start and complete sign-ins
    oidc.sign_in(client, "once")
    oidc.sign_in(Client(), "once")
    # then the document was fetched once
    assert calls == [f"{oidc.provider.issuer}/.well-known/openid-configuration"]


def test_oidc_off_the_endpoints_are_not_found_and_the_login_page_has_no_button(client, db):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    page = client.get("/accounts/login/").content.decode()
    assert "/oidc/authenticate/" not in page
    assert 'name="password"' in page


def test_oidc_login_page_offers_the_provider_and_keeps_next(oidc, client):
    page = client.get("/accounts/login/?next=/reporting/").content.decode()
    assert "Sign in with Test IdP" in page
    assert "/oidc/authenticate/?next=/reporting/" in page
    assert 'name="password"' in page  # LOCAL_LOGIN is on by default


@pytest.mark.parametrize("next_url", ["/plans/", "https://evil.example/"])
def test_oidc_sign_in_returns_to_a_safe_next_page_only(oidc, client, users, next_url):
    oidc.provider.add_account("nx", email="steering@example.org")
    start = client.get(f"/oidc/authenticate/?next={next_url}")
    response = client.get(callback_path(oidc.provider.sign_in(start["Location"], "nx")))
    assert response["Location"] == (next_url if next_url.startswith("/") else "/")


def test_oidc_refused_sign_ins_do_not_lock_out_the_provider_sign_in(oidc, client, settings):
    # given more refused provider sign-ins from one address than the password lockout allows
    oidc.provider.add_account("unverified", email="u@iom.example", email_verified=False)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        assert oidc.sign_in(Client(), "unverified")["Location"] == "/accounts/login/"
    # then another person behind the same address still signs in through the provider
    oidc.provider.add_account("ok", email="ok@iom.example")
    assert oidc.sign_in(client, "ok")["Location"] == "/accounts/no-role/"


def test_oidc_email_verified_claim_is_configurable(oidc, client, settings):
    # given a provider whose verification claim has another name: ours is then missing
    settings.OIDC_EMAIL_VERIFIED_CLAIM = "xms_edov"
    oidc.provider.add_account("edov", email="edov@iom.example")
    # then the e-mail does not count as verified, and the sign-in is refused
    assert oidc.sign_in(client, "edov")["Location"] == "/accounts/login/"
    assert _last_failure().details["reason"] == "e-mail edov@iom.example is not verified"
