"""The demo logins that `make run` announces sign in through the login page."""

import io

import pytest
from django.core.management import call_command

LOGINS = {
    "admin": "Administrator",
    "hq": "HQ results manager",
    "steering": "Steering committee",
    "reviewer": "Reviewer",
    "field": "Field staff",
}


@pytest.fixture
def demo(db):
    """A small demo world (Kenya and one more office) with the demo logins."""
    call_command("seed_demo", offices=2, seed=1, stdout=io.StringIO())


@pytest.mark.parametrize(("username", "role"), LOGINS.items())
def test_demo_login_signs_in_and_home_shows_who_and_roles(demo, client, username, role):
    # given the demo logins
    # when one signs in through the login page with the demo password
    response = client.post("/accounts/login/", {"username": username, "password": "demo"})
    # then they land on the home page, which says who they are and what roles they hold
    assert response.status_code == 302
    assert response.url == "/"
    page = client.get("/").content.decode()
    assert f"<strong>{username}</strong>" in page
    assert role in page


def test_demo_login_scopes_name_the_office_and_region(demo, client):
    # when the reviewer and the field staff sign in
    client.post("/accounts/login/", {"username": "reviewer", "password": "demo"})
    reviewer_page = client.get("/").content.decode()
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "field", "password": "demo"})
    field_page = client.get("/").content.decode()
    # then their scopes are on their home pages
    assert "Nairobi" in reviewer_page
    assert "Kenya" in field_page


def test_demo_login_refuses_a_wrong_password(demo, client):
    # when someone signs in with a wrong password
    response = client.post("/accounts/login/", {"username": "field", "password": "nope"})
    # then the login page comes back, and home still asks for a login
    assert response.status_code == 200
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_home_redirects_anonymous_users_to_login(client):
    # when someone not signed in opens the home page
    response = client.get("/")
    # then they are sent to the login page, coming back home afterwards
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"
    assert client.get(response.url).status_code == 200
