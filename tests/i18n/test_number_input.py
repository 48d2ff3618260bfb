"""Typing numbers in French or Spanish: a comma is the decimal separator (the entry issue's
parser, one for the form, the Excel upload and the API)."""

from decimal import Decimal

import pytest

from reporting.models import IndicatorUpdate
from tests.reporting.entry_fixtures import entry_url, row_data


def _typed(client_as, indicator, kenya, period, language: str, value: str):
    client = client_as("field")
    client.cookies["django_language"] = language
    return client.post(
        entry_url(kenya, period),
        {**row_data(indicator, value=value, dis_sex_female="", dis_sex_male=""), "action": "save"},
    )


@pytest.mark.xfail(reason="parser in entry branch", strict=False)
@pytest.mark.parametrize("language", ["fr", "es"])
def test_number_typed_with_a_comma_in_french_or_spanish_is_stored_as_its_decimal(
    client_as, percentage_indicator, number_indicator, kenya, period, language
):
    # given a level indicator (not cumulative, so 7.5 is a valid level)
    number_indicator.cumulative = False
    number_indicator.disaggregations = []
    number_indicator.save()
    # when field staff type "7,5" on My reporting in French or Spanish
    response = _typed(client_as, number_indicator, kenya, period, language, "7,5")
    # then 7.5 is stored, not 75 and not an error
    assert response.status_code in (200, 302)
    update = IndicatorUpdate.objects.get(indicator=number_indicator, office=kenya, period=period)
    assert update.value == Decimal("7.5")
