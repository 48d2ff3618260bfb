"""Sessions opened through the real test provider are re-checked there: a person disabled or
removed at the provider loses access; without a refresh token the session is short. Also
LOCAL_LOGIN=false, sign-out at the provider, and the idle limit."""

import pytest
from django.test import Client
from django.utils.html import escape

import accounts.oidc
from accounts.oidc import SESSION_RECHECK_AT, SESSION_REFRESH_TOKEN
from audit.models import AuditEvent
from tests.factories import UserFactory

MAX_AGE = 3600  # OIDC_SESSION_MAX_AGE by default


@pytest.fixture
def later(monkeypatch):
    """later(seconds): move the tracker's clock forward (the provider keeps real time)."""
    real = accounts.oidc.clock
    offset = [0.0]
    monkeypatch.setattr(accounts.oidc, "clock", lambda: real() + offset[0])

    def move(seconds: float) -> None:
        offset[0] = seconds

    return move


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_oidc_session_is_refreshed_while_the_person_is_active_at_the_provider(
    oidc, client, users, later
):
    # given a person with a role signed in through the provider (which gave a refresh token)
    oidc.provider.add_account("stee", email="steering@example.org")
    assert oidc.sign_in(client, "stee")["Location"] == "/"
    first_refresh_token = client.session[SESSION_REFRESH_TOKEN]
    assert first_refresh_token
    # when the re-check is due (the access token has expired)
    later(MAX_AGE + 5)
    response = client.get("/")
    # then the refresh at the provider succeeds and the session goes on, re-checked later
    assert response.status_code == 200
    assert _signed_in(client)
    assert client.session[SESSION_RECHECK_AT] > accounts.oidc.clock() + MAX_AGE - 60


@pytest.mark.parametrize("how", ["disable", "delete"])
def test_oidc_person_disabled_at_the_provider_loses_access(oidc, client, users, later, how):
    # given a person signed in through the provider
    oidc.provider.add_account("stee", email="steering@example.org")
    oidc.sign_in(client, "stee")
    assert client.get("/").status_code == 200
    # when IT disables (or removes) them at the provider, and the re-check comes due
    getattr(oidc.provider, f"{how}_account")("stee")
    assert client.get("/").status_code == 200  # not due yet
    later(MAX_AGE + 5)
    response = client.get("/reporting/dashboard/")
    # then the provider refuses the refresh and the tracker signs them out
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not _signed_in(client)
    ended = AuditEvent.objects.get(action=AuditEvent.Action.SESSION_ENDED)
    assert ended.target == "steering"
    assert ended.details == {"reason": "provider"}


def test_oidc_without_refresh_token_the_session_ends_at_the_token_lifetime(
    oidc_no_refresh, client, users, later
):
    # given a provider that gives no refresh token, and an access token valid 10 minutes
    oidc_no_refresh.provider.set_lifetimes(oidc_no_refresh.client_id, access_token=600)
    oidc_no_refresh.provider.add_account("stee", email="steering@example.org")
    oidc_no_refresh.sign_in(client, "stee")
    assert SESSION_REFRESH_TOKEN not in client.session
    # then the session lasts as long as the token, and no longer
    later(590)
    assert client.get("/").status_code == 200
    later(610)
    response = client.get("/")
    assert response.status_code == 302
    assert not _signed_in(client)


def test_oidc_without_refresh_token_a_long_token_is_capped_by_the_session_age(
    oidc_no_refresh, client, users, later, settings
):
    settings.OIDC_SESSION_MAX_AGE = 300
    oidc_no_refresh.provider.add_account("stee", email="steering@example.org")
    oidc_no_refresh.sign_in(client, "stee")  # the access token is valid an hour
    later(290)
    assert client.get("/").status_code == 200
    later(310)
    assert client.get("/").status_code == 302
    assert not _signed_in(client)


def test_oidc_api_request_after_the_session_ended_is_401(oidc, client, users, later):
    oidc.provider.add_account("stee", email="steering@example.org")
    oidc.sign_in(client, "stee")
    assert client.get("/api/v1/indicators/").status_code == 200
    oidc.provider.disable_account("stee")
    later(MAX_AGE + 5)
    assert client.get("/api/v1/indicators/").status_code == 401


