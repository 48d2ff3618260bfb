"""axe-core (vendored in static/vendor/axe-core/) on every page of every role: no serious or
critical violation of WCAG 2.1 A/AA; and on a 390 px phone no page scrolls sideways (tables
scroll inside their own box). The test prints the pages it visited.

Not checked: Django's admin and the API's Swagger UI (third-party pages, not our templates)."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.pages_world import ROLES, pages_for, pages_world_build

pytestmark = pytest.mark.browser

THIRD_PARTY = ("/admin/", "/api/docs/")
PHONE = {"width": 390, "height": 844}
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


# Let charts and layout follow a change of viewport (two frames, then a short pause).
SETTLE = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
  () => setTimeout(done, 150))))"""
# The outermost elements reaching past the viewport (outside boxes that scroll themselves).
WIDE_ELEMENTS = """(limit) => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest(".table-responsive")
    && !(e.parentElement && e.parentElement.getBoundingClientRect().right > limit + 1))
  .slice(0, 4)
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." +
    [...e.classList].join(".") + " " + Math.round(e.getBoundingClientRect().right))"""


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; return its serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe_page(browser, live_server):
    # The content security policy would refuse the injected script: the test context bypasses it.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


def test_accessibility_every_page_of_every_role_has_no_serious_violation(
    axe_page, sign_in, kenya_world, percentage_indicator
):
    users = kenya_world["users"]
    world = pages_world_build(
        users=users,
        number_indicator=kenya_world["indicator"],
        percentage_indicator=percentage_indicator,
        kenya=kenya_world["office"],
        period=kenya_world["period"],
    )
    page = axe_page
    visited: list[str] = []
    failures: list[str] = []
    too_wide: list[str] = []
    for role in ROLES:
        sign_in(page, role)
        urls = [u for u in pages_for(users[role], world) if not u.startswith(THIRD_PARTY)]
        if role == "field":
            urls += ["/no/such/page/", "/reporting/periods/"]  # the 404 and 403 pages
        for url in urls:
            page.set_viewport_size({"width": 1366, "height": 900})
            response = page.goto(url)
            assert response is not None
            assert response.status in (200, 403, 404), (role, url, response.status)
            visited.append(f"{role} {response.status} {url}")
            if url == "/":
                # the navigation bar holds on one line at 1366 px, whatever the role
                height = page.evaluate("document.querySelector('nav.navbar').offsetHeight")
                assert height <= 64, (role, height)
            for v in axe_violations(page):
                failures.append(f"{role} {url}: {v['id']} ({v['impact']}) {v['help']} {v['nodes']}")
            # and on a phone the page itself never scrolls sideways
            page.set_viewport_size(PHONE)
            page.evaluate(SETTLE)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                culprits = page.evaluate(WIDE_ELEMENTS, PHONE["width"])
                too_wide.append(f"{role} {url}: {width} px wide at 390 px: {culprits}")
    print("\nPages checked with axe-core (and at 390 px):\n  " + "\n  ".join(visited))
    assert len(visited) >= 60
    assert not failures, "\n".join(failures)
    assert not too_wide, "\n".join(too_wide)
