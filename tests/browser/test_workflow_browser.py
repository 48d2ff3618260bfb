"""In a real browser: field staff enter and submit Kenya's figure; the reviewer approves it."""

import re

import pytest
from playwright.sync_api import expect

from reporting.models import IndicatorUpdate

pytestmark = pytest.mark.browser


def test_workflow_field_submits_and_reviewer_approves_in_the_browser(
    browser_page, sign_in, kenya_world
):
    page = browser_page
    indicator = kenya_world["indicator"]
    prefix = f"r{indicator.pk}"
    # given `field` signed in on My reporting for Kenya's open period
    sign_in(page, "field")
    page.get_by_role("link", name="My reporting").first.click()
    expect(page.get_by_role("heading", name="My reporting")).to_be_visible()
    expect(page.locator(f"#row-{indicator.pk}")).to_contain_text("A.i.1")
    # when they enter the figure and its breakdown by sex, and submit the indicator
    page.locator(f"#id_{prefix}-value").fill("25")
    page.locator(f"#id_{prefix}-dis_sex_female").fill("15")
    page.locator(f"#id_{prefix}-dis_sex_male").fill("10")
    page.locator(f"#id_{prefix}-narrative").fill("Mobile clinics in Turkana.")
    page.get_by_role("button", name="Submit A.i.1").click()
    # then the page confirms it and the row is waiting for the reviewer
    expect(page.get_by_role("alert").first).to_contain_text("Submitted 1 update for review.")
    expect(page.locator(f"#row-{indicator.pk}")).to_contain_text("Submitted")
    update = IndicatorUpdate.objects.get(indicator=indicator, office=kenya_world["office"])
    assert update.status == IndicatorUpdate.Status.SUBMITTED
    assert update.disaggregations == {"sex": {"female": 15, "male": 10}}

    # when `reviewer` signs in, opens the review queue, ticks Kenya's update and approves
    sign_in(page, "reviewer")
    page.get_by_role("link", name="Review queue").first.click()
    row = page.locator("tr", has_text="A.i.1").filter(has_text="Kenya")
    expect(row).to_contain_text("25 people")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_role("alert").first).to_contain_text("Approved 1 update.")
    # then the update's page shows it approved, with its history
    page.goto(f"/reporting/updates/{update.pk}/")
    expect(page.locator("#update-status")).to_have_text("Approved")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile(r"Approved"))
    update.refresh_from_db()
    assert update.status == IndicatorUpdate.Status.APPROVED

    # and the dashboard (issue 4) shows the approved figure, recomputed after the approval
    page.get_by_role("link", name="Dashboards").first.click()
    expect(page.get_by_role("heading", name="Where the strategy stands")).to_be_visible()
    page.goto(f"/reporting/dashboards/indicators/{indicator.pk}/")
    expect(page.locator("#headline-actual")).to_have_text("25 people")
    expect(page.locator("#offices-table tr", has_text="Kenya")).to_contain_text("25")
    expect(page.locator("#trend-table tr", has_text="2023-Q4")).to_contain_text("25")
