"""In a real browser: an indicator's breakdown by sex (stacked bars drawn by Chart.js, the table
beside them, the incomplete coverage in words) and the gender marker's lead; screenshots go to
test-results/screenshots/ (or $SCREENSHOT_DIR)."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from outcomes.models import Marker
from rollups.services import rollup_rebuild_full
from tests.factories import UpdateFactory

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results/screenshots"))


@pytest.fixture
def broken_down(
    transactional_db, strategy, periods, users, number_indicator, kenya, uganda, thailand
):
    """People assisted in 2023 by sex: Kenya 100 (60 women), Uganda 50 with no breakdown,
    Thailand 30 (10 women), over two quarters; tagged with the gender marker."""
    by_code = {p.code: p for p in periods}
    Marker.objects.get(strategy=strategy, code="gender").indicators.add(number_indicator)
    for office, code, value, parts in [
        (kenya, "2023-Q1", 100, {"female": 60, "male": 40}),
        (uganda, "2023-Q1", 50, None),
        (thailand, "2023-Q2", 30, {"female": 10, "male": 20}),
        (kenya, "2023-Q2", 40, {"female": 25, "male": 15}),
    ]:
        UpdateFactory(
            indicator=number_indicator,
            office=office,
            period=by_code[code],
            status="approved",
            value=Decimal(value),
            disaggregations={"sex": parts} if parts else {},
        )
    rollup_rebuild_full(strategy=strategy)
    return number_indicator


def test_indicator_breakdown_drawn_with_table_and_coverage(browser_page, sign_in, broken_down):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # a script that fails
    # given the steering committee on the indicator's page for 2023 to date
    sign_in(page, "steering")
    page.goto(f"/reporting/dashboards/indicators/{broken_down.pk}/?from=2023-Q1&to=2023-Q2")
    section = page.locator("#breakdown-sex")
    # then the breakdown by sex is there with its table and its incomplete coverage in words
    expect(section).to_be_visible()
    expect(section.locator(".breakdown-coverage")).to_contain_text("Incomplete breakdown:")
    expect(section.locator(".breakdown-coverage")).to_contain_text("of which 170 (77%)")
    expect(section.locator("#breakdown-sex-table tr", has_text="Female")).to_contain_text("95")
    expect(section.locator("#breakdown-sex-table tr", has_text="Not broken down")).to_contain_text(
        "50"
    )
    # and both charts are drawn (Chart.js marks each canvas it drew)
    for canvas in section.locator("canvas[data-breakdown-chart]").all():
        expect(canvas).to_have_attribute("data-drawn", "1")
        assert canvas.bounding_box()["height"] > 50
    section.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "indicator_breakdowns.png"), full_page=True)
    section.screenshot(path=str(SHOTS / "indicator_breakdown_sex.png"))
    # and the gender marker leads with the share of women and girls (95 of the 170 broken down)
    page.goto("/reporting/dashboards/markers/?from=2023-Q1&to=2023-Q2")
    expect(page.locator("#women-share")).to_contain_text("Women and girls: 55.9%")
    page.locator("#marker-gender").screenshot(path=str(SHOTS / "marker_gender_lead.png"))
    assert errors == []
