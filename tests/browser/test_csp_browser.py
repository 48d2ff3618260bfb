"""The Content-Security-Policy in a real browser (issue 16, finding 10): no page, the API
documentation included, logs a CSP violation, and the pages' own scripts still run (charts
drawn, htmx loaded)."""

import pytest
from django.urls import reverse

from tests.security.test_authorisation import PAGES

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    """Collect the CSP violations the page reports (console and securitypolicyviolation)."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return seen


def test_no_page_logs_a_csp_violation(browser_page, sign_in, transactional_db, users):
    page = browser_page
    violations = _watch(page)
    sign_in(page, "admin")
    for name in sorted(PAGES):
        page.goto(reverse(name))
        page.wait_for_load_state("networkidle")
        assert not violations, (name, violations)
    page.goto(reverse("reporting:dashboard"))
    assert page.evaluate("typeof window.htmx") == "object"
    for url in ("/api/docs/",):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert not violations, (url, violations)
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=30_000)
