"""In a real browser: field staff go from their to-do home to a returned update, correct it and
submit it again; a failed submit shows a summary linking to each field in error. The test also
saves screenshots (1366 px desktop and 390 px phone) of the field home, My reporting with an
error and the review queue under tests/browser/screenshots/ (git-ignored)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reporting.models import IndicatorUpdate
from tests.browser.pages_world import pages_world_build

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(kenya_world, percentage_indicator) -> dict:
    return pages_world_build(
        users=kenya_world["users"],
        number_indicator=kenya_world["indicator"],
        percentage_indicator=percentage_indicator,
        kenya=kenya_world["office"],
        period=kenya_world["period"],
    )


def has_class(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_field_staff_go_from_home_to_a_returned_update_fix_and_resubmit(
    browser_page, sign_in, world
):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    returned = world["returned"]
    # given field staff signed in: their home is a to-do list with the returned update first
    sign_in(page, "field")
    todo = page.locator("#todo-field")
    expect(todo).to_contain_text("2023-Q4")
    expect(todo).to_contain_text("Submission deadline")
    expect(todo.locator(".todo-returned")).to_contain_text("check the clinic lists")
    _screenshot(page, "field-home")
    # when they follow the returned update's link
    todo.locator(".todo-returned a").first.click()
    # then My reporting shows only the returned update, with the reviewer's comment
    page.wait_for_url(lambda url: "show=returned" in url)
    row = page.locator(f"#row-{returned.indicator_id}")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Returned by the reviewer")
    expect(page.locator("section.card")).to_have_count(1)
    # when they correct the figure and its breakdown and submit it again
    prefix = f"r{returned.indicator_id}"
    page.locator(f"#id_{prefix}-value").fill("35")
    page.locator(f"#id_{prefix}-dis_sex_female").fill("20")
    page.locator(f"#id_{prefix}-dis_sex_male").fill("15")
    page.get_by_role("button", name="Submit A.i.1").click()
    # then it is submitted and waits for the reviewer
    expect(page.get_by_role("alert").first).to_contain_text("Submitted 1 update for review.")
    returned.refresh_from_db()
    assert returned.status == IndicatorUpdate.Status.SUBMITTED
    assert returned.value == 35
    # and the home page no longer lists anything returned
    page.goto("/")
    expect(page.locator("#todo-field .todo-returned")).to_have_count(0)


def test_failed_submit_shows_a_summary_linking_to_each_field_in_error(browser_page, sign_in, world):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    draft = world["draft"]
    office, period = world["office"], world["period"]
    sign_in(page, "field")
    page.goto(f"/reporting/my/?office={office.pk}&period={period.pk}")
    # when a letter is typed into a figure and everything ready is submitted
    field_id = f"id_r{draft.indicator_id}-value"
    page.locator(f"#{field_id}").fill("12a")
    page.get_by_role("button", name="Submit all ready").click()
    # then a summary at the top links to the field, which is marked for sight and screen readers
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # keyboard and screen-reader users start there
    expect(summary).to_contain_text("need")
    link = summary.locator(f'a[href="#{field_id}"]')
    expect(link).to_have_count(1)
    field = page.locator(f"#{field_id}")
    expect(field).to_have_class(has_class("is-invalid"))
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", f"{field_id}_error")
    expect(page.locator(f"#{field_id}_error")).to_be_visible()
    expect(page.locator(f"#row-{draft.indicator_id}")).to_have_class(has_class("border-danger"))
    expect(field).to_have_value("12a")  # what was typed is kept
    _screenshot(page, "my-reporting-error")
    # when the summary's link is followed, the field is in view
    link.click()
    page.wait_for_url(lambda url: url.endswith(f"#{field_id}"))
    expect(field).to_be_in_viewport()


def test_review_queue_screenshots(browser_page, sign_in, world):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    sign_in(page, "reviewer")
    page.goto("/reporting/review/")
    expect(page.locator("main")).to_contain_text("O.a.1")
    _screenshot(page, "review-queue")
    for name in ("field-home", "my-reporting-error", "review-queue"):
        for label in ("desktop", "phone"):
            path = SCREENSHOTS / f"{name}-{label}.png"
            assert not path.exists() or path.stat().st_size > 0


def test_heat_map_scrolls_with_the_keyboard_on_a_phone(browser_page, sign_in, world):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in(page, "hq")
    page.goto("/reporting/dashboards/completeness/")
    box = page.locator("main .table-responsive").first
    # when the box is reached with Tab and the right arrow is held, the table moves, not the page
    box.focus()
    expect(box).to_be_focused()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert box.evaluate("b => b.scrollLeft") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
