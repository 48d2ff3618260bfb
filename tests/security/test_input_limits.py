"""Input limits (issue 16, findings 9 and 10): one JSON parser with a size and a depth limit for
every API request, unknown fields refused, texts and numbers bounded in every channel (web
form, Excel, API), ids in query strings and forms checked: a 400 with a message, never a 5xx."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues, values_normalize
from tests.reporting.entry_fixtures import entry_url, row_data

DEEP = "[" * 100_000 + "]" * 100_000


def _raw(client, path: str, body: str, method: str = "post"):
    return getattr(client, method)(path, data=body, content_type="application/json")


def test_deeply_nested_json_to_the_token_endpoint_is_400(db):
    # finding 9: RecursionError, 500
    response = _raw(Client(), "/api/v1/auth/token/", DEEP)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_deeply_nested_json_to_an_update_is_400(client_for, world):
    update = world["ke_draft"]
    client = client_for("field")
    for path, method in (
        (f"/api/v1/updates/{update.pk}/", "patch"),
        ("/api/v1/updates/", "post"),
        (f"/api/v1/updates/{update.pk}/submit/", "post"),
    ):
        response = _raw(client, path, DEEP, method)
        assert response.status_code == 400, (path, response.content[:200])
        assert response.json()["code"] == "parse_error"


def test_json_nested_beyond_the_limit_is_400_even_when_python_could_parse_it(client_for, world):
    update = world["ke_draft"]
    body = '{"version": 1, "disaggregations": ' + "[" * 40 + "]" * 40 + "}"
    response = _raw(client_for("field"), f"/api/v1/updates/{update.pk}/", body, "patch")
    assert response.status_code == 400
    assert "nests deeper" in response.json()["detail"]


def test_json_body_over_the_size_limit_is_400(client_for, world, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = '{"version": 1, "narrative": "' + "x" * 2000 + '"}'
    response = _raw(client_for("field"), f"/api/v1/updates/{world['ke_draft'].pk}/", body, "patch")
    assert response.status_code == 400


def test_json_nan_and_infinity_are_400(client_for, world):
    update = world["ke_draft"]
    for constant in ("NaN", "Infinity", "-Infinity"):
        body = f'{{"version": {update.version}, "value": {constant}}}'
        response = _raw(client_for("field"), f"/api/v1/updates/{update.pk}/", body, "patch")
        assert response.status_code == 400, constant


def test_json_depth_check_is_iterative():
    from core.parsers import json_depth_exceeds

    nested: list = []
    for _ in range(50_000):
        nested = [nested]
    assert json_depth_exceeds(nested, 32)
    assert not json_depth_exceeds({"a": [1, {"b": 2}]}, 3)


def test_api_write_with_unknown_fields_is_400(client_for, world):
    # finding 10: unknown fields were silently ignored
    update = world["ke_draft"]
    response = client_for("field").patch(
        f"/api/v1/updates/{update.pk}/",
        {"version": update.version, "narrative": "ok", "status": "approved", "valeu": 3},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == {"status", "valeu"}
    update.refresh_from_db()
    assert update.status == IndicatorUpdate.Status.DRAFT


def test_api_framework_write_with_unknown_fields_is_400(client_for, world):
    response = client_for("hq").post(
        "/api/v1/regions/",
        {"code": "zz", "city": "Z", "name": "Zed", "is_admin": True},
        format="json",
    )
    assert response.status_code == 400
    assert "is_admin" in response.json()["errors"]


def test_web_form_refuses_a_narrative_longer_than_the_api_does(
    client_as, kenya_draft, number_indicator
):
    # finding 10: the web form took a 100 kB narrative where the API caps at 20,000 characters
    data = row_data(
        number_indicator,
        version=kenya_draft.version,
        value="40",
        **{"sex-female": "20", "sex-male": "20"},
        narrative="x" * 100_000,
    )
    response = client_as("field").post(entry_url(kenya_draft.office, kenya_draft.period), data)
    assert response.status_code < 500
    kenya_draft.refresh_from_db()
    assert len(kenya_draft.narrative) <= 20_000  # the API's cap


@pytest.mark.parametrize("raw", ["1e30", "-1e30", "100000000000000"])
def test_values_beyond_what_can_be_stored_are_refused_in_every_channel(number_indicator, raw):
    # finding 9: a value such as 1e30 poisoned the row
    _cleaned, errors = values_normalize(
        indicator=number_indicator, values=UpdateValues(value=Decimal(raw))
    )
    assert "value" in errors


def test_api_value_1e30_is_400(client_for, world):
    update = world["ke_draft"]
    response = client_for("field").patch(
        f"/api/v1/updates/{update.pk}/",
        f'{{"version": {update.version}, "value": 1e30}}',
        content_type="application/json",
    )
    assert response.status_code == 400


def test_web_form_value_1e30_is_refused(client_as, kenya_draft, number_indicator):
    data = row_data(number_indicator, version=kenya_draft.version, value="1e30")
    response = client_as("field").post(entry_url(kenya_draft.office, kenya_draft.period), data)
    assert response.status_code < 500
    kenya_draft.refresh_from_db()
    assert kenya_draft.value == Decimal("40")


@pytest.mark.parametrize("period", ["abc", "-1", "1.5", "10" * 12, "%00"])
def test_periods_page_with_a_bad_period_is_400(client_as, period, periods):
    # finding 9: `period=abc` on the periods page gave a ValueError (500)
    response = client_as("hq").post(
        reverse("reporting:periods"), {"period": period, "state": "closed"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", [str(10**23), "abc", "-5", "٣"])
def test_my_reporting_with_a_bad_office_or_period_is_400(client_as, kenya, periods, value):
    client = client_as("field")
    for name in ("office", "period"):
        response = client.get(reverse("reporting:my_reporting"), {name: value})
        assert response.status_code in {400, 404}, (name, value)


def test_review_queue_with_huge_ids_is_not_a_server_error(client_as, world):
    # finding 9: `update=10^23` on the review queue gave an OverflowError (500)
    client = client_as("reviewer")
    huge = str(10**23)
    assert client.post(reverse("reporting:review_queue"), {"update": [huge]}).status_code == 302
    for name in ("office", "period", "deliverable", "output", "page", "update"):
        response = client.get(reverse("reporting:review_queue"), {name: huge})
        assert response.status_code == 400, name


def test_query_strings_with_nul_characters_are_400(client_as, client_for, world):
    assert client_as("hq").get("/reporting/dashboards/?region=a%00b").status_code == 400
    response = client_for("hq").get("/api/v1/updates/?office=a%00b")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
