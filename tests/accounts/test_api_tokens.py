"""API tokens for machine clients: issued by HQ for a named client with a scope and an expiry,
shown once, revocable; the last use recorded. And the username/password token endpoint, which
keeps working for local accounts only."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from audit.models import AuditEvent
from reporting.models import IndicatorUpdate
from tests.factories import UpdateFactory

IN_90_DAYS = dt.timedelta(days=90)


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def read_token(users):
    return api_token_create(
        actor=users["hq"],
        name="Data warehouse",
        scope=ApiToken.Scope.READ,
        expires_at=timezone.now() + IN_90_DAYS,
    )


@pytest.fixture
def kenya_token(users, kenya):
    return api_token_create(
        actor=users["hq"],
        name="Kenya M&E system",
        scope=ApiToken.Scope.WRITE,
        office=kenya,
        expires_at=timezone.now() + IN_90_DAYS,
    )


@pytest.fixture
def draft(number_indicator, kenya, uganda, period):
    """Drafts of A.i.1 for Kenya and Uganda in the open period."""
    return {
        office.code: UpdateFactory(
            indicator=number_indicator, office=office, period=period, status="draft"
        )
        for office in (kenya, uganda)
    }


def test_api_token_reads_and_records_its_last_use(read_token):
    token, secret = read_token
    assert token.last_used_at is None
    response = _bearer(secret).get("/api/v1/indicators/")
    assert response.status_code == 200, response.content
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_api_token_only_a_hash_is_stored(read_token):
    token, secret = read_token
    assert secret.startswith("stk_")
    assert secret not in (token.key_hash, token.prefix)
    assert ApiToken.objects.filter(key_hash__contains=secret[4:20]).count() == 0


def test_api_token_revoked_is_401(read_token, users):
    token, secret = read_token
    api_token_revoke(actor=users["hq"], token=token)
    response = _bearer(secret).get("/api/v1/indicators/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_api_token_expired_is_401(read_token):
    token, secret = read_token
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _bearer(secret).get("/api/v1/indicators/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."


def test_api_token_unknown_is_401(db):
    assert _bearer("stk_nope").get("/api/v1/indicators/").status_code == 401
    assert _bearer("not-ours").get("/api/v1/indicators/").status_code == 401


def test_api_token_read_only_cannot_write(read_token, draft):
    # given a read-only token and a draft it can see (steering sees submitted; HQ writes)
    _token, secret = read_token
    update = draft["co-ke"]
    # when it tries to change data, of any kind
    client = _bearer(secret)
    patched = client.patch(
        f"/api/v1/updates/{update.pk}/", {"value": "5", "version": update.version}, format="json"
    )
    created = client.post(
        "/api/v1/regions/", {"code": "x", "city": "X", "name": "X"}, format="json"
    )
    # then it is refused, and nothing changed
    assert patched.status_code == 403
    assert patched.json()["detail"] == "This API token is read-only."
    assert created.status_code == 403
    update.refresh_from_db()
    assert update.value != Decimal("5")


def test_api_token_write_writes_for_its_office_only(kenya_token, draft):
    # given a write token for Kenya
    _token, secret = kenya_token
    client = _bearer(secret)
    kenya_update, uganda_update = draft["co-ke"], draft["co-ug"]
    # when it saves Kenya's draft, then Uganda's
    ok = client.patch(
        f"/api/v1/updates/{kenya_update.pk}/",
        {"value": "12", "disaggregations": {"sex": {"female": 6, "male": 6}}, "version": 1},
        format="json",
    )
    other = client.patch(
        f"/api/v1/updates/{uganda_update.pk}/", {"value": "12", "version": 1}, format="json"
    )
    # then Kenya's is saved and Uganda's is out of its reach
    assert ok.status_code == 200, ok.content
    assert IndicatorUpdate.objects.get(pk=kenya_update.pk).value == Decimal("12")
    assert other.status_code in (403, 404)
    # and it cannot change the framework
    framework = client.post(
        "/api/v1/regions/", {"code": "x", "city": "X", "name": "X"}, format="json"
    )
    assert framework.status_code == 403


def test_api_token_service_user_cannot_sign_in(read_token, client):
    token, _secret = read_token
    assert not token.user.has_usable_password()
    client.post("/accounts/login/", {"username": token.user.username, "password": ""})
    assert "_auth_user_id" not in client.session


# --- The pages -------------------------------------------------------------------------------


def test_api_tokens_page_is_for_hq_only(client, users):
    for name, status in [("hq", 200), ("admin", 200), ("steering", 403), ("field", 403)]:
        client.force_login(users[name])
        assert client.get("/accounts/api-tokens/").status_code == status, name


def test_api_tokens_page_creates_a_token_shown_once(client, users):
    # given an HQ results manager on the API clients page
    client.force_login(users["hq"])
    # when they create a read-only token for a named client, valid 30 days
    response = client.post(
        "/accounts/api-tokens/",
        {"name": "Power BI", "scope": "read", "office": "", "expires_in_days": "30"},
    )
    # then the token is shown, once, and works
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'value="(stk_[^"]+)"', response.content.decode()).group(1)
    assert _bearer(secret).get("/api/v1/indicators/").status_code == 200
    token = ApiToken.objects.get(name="Power BI")
    assert (token.expires_at - timezone.now()).days in (29, 30)
    assert token.created_by == users["hq"]
    listing = client.get("/accounts/api-tokens/").content.decode()
    assert "Power BI" in listing
    assert secret not in listing
    # and the creation is audited
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_CREATED)
    assert (event.actor, event.details["scope"]) == (users["hq"], "read")


def test_api_tokens_page_write_needs_an_office_and_expiry_is_capped(client, users, settings):
    settings.API_TOKEN_MAX_DAYS = 365
    client.force_login(users["hq"])
    response = client.post(
        "/accounts/api-tokens/",
        {"name": "X", "scope": "write", "office": "", "expires_in_days": "400"},
    )
    errors = response.context["form"].errors
    assert "office" in errors
    assert "expires_in_days" in errors
    assert not ApiToken.objects.exists()


def test_api_tokens_page_revokes(client, users, kenya_token):
    token, secret = kenya_token
    client.force_login(users["hq"])
    response = client.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == users["hq"]
    assert _bearer(secret).get("/api/v1/indicators/").status_code == 401
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_REVOKED).count() == 1
    # revoking again changes nothing
    client.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_REVOKED).count() == 1


def test_api_token_revoke_needs_hq(client, users, kenya_token):
    token, _secret = kenya_token
    client.force_login(users["field"])
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


# --- The username/password endpoint ------------------------------------------------------------


TOKEN_URL = "/api/v1/auth/token/"


def test_password_token_endpoint_refuses_accounts_without_a_local_password(users):
    # given a person created by a sign-in through the provider (no usable password)
    person = users["norole"]
    person.set_unusable_password()
    person.save()
    for password in ("", "!", "pass"):
        response = APIClient().post(
            TOKEN_URL, {"username": "norole", "password": password}, format="json"
        )
        assert response.status_code == 400


def test_password_token_endpoint_still_works_for_local_accounts(users):
    response = APIClient().post(TOKEN_URL, {"username": "hq", "password": "pass"}, format="json")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN, actor=users["hq"])
    assert event.details == {"method": "api token endpoint", "token_created": True}


@pytest.mark.parametrize("who", ["field", "reviewer", "steering", "norole"])
def test_api_token_create_and_revoke_refuse_anyone_but_hq_in_the_service(users, read_token, who):
    # the service checks the right itself, whatever page, command or admin calls it
    with pytest.raises(PermissionDenied):
        api_token_create(
            actor=users[who],
            name="Shadow client",
            scope=ApiToken.Scope.READ,
            expires_at=timezone.now() + IN_90_DAYS,
        )
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=users[who], token=read_token[0])
    assert ApiToken.objects.count() == 1
