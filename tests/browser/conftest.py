"""Browser tests: Playwright's sync API driving Debian's chromium, headless, against
pytest-django's live server. Other flows (e.g. the dashboard) reuse `browser_page`, `sign_in`
and `kenya_world`."""

import os
from collections.abc import Callable, Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# beside it without this (the test and the live server still use the ORM synchronously).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pass"  # tests.factories.UserFactory's password


def _chromium_or_skip() -> str:
    """Return the browser's path; outside CI skip when it is missing, in CI fail."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)."
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests must run in CI, but {message}")
    pytest.skip(f"Browser test skipped: {message}")


@pytest.fixture(scope="session")
def browser():
    """A headless chromium shared by the session's browser tests."""
    path = _chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # as the pages' own timeouts below

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser, live_server) -> Iterator:
    """A fresh page (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url)
    # Generous: a submission or approval also recomputes roll-ups before the page answers.
    context.set_default_timeout(60_000)
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in() -> Callable:
    """Return sign_in(page, username): sign in through the login form (signing out first)."""

    def go(page, username: str, password: str = PASSWORD) -> None:
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return go


@pytest.fixture
def kenya_world(transactional_db, users, number_indicator, kenya, period) -> dict:
    """The strategy, Kenya with field staff `field` and the Nairobi `reviewer` (password
    "pass"), A.i.1 (people assisted, by sex) assigned to Kenya, and 2023-Q4 open."""
    return {
        "users": users,
        "indicator": number_indicator,
        "office": kenya,
        "period": period,
    }
