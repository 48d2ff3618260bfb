"""Choosing the language: the menu on every page, remembered for a signed-in person, the
browser's Accept-Language for anyone else."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from offices.languages import user_language, user_language_set
from offices.models import UserProfile


def _menu_languages(response) -> list[str]:
    html = response.content.decode()
    return [code for code, _name in settings.LANGUAGES if f'<option value="{code}"' in html]


@pytest.mark.django_db
def test_language_menu_is_on_the_sign_in_page_and_posts_to_set_language():
    # when anyone opens the sign-in page
    response = Client().get(reverse("login"))
    # then it has the menu: a form posting to Django's set_language, with the three languages
    html = response.content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert reverse("set_language") == "/i18n/setlang/"
    assert _menu_languages(response) == ["en", "fr", "es"]


def test_language_menu_is_on_every_signed_in_page(client_as, kenya, period, number_indicator):
    # given field staff signed in
    client = client_as("field")
    # then home, My reporting and the dashboard each carry the menu
    for url in [reverse("home"), reverse("reporting:my_reporting"), reverse("reporting:dashboard")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _menu_languages(response) == ["en", "fr", "es"], url


@pytest.mark.django_db
def test_accept_language_chooses_for_someone_not_signed_in():
    # when a browser asking for Spanish opens the sign-in page
    response = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    # then the page is in Spanish
    assert response["Content-Language"] == "es"
    assert "Iniciar sesión" in response.content.decode()
    assert "Sign in" not in response.content.decode()


def test_language_menu_choice_is_remembered_on_the_profile(users, client_as):
    # given field staff signed in, their browser in English
    client = client_as("field")
    # when they choose French in the menu
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    # then they go back to the page, and their profile keeps French
    assert response.status_code == 302
    assert UserProfile.objects.get(user=users["field"]).language == "fr"
    # and on another computer (no cookie, an English browser) the pages are in French
    other = client_as("field")
    page = other.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "fr"
    assert "Se déconnecter" in page.content.decode()


def test_language_preference_wins_over_the_browser(users, client_as):
    # given a reviewer who chose Spanish
    user_language_set(user=users["reviewer"], language="es")
    # when their French browser opens the home page
    page = client_as("reviewer").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    # then it is in Spanish
    assert page["Content-Language"] == "es"
    assert "Cerrar sesión" in page.content.decode()


def test_language_preference_ignores_unknown_languages(users):
    # when something asks for a language the tracker does not offer
    user_language_set(user=users["field"], language="de")
    # then nothing is stored and the person is written to in the default language
    assert not UserProfile.objects.filter(user=users["field"]).exists()
    assert user_language(users["field"]) == "en"


def test_language_of_someone_without_a_choice_is_the_default(users):
    assert user_language(users["reviewer"]) == settings.LANGUAGE_CODE
    assert user_language(None) == settings.LANGUAGE_CODE
