"""In a real browser: a figure typed the wrong way is refused beside its field and kept; a large
change is shown while typing, before submitting; a reviewer approves and lands on the next
update waiting in the queue."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import IndicatorUpdate
from tests.factories import UpdateFactory

pytestmark = pytest.mark.browser
Status = IndicatorUpdate.Status


def test_entry_failed_submit_keeps_the_figure_and_says_why(browser_page, sign_in, kenya_world):
    page = browser_page
    indicator = kenya_world["indicator"]
    prefix = f"r{indicator.pk}"
    # given `field` on My reporting, in English
    sign_in(page, "field")
    page.get_by_role("link", name="My reporting").first.click()
    # when they type 7,5 (a French decimal) and submit the indicator
    page.locator(f"#id_{prefix}-value").fill("7,5")
    page.locator(f"#id_{prefix}-dis_sex_female").fill("7")
    page.get_by_role("button", name="Submit A.i.1").click()
    # then the page says so beside the field, with an example, and keeps what was typed
    row = page.locator(f"#row-{indicator.pk}")
    expect(row.locator(".invalid-feedback").first).to_contain_text("7.5")
    expect(page.locator(f"#id_{prefix}-value")).to_have_value("7,5")
    expect(page.locator(f"#id_{prefix}-dis_sex_female")).to_have_value("7")
    assert not IndicatorUpdate.objects.filter(indicator=indicator).exists()


def test_entry_large_change_is_shown_while_typing(browser_page, sign_in, kenya_world, periods):
    page = browser_page
    indicator, office = kenya_world["indicator"], kenya_world["office"]
    UpdateFactory(
        indicator=indicator,
        office=office,
        period=periods[-2],
        status=Status.APPROVED,
        value=Decimal(2),
        submitted_at=timezone.now(),
    )
    sign_in(page, "field")
    page.get_by_role("link", name="My reporting").first.click()
    warning = page.locator(f"#change-{indicator.pk}")
    expect(warning).to_be_hidden()
    # when 1,200 is typed against the previous 2: the warning shows both values at once
    page.locator(f"#id_r{indicator.pk}-value").fill("1,200")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("1,200")
    expect(warning).to_contain_text("2 people")
    # and a figure close to the previous one hides it again
    page.locator(f"#id_r{indicator.pk}-value").fill("3")
    expect(warning).to_be_hidden()


def test_reviewer_approves_and_lands_on_the_next_item(browser_page, sign_in, kenya_world, uganda):
    page = browser_page
    indicator, kenya, period = (
        kenya_world["indicator"],
        kenya_world["office"],
        kenya_world["period"],
    )
    now = timezone.now()
    first = UpdateFactory(
        indicator=indicator,
        office=kenya,
        period=period,
        status=Status.SUBMITTED,
        value=Decimal(12),
        submitted_at=now - timezone.timedelta(hours=2),
    )
    second = UpdateFactory(
        indicator=indicator,
        office=uganda,
        period=period,
        status=Status.SUBMITTED,
        value=Decimal(30),
        submitted_at=now - timezone.timedelta(hours=1),
    )
    # given the reviewer on the queue, opening the oldest update
    sign_in(page, "reviewer")
    page.get_by_role("link", name="Review queue").first.click()
    page.locator("tr", has_text="Kenya").get_by_role("link", name="A.i.1").click()
    expect(page).to_have_url(f"{page.url.split('/reporting/')[0]}/reporting/updates/{first.pk}/")
    # when they approve it from its page
    page.locator("#actions-heading").scroll_into_view_if_needed()
    page.get_by_role("button", name="Approve", exact=True).click()
    # then they land on the next update in the queue, told what was done
    expect(page.locator("main")).to_contain_text("Approved A.i.1 for Kenya")
    assert page.url.endswith(f"/reporting/updates/{second.pk}/")
    expect(page.locator("h1")).to_contain_text("A.i.1")
    expect(page.locator("main")).to_contain_text("Uganda")
    first.refresh_from_db()
    assert first.status == Status.APPROVED
