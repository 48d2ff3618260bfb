"""Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failures the locked page is shown
and even the right password is refused."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory


def _sign_in(client: Client, password: str):
    return client.post(reverse("login"), {"username": "field", "password": password})


def test_lockout_after_repeated_failures_shows_the_locked_page(db):
    # given a person with an account
    UserFactory(username="field")
    client = Client()
    assert settings.AXES_FAILURE_LIMIT == 5
    # when the wrong password is tried up to the limit
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, "wrong")
        assert response.status_code == 200
        assert "Too many failed sign-in attempts" not in response.content.decode()
    response = _sign_in(client, "wrong")
    # then the locked page is shown, and the right password no longer gets in
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    response = _sign_in(client, "pass")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_a_few_failures_then_the_right_password_signs_in(db):
    UserFactory(username="field")
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 2):
        _sign_in(client, "wrong")
    response = _sign_in(client, "pass")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_lockout_login_form_carries_a_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" in client.get(reverse("login")).content.decode()
    UserFactory(username="field")
    assert _sign_in(client, "pass").status_code == 403
