"""A large change against the previous period is shown to the person typing, with both values,
before they submit (the submission itself still asks for an explanation)."""

from decimal import Decimal

import pytest

from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_save, update_submit
from tests.reporting.entry_fixtures import entry_url, row_data


@pytest.fixture
def previous_two(users, number_indicator, kenya, periods):
    """Kenya reported 2 people in 2023-Q3."""
    previous = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=periods[-2],
        values=UpdateValues(value=Decimal(2), disaggregations={"sex": {"female": 2}}),
    )
    return update_submit(user=users["field"], update=previous)


def _warning(html: str, indicator) -> str:
    marker = f'id="change-{indicator.pk}"'
    assert marker in html
    start = html.index(marker)
    return html[html.rindex("<div", 0, start) : html.index("</div>", start)]


def test_entry_page_warns_of_a_large_change_in_a_saved_draft_with_both_values(
    client_as, previous_two, number_indicator, kenya, period
):
    # given 1,200 typed (English thousands) against a previous value of 2
    client = client_as("field")
    response = client.post(
        entry_url(kenya, period),
        {**row_data(number_indicator, value="1,200"), "action": "save"},
    )
    assert response.status_code == 302
    # when the page is shown again, before submitting
    html = client.get(entry_url(kenya, period)).content.decode()
    # then the warning is there, visible, with both values
    warning = _warning(html, number_indicator)
    assert " hidden" not in warning.split(">")[0]
    assert "1,200" in warning
    assert "against 2 people in the previous period" in warning


def test_entry_page_warns_of_a_large_change_typed_in_a_failed_post(
    client_as, previous_two, number_indicator, kenya, period
):
    # given 900 typed and a broken breakdown, submitted
    response = client_as("field").post(
        entry_url(kenya, period),
        {
            **row_data(number_indicator, value="900", dis_sex_female="-1"),
            "submit_row": f"r{number_indicator.pk}",
        },
    )
    # then the re-shown page carries the warning with the typed figure
    assert response.status_code == 200
    warning = _warning(response.content.decode(), number_indicator)
    assert " hidden" not in warning.split(">")[0]
    assert "900" in warning


def test_entry_page_prepares_the_hidden_warning_for_the_script(
    client_as, previous_two, number_indicator, kenya, period
):
    html = client_as("field").get(entry_url(kenya, period)).content.decode()
    warning = _warning(html, number_indicator)
    assert " hidden" in warning.split(">")[0]
    assert 'data-previous="2"' in html
    assert f'data-change-warning="change-{number_indicator.pk}"' in html
    assert "js/large_change.js" in html
    assert "<script>" not in html  # no inline script: the warning is a static file


def test_no_warning_for_a_small_change(client_as, previous_two, number_indicator, kenya, period):
    client = client_as("field")
    client.post(
        entry_url(kenya, period), {**row_data(number_indicator, value="3"), "action": "save"}
    )
    html = client.get(entry_url(kenya, period)).content.decode()
    assert " hidden" in _warning(html, number_indicator).split(">")[0]