def test_oidc_sign_out_ends_the_provider_session_too(oidc, client, users):
    # given a person signed in through the provider
    oidc.provider.add_account("stee", email="steering@example.org")
    oidc.sign_in(client, "stee")
    id_token = client.session["oidc_id_token"]
    # when they sign out
    response = client.post("/accounts/logout/")
    # then they are signed out here and sent on to the provider's end-session endpoint (by a
    # page that moves on, since the CSP's form-action forbids a cross-site redirect)
    assert not _signed_in(client)
    assert response.status_code == 200
    location = response.context["provider_url"]
    assert f'content="0;url={escape(location)}"' in response.content.decode()
    assert location.startswith(f"{oidc.provider.issuer}/session/end?")
    assert f"id_token_hint={id_token}" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Faccounts%2Flogin%2F" in location
    redirect_uri = "http://testserver/oidc/callback/"
    assert oidc.provider.has_session(
        oidc.browser, client_id=oidc.client_id, redirect_uri=redirect_uri
    )
    # and when the browser follows it and confirms, the provider ends its session too
    back = oidc.provider.end_session(location, oidc.browser)
    assert back == "http://testserver/accounts/login/"
    assert not oidc.provider.has_session(
        oidc.browser, client_id=oidc.client_id, redirect_uri=redirect_uri
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT).exists()


def test_password_session_sign_out_stays_in_the_tracker(oidc, client, users):
    client.post("/accounts/login/", {"username": "field", "password": "pass"})
    response = client.post("/accounts/logout/")
    assert response["Location"] == "http://testserver/accounts/login/"


def test_sign_out_is_post_only(client, users):
    client.force_login(users["field"])
    assert client.get("/accounts/logout/").status_code == 405
    assert _signed_in(client)


# --- LOCAL_LOGIN=false --------------------------------------------------------------------------


def test_local_login_off_refuses_a_password_except_for_a_superuser(oidc, client, users, settings):
    # given password sign-in turned off
    settings.LOCAL_LOGIN = False
    UserFactory(username="breakglass", is_superuser=True, is_staff=True)
    # then the login page offers only the provider's button
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Test IdP" in page
    assert 'name="password"' not in page
    # and a person's right password is refused, saying why
    response = client.post("/accounts/login/", {"username": "hq", "password": "pass"})
    assert response.status_code == 200
    assert "Password sign-in is turned off" in response.content.decode()
    assert not _signed_in(client)
    # and so is the API's username/password token endpoint
    token = client.post(
        "/api/v1/auth/token/",
        {"username": "hq", "password": "pass"},
        content_type="application/json",
    )
    assert token.status_code == 400
    # but the break-glass superuser still gets in with a password
    response = client.post("/accounts/login/", {"username": "breakglass", "password": "pass"})
    assert response.status_code == 302
    assert _signed_in(client)


def test_local_login_off_ends_existing_password_sessions_of_others(client, users, settings):
    client.post("/accounts/login/", {"username": "field", "password": "pass"})
    assert client.get("/").status_code == 200
    settings.LOCAL_LOGIN = False
    assert client.get("/").status_code == 302  # the password session no longer counts


def test_local_login_off_admin_login_refuses_staff_but_not_a_superuser(client, users, settings):
    settings.LOCAL_LOGIN = False
    users["hq"].is_staff = True
    users["hq"].save()
    UserFactory(username="breakglass", is_superuser=True, is_staff=True)
    refused = client.post("/admin/login/", {"username": "hq", "password": "pass"})
    assert refused.status_code == 200
    assert not _signed_in(client)
    client.post("/admin/login/", {"username": "breakglass", "password": "pass"})
    assert _signed_in(client)


def test_failed_password_sign_in_is_audited(client, users):
    client.post("/accounts/login/", {"username": "field", "password": "wrong"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert (event.actor, event.actor_label, event.details) == (
        None,
        "field",
        {"method": "password"},
    )


# --- Idle limit ----------------------------------------------------------------------------------


def test_idle_session_is_signed_out(client, users, settings, later):
    settings.SESSION_IDLE_TIMEOUT = 900
    client.post("/accounts/login/", {"username": "field", "password": "pass"})
    assert client.get("/").status_code == 200
    later(600)
    assert client.get("/").status_code == 200  # active again: the clock restarts
    later(600 + 901)
    response = client.get("/")
    assert response.status_code == 302
    assert not _signed_in(client)
    assert AuditEvent.objects.get(action=AuditEvent.Action.SESSION_ENDED).details == {
        "reason": "idle"
    }


def test_oidc_parallel_request_during_a_refresh_goes_on_without_spending_the_token(
    oidc, client, users, later
):
    # given a re-check that is due while another request of the session is refreshing
    from django.core.cache import cache

    oidc.provider.add_account("stee", email="steering@example.org")
    oidc.sign_in(client, "stee")
    due = client.session[SESSION_RECHECK_AT]
    later(MAX_AGE + 5)
    cache.add(f"accounts:oidc-refresh:{client.session.session_key}", True)
    # then this request is served, and the refresh is left to the other one
    assert client.get("/").status_code == 200
    assert client.session[SESSION_RECHECK_AT] == due
    cache.clear()
    # and once that one is done, the next request refreshes
    assert client.get("/").status_code == 200
    assert client.session[SESSION_RECHECK_AT] > accounts.oidc.clock() + MAX_AGE - 60
