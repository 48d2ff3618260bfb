"""Friendly 403, 404 and 500 pages in the site's layout, and a navigation bar that offers each
role only what it may use, grouped into menus."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from offices.navigation import GROUPS
from tests.reporting.entry_fixtures import client_as, kenya_draft, kenya_submitted  # noqa: F401


def test_forbidden_page_is_in_the_layout(client_as, period):  # noqa: F811
    response = client_as("field").get(reverse("reporting:periods"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "You may not open this page" in html
    assert "Your roles do not give access to it." in html
    assert 'class="navbar' in html
    assert f'href="{reverse("home")}"' in html


def test_not_found_page_is_in_the_layout(client_as, users):  # noqa: F811
    response = client_as("field").get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html
    assert 'class="navbar' in html


def test_server_error_page_needs_no_database(rf: RequestFactory):
    # Django renders 500.html without a request context; without the `db` fixture any query
    # would raise here, so the page reads nothing from the database.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'class="navbar' in html


NAV_EXPECTED = {
    # role: (links offered, links never offered)
    "field": ({"My reporting", "Excel round-trip"}, {"API", "Review queue", "Reporting periods"}),
    "reviewer": ({"Review queue"}, {"API", "My reporting", "Reporting periods", "Administration"}),
    "steering": ({"Dashboards", "Membership updates"}, {"API", "My reporting", "Review queue"}),
    "hq": ({"Reporting periods", "API", "Administration"}, {"My reporting", "Review queue"}),
}


@pytest.mark.parametrize("role", NAV_EXPECTED)
def test_navigation_offers_only_usable_links_in_menus(client_as, period, role):  # noqa: F811
    response = client_as(role).get(reverse("home"))
    menus = response.context["nav_menus"]
    labels = {str(link["label"]) for menu in menus for link in menu["links"]}
    offered, refused = NAV_EXPECTED[role]
    assert offered <= labels
    assert not (refused & labels)
    assert [m["key"] for m in menus] == [k for k in GROUPS if k in {m["key"] for m in menus}]
    # HQ's ten pages sit in at most four top-level items, so the bar fits on one line
    assert len(menus) <= len(GROUPS)


def test_navigation_marks_the_current_page(client_as, period):  # noqa: F811
    response = client_as("hq").get(reverse("reporting:periods"))
    html = response.content.decode()
    assert f'href="{reverse("reporting:periods")}" aria-current="page"' in html


def test_heat_map_scrolls_in_a_focusable_labelled_box(client_as, number_indicator, period):  # noqa: F811
    html = client_as("hq").get(reverse("reporting:dashboard_heatmap")).content.decode()
    assert (
        '<div class="table-responsive" tabindex="0" role="region" '
        'aria-label="Completeness by office and period">'
    ) in html


@pytest.mark.parametrize("role", ["field", "reviewer", "steering", "hq"])
def test_no_page_offers_a_link_its_reader_may_not_open(
    client_as,  # noqa: F811
    kenya_submitted,  # noqa: F811
    role,
):
    # given the home page and every page its navigation offers
    client = client_as(role)
    home = client.get(reverse("home")).content.decode()
    pages = ["/", *(link["url"] for link in client.get("/").context["nav_links"])]
    links: set[str] = set()
    for url in pages:
        if url.startswith(("/admin/", "/api/")):
            continue  # Django's admin and the API documentation decide for themselves
        html = home if url == "/" else client.get(url).content.decode()
        links |= {h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)', html)}
    # when every link on them is followed, then none is refused
    refused = []
    for href in sorted(links):
        if href.startswith(("/static/", "/admin/", "/api/", "/accounts/logout")):
            continue
        if client.get(href).status_code == 403:
            refused.append(href)
    assert not refused, (role, refused)
