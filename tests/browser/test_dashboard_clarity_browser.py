"""The dashboards in a real browser: the overview with its map and band bars, a yes/no
indicator's page with its share chart (open period hollow) and map; no script errors, nothing
fetched from outside the deployment. Screenshots go to test-results/screenshots/."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from reporting.models import ReportingPeriod
from rollups.services import rollup_rebuild_full
from tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    OfficeFactory,
    UpdateFactory,
    assign,
    close_periods,
)

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture
def dashboard_world(
    transactional_db, strategy, periods, users, number_indicator, kenya, uganda, thailand
):
    """A yes/no indicator (A.ii.4) and A.i.1 with approved figures in 2023, every period closed
    but 2023-Q4 (open, one office reported)."""
    rwanda = OfficeFactory(code="co-rw", name="Rwanda", iso_code="RW", region=kenya.region)
    peru = OfficeFactory(
        code="co-pe",
        name="Peru",
        iso_code="PE",
        region=kenya.region.__class__.objects.get(code="buenos-aires"),
    )
    yes_no = IndicatorFactory(
        deliverable=strategy.outcome_set.get(code="a").deliverables.get(code="ii"),
        code="A.ii.4",
        name="Offices with a migration policy",
        measure="yes_no",
        cumulative=False,
        baseline_value=D("30"),
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=yes_no, year=year, value=D("65"))
    assign(yes_no, kenya, uganda, thailand, rwanda, peru)
    by_code = {p.code: p for p in periods}
    for code, answers in (
        ("2023-Q1", (kenya, uganda)),
        ("2023-Q2", (kenya, uganda, thailand)),
        ("2023-Q3", (kenya, uganda, thailand, peru)),
    ):
        for office in (kenya, uganda, thailand, rwanda, peru):
            UpdateFactory(
                indicator=yes_no,
                office=office,
                period=by_code[code],
                status="approved",
                value=D(1 if office in answers else 0),
            )
    UpdateFactory(
        indicator=yes_no, office=kenya, period=by_code["2023-Q4"], status="approved", value=D(0)
    )
    for code, office, value in (
        ("2023-Q1", kenya, "1200"),
        ("2023-Q2", uganda, "9400"),
        ("2023-Q3", thailand, "406000"),
        ("2023-Q4", kenya, "388"),
    ):
        UpdateFactory(
            indicator=number_indicator,
            office=office,
            period=by_code[code],
            status="approved",
            value=D(value),
        )
    rollup_rebuild_full(strategy=strategy)
    close_periods(strategy, periods)
    ReportingPeriod.objects.filter(pk=by_code["2023-Q4"].pk).update(
        state=ReportingPeriod.State.OPEN
    )
    return {"yes_no": yes_no, "users": users}


def _watch(page, live_server):
    """Collect script errors and requests that leave the deployment."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error.stack} {page.url}"))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
    )
    # (a failed resource is recorded by its response; the browser's own favicon request has none)
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else problems.append(f"outside request: {request.url}")
        ),
    )
    return problems


def _map_drawn(page, selector: str) -> None:
    page.wait_for_function(
        """(selector) => {
            const canvas = document.querySelector(selector);
            const chart = canvas && window.Chart && Chart.getChart(canvas);
            return Boolean(chart && chart.data.datasets[0].data.length > 100);
        }""",
        arg=selector,
    )


def test_overview_indicator_and_map_in_the_browser(
    browser_page, live_server, sign_in, dashboard_world
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    problems = _watch(page, live_server)
    sign_in(page, dashboard_world["users"]["steering"].username)

    # the overview: headline at the last complete period, band bars, what changed, the map
    page.goto("/reporting/dashboards/")
    assert "the last complete period" in page.locator("#period-state").inner_text()
    assert page.locator(".band-bar").count() > 0
    assert "What changed since" in page.locator("#changes").inner_text()
    _map_drawn(page, 'canvas[data-map="overview-map"]')
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
    page.locator(".dashboard-map").first.screenshot(path=str(SHOTS / "overview-map.png"))
    # the table beside the map is reachable by keyboard
    page.locator(".map-table-box").first.focus()
    assert page.evaluate("document.activeElement.classList.contains('map-table-box')")

    # a yes/no indicator: its headline and chart are shares of reporting offices
    indicator = dashboard_world["yes_no"]
    page.goto(f"/reporting/dashboards/indicators/{indicator.pk}/?from=2023-Q1&to=2023-Q4")
    assert "of reporting offices" in page.locator("#headline-actual").inner_text()
    assert "2023-Q4 open" in page.locator("#headline").inner_text()
    assert "Reporting in progress" in page.locator("#headline").inner_text()
    page.wait_for_function(
        "() => Chart.getChart(document.querySelector('canvas[data-chart=\"trend-data\"]'))"
    )
    _map_drawn(page, 'canvas[data-map="indicator-map"]')
    page.screenshot(path=str(SHOTS / "indicator.png"), full_page=True)
    page.locator(".dashboard-map").first.screenshot(path=str(SHOTS / "indicator-map.png"))

    # and nothing failed or came from outside
    assert problems == [], problems
    for name in ("overview.png", "overview-map.png", "indicator.png", "indicator-map.png"):
        assert (SHOTS / name).stat().st_size > 10_000
