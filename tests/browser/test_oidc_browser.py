"""In a real browser: from the tracker's login page through the real test provider's sign-in
form to the home page, and out again through the provider's sign-out."""

import re

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent
from tests.oidc_provider.harness import oidc_configure

pytestmark = pytest.mark.browser


@pytest.fixture
def oidc_live(settings, oidc_provider, live_server):
    """The live server as a client of the provider."""
    from accounts.oidc import oidc_discovery_forget

    yield oidc_configure(settings, oidc_provider, base_url=live_server.url)
    oidc_discovery_forget()


def test_oidc_browser_sign_in_from_the_login_page_to_the_home_page(
    browser_page, transactional_db, users, oidc_live, live_server
):
    page = browser_page
    # given Kenya's field staff member, known at the provider by the same (verified) e-mail
    oidc_live.provider.add_account("b.otieno", email="field@example.org", given_name="Brian")
    # when they open the tracker and choose the provider's button
    page.goto("/reporting/my/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/reporting/my/")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    # then the provider's own sign-in form is shown; they sign in there
    expect(page).to_have_url(re.compile(re.escape(oidc_live.provider.issuer) + "/interaction/"))
    page.get_by_placeholder("Enter any login").fill("b.otieno")
    page.get_by_placeholder("and password").fill("correct horse")
    page.get_by_role("button", name="Sign-in").click()
    # and they come back signed in, to the page they asked for, then the home page
    page.wait_for_url(f"{live_server.url}/reporting/my/")
    expect(page.get_by_role("heading", name="My reporting")).to_be_visible()
    page.get_by_role("link", name="Strategy Tracker").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Field staff — Kenya")
    assert AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN).details == {"method": "oidc"}

    # when they sign out, the provider asks to end its session too, and they are back here
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(re.escape(oidc_live.provider.issuer) + "/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Sign in with Test IdP")).to_be_visible()


def test_oidc_browser_first_sign_in_shows_the_no_role_page(
    browser_page, transactional_db, users, oidc_live, live_server
):
    oidc_live.provider.add_account("newcomer", email="newcomer@iom.example")
    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    page.get_by_placeholder("Enter any login").fill("newcomer")
    page.get_by_placeholder("and password").fill("x")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{live_server.url}/accounts/no-role/")
    expect(page.get_by_role("heading", name="You hold no role in the tracker yet")).to_be_visible()
    expect(page.locator("main")).to_contain_text("hq@example.org")
