"""Token and session authentication of the API."""

from rest_framework.test import APIClient

TOKEN_URL = "/api/v1/auth/token/"


def test_token_obtain_returns_a_token_that_authenticates(users):
    # given a user with a role and their password
    client = APIClient()
    # when they ask for a token
    response = client.post(TOKEN_URL, {"username": "field", "password": "pass"}, format="json")
    # then they get one, and it opens the API
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/updates/").status_code == 200
    # and asking again gives the same token
    again = APIClient().post(TOKEN_URL, {"username": "field", "password": "pass"}, format="json")
    assert again.json()["token"] == token


def test_token_obtain_wrong_password_is_400_with_field_errors(users):
    response = APIClient().post(
        TOKEN_URL, {"username": "field", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "non_field_errors" in body["errors"]
    assert "token" not in body


def test_token_obtain_missing_fields_is_400(db):
    response = APIClient().post(TOKEN_URL, {"username": "field"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_token_obtain_bad_json_is_400(db):
    response = APIClient().post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_token_obtain_locks_out_after_repeated_failures(users, settings):
    # given five failed attempts (AXES_FAILURE_LIMIT in test settings)
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "field", "password": "wrong"}, format="json")
    # when the right password comes next
    response = client.post(TOKEN_URL, {"username": "field", "password": "pass"}, format="json")
    # then it is refused: the account is locked
    assert response.status_code == 403
    assert response.json()["code"] == "locked_out"


def test_api_anonymous_is_401_and_bad_token_is_401(db):
    assert APIClient().get("/api/v1/updates/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    response = client.get("/api/v1/indicators/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_api_session_authentication_works(client, users):
    # given a signed-in browser session (the browsable API)
    client.force_login(users["steering"])
    # then the API answers
    assert client.get("/api/v1/indicators/").status_code == 200


def test_api_user_without_role_is_403(client_for):
    response = client_for("norole").get("/api/v1/indicators/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
