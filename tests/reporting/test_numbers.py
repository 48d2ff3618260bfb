"""One number parser for the web form, the Excel upload and the API: locale-aware, never
silently changing what was typed, refusing what is ambiguous or beyond the column and the
indicator; and rows already stored out of range never break a page."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.numbers import NumberRefused, number_input_text, number_parse
from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues, values_normalize
from reporting.services.workflow import update_save
from tests.factories import AssignmentFactory, IndicatorFactory, UpdateFactory
from tests.reporting.entry_fixtures import entry_url, row_data
from tests.reporting.test_excel import (  # noqa: F401 (kenya_indicators is a fixture)
    _download,
    _fill,
    _problems,
    _upload,
    kenya_indicators,
)

Status = IndicatorUpdate.Status


# --- The parser ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("en", "1,200", Decimal("1200")),
        ("en", "1,200,300.25", Decimal("1200300.25")),
        ("en", "7.5", Decimal("7.5")),
        ("fr", "7,5", Decimal("7.5")),
        ("fr", "1 200", Decimal("1200")),
        ("fr", "1\u202f200,5", Decimal("1200.5")),
        ("fr", "1\u00a0200", Decimal("1200")),
        ("es", "1.200,5", Decimal("1200.5")),
        ("es", "7,5", Decimal("7.5")),
        ("en", "  42 ", Decimal("42")),
        ("en", "", None),
    ],
)
def test_number_parse_reads_each_languages_separators(language, typed, expected):
    assert number_parse(typed, language=language) == expected


@pytest.mark.parametrize(
    ("language", "typed", "example"),
    [
        ("en", "7,5", "7.5"),  # a comma only separates thousands in English
        ("en", "1,20", "1,200"),
        ("en", "1 200", "1,200"),
        ("fr", "7.5", "7,5"),  # a dot is neither decimal nor grouping in French
        ("fr", "12 00", "1 200"),
        ("es", "7.5", "7,5"),  # a Spanish dot groups thousands, in threes
        ("en", "1e30", "1250"),
        ("en", "nan", "1250"),
        ("en", "inf", "1250"),
        ("en", "12 kg", "1250"),
        ("en", "1.2.3", "7.5"),
    ],
)
def test_number_parse_refuses_what_is_ambiguous_with_an_example(language, typed, example):
    with pytest.raises(NumberRefused) as refused:
        number_parse(typed, language=language)
    assert example in refused.value.message


def test_number_parse_plain_is_the_machine_format():
    assert number_parse("12.5", plain=True) == Decimal("12.5")
    for typed in ("1,200", "7,5", "1 200", "1e3"):
        with pytest.raises(NumberRefused):
            number_parse(typed, plain=True)


def test_number_parse_typed_numbers_must_be_finite():
    assert number_parse(7.5) == Decimal("7.5")
    assert number_parse(0.1 + 0.2) == Decimal("0.3")  # a spreadsheet's 15 digits, not noise
    assert number_parse(12) == Decimal(12)
    for raw in (float("nan"), float("inf"), Decimal("NaN"), True):
        with pytest.raises(NumberRefused):
            number_parse(raw)


def test_number_input_text_is_read_back_in_each_language():
    for language in ("en", "fr", "es"):
        text = number_input_text(Decimal("1200.5000"), language=language)
        assert number_parse(text, language=language) == Decimal("1200.5")
    assert number_input_text(Decimal("7.5"), language="fr") == "7,5"


# --- Bounds of the column and the indicator --------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"value": Decimal("1e30")}, "value", "too large"),
        ({"value": Decimal("100000000000000")}, "value", "too large"),
        ({"value": Decimal("1.23456")}, "value", "at most 4"),
    ],
)
def test_values_beyond_the_column_are_refused(number_indicator, values, field, message):
    _cleaned, errors = values_normalize(indicator=number_indicator, values=UpdateValues(**values))
    assert any(message in e for e in errors[field]), errors


def test_percentage_parts_beyond_the_column_are_refused(percentage_indicator):
    _cleaned, errors = values_normalize(
        indicator=percentage_indicator,
        values=UpdateValues(numerator=Decimal("1e20"), denominator=Decimal("1e21")),
    )
    assert "numerator" in errors
    assert "denominator" in errors


def test_breakdown_parts_beyond_the_column_are_refused(number_indicator):
    _cleaned, errors = values_normalize(
        indicator=number_indicator,
        values=UpdateValues(
            value=Decimal(1), disaggregations={"sex": {"female": 10**30, "male": "1e3"}}
        ),
    )
    assert "too large" in errors["disaggregations.sex.female"][0]
    assert "no exponent" in errors["disaggregations.sex.male"][0]


# --- The web form ----------------------------------------------------------------------------


def _value_errors(response, indicator) -> list[str]:
    rows = {row.indicator.code: row for row in response.context["rows"]}
    return rows[indicator.code].form.errors.get("value", [])


def test_form_english_comma_decimal_is_refused_and_the_field_kept(
    client_as, number_indicator, kenya, period
):
    # given field staff working in English
    with translation.override("en"):
        # when they type 7,5
        response = client_as("field").post(
            entry_url(kenya, period),
            {**row_data(number_indicator, value="7,5"), "action": "save"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    # then it is refused beside the field with an example, and 7,5 is still in the input
    assert response.status_code == 200
    errors = _value_errors(response, number_indicator)
    assert "7.5" in errors[0]
    assert "1,200" in errors[0]
    assert f'name="r{number_indicator.pk}-value" value="7,5"' in response.content.decode()
    assert not IndicatorUpdate.objects.exists()


def test_form_english_thousands_comma_is_stored_as_1200(client_as, number_indicator, kenya, period):
    response = client_as("field").post(
        entry_url(kenya, period),
        {**row_data(number_indicator, value="1,200"), "action": "save"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert IndicatorUpdate.objects.get().value == Decimal("1200")


def test_form_french_comma_decimal_is_read_as_7_5(number_indicator):
    from reporting.forms import UpdateEntryForm

    with translation.override("fr"):
        form = UpdateEntryForm(
            {"r-version": "0", "r-value": "7,5"}, prefix="r", indicator=number_indicator
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == Decimal("7.5")


def test_form_french_comma_decimal_is_stored_as_7_5(client_as, percentage_indicator, kenya, period):
    # given a French-speaking user (the browser asks for French, the page is in French)
    client = client_as("field")
    # when they type a denominator of 7,5 and a numerator of 2,5
    response = client.post(
        entry_url(kenya, period),
        {
            **row_data(percentage_indicator, numerator="2,5", denominator="7,5"),
            "action": "save",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    # then 2.5 / 7.5 is stored, and the form shows it back the French way
    assert response.status_code == 302, _value_errors(response, percentage_indicator)
    update = IndicatorUpdate.objects.get()
    assert (update.numerator, update.denominator) == (Decimal("2.5"), Decimal("7.5"))
    page = client.get(entry_url(kenya, period), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'name="r{percentage_indicator.pk}-denominator" value="7,5"' in page


@pytest.mark.parametrize("typed", ["1e30", "100000000000000000000", "nan", "inf"])
def test_form_refuses_huge_or_non_finite_values(client_as, number_indicator, kenya, period, typed):
    response = client_as("field").post(
        entry_url(kenya, period), {**row_data(number_indicator, value=typed), "action": "save"}
    )
    assert response.status_code == 200
    assert _value_errors(response, number_indicator)
    assert not IndicatorUpdate.objects.exists()


# --- The Excel upload ------------------------------------------------------------------------


@pytest.mark.parametrize("cell", [1e30, "1e30", "nan"])
def test_excel_upload_refuses_1e30(client, users, kenya, period, kenya_indicators, cell):  # noqa: F811
    # given a template where the count is 1e30 (a number cell, or text)
    client.force_login(users["field"])
    template = _download(client, kenya, period)
    # when it is uploaded
    response = _upload(client, _fill(template, {"A.i.2": {"value": cell}}), kenya, period)
    # then the row is refused on the Value column, with a message, and nothing is saved
    assert response.status_code == 400
    problems = response.context["preview"].problems
    assert [p for p in problems if p.header == "Value" and p.message], problems
    assert not IndicatorUpdate.objects.exists()


def test_excel_upload_reads_text_numbers_in_the_uploaders_language(
    client,
    users,
    kenya,
    period,
    kenya_indicators,  # noqa: F811
):
    client.force_login(users["field"])
    template = _download(client, kenya, period)
    filled = _fill(template, {"A.i.2": {"value": "7,5"}})
    english = _upload(client, filled, kenya, period)
    assert english.status_code == 400
    assert any("7.5" in p.message for p in english.context["preview"].problems)
    french = client.post(
        reverse("reporting:excel_upload"),
        {
            "office": kenya.pk,
            "period": period.pk,
            "file": SimpleUploadedFile("k.xlsx", filled),
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert not french.context["preview"].problems
    assert french.context["preview"].rows[0].values.value == Decimal("7.5")


# --- The API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e30", 1e30, "nan", "Infinity", "1,200", 10**30])
def test_api_refuses_1e30_with_a_field_error(users, number_indicator, kenya, period, value):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["field"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        "/api/v1/updates/",
        {"indicator": number_indicator.pk, "office": kenya.pk, "period": period.pk, "value": value},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "value" in response.json()["errors"]
    assert not IndicatorUpdate.objects.exists()


# --- Rows already stored out of range --------------------------------------------------------


@pytest.fixture
def stored_out_of_range(users, strategy, number_indicator, kenya, period):
    """Kenya's updates with figures beyond what the indicator allows, written around the rules
    with a raw UPDATE: a level 9 of 3 (both databases) and, where the column can hold it
    (SQLite), a count of 1e30."""
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="ii")
    ordinal = IndicatorFactory(
        deliverable=deliverable, code="A.ii.2", measure="ordinal", ordinal_levels=["L", "M", "H"]
    )
    AssignmentFactory(indicator=ordinal, office=kenya)
    level = update_save(
        user=users["field"],
        indicator=ordinal,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal(2)),
    )
    count = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal(5), disaggregations={"sex": {"female": 5}}),
    )
    with connection.cursor() as cursor:
        for table in ("reporting_indicatorupdate", "reporting_historicalindicatorupdate"):
            cursor.execute(f"UPDATE {table} SET value = 9 WHERE id = %s", [level.pk])  # noqa: S608
            if connection.vendor == "sqlite":
                cursor.execute(f"UPDATE {table} SET value = 1e30 WHERE id = %s", [count.pk])  # noqa: S608
    return {"level": level, "count": count}


def test_out_of_range_stored_row_breaks_no_page(
    client_as, users, stored_out_of_range, kenya, period
):
    level, count = stored_out_of_range["level"], stored_out_of_range["count"]
    field = client_as("field")
    # the entry page shows both rows, flagged
    page = field.get(entry_url(kenya, period))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("value-flag") >= (2 if connection.vendor == "sqlite" else 1)
    # the update pages (with their history)
    for update in (level, count):
        detail = field.get(reverse("reporting:update_detail", args=[update.pk]))
        assert detail.status_code == 200
        flagged = update is level or connection.vendor == "sqlite"
        assert ("value-flag" in detail.content.decode()) == flagged
    # the API list, flagged
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    token, _ = Token.objects.get_or_create(user=users["field"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listed = api.get("/api/v1/updates/")
    assert listed.status_code == 200
    flags = {row["id"]: row["out_of_range"] for row in listed.json()["results"]}
    assert "Level 9" in flags[level.pk]
    if connection.vendor == "sqlite":
        assert "too large" in flags[count.pk]
    # the Excel template
    template = field.get(
        reverse("reporting:excel_download"), {"office": kenya.pk, "period": period.pk}
    )
    assert template.status_code == 200
    # the admin's history of the update
    admin = client_as("admin")
    history = admin.get(reverse("admin:reporting_indicatorupdate_history", args=[count.pk]))
    assert history.status_code in (200, 302, 403)
    assert history.status_code != 500


def test_out_of_range_row_in_the_template_is_marked(client_as, stored_out_of_range, kenya, period):
    import io

    content = _download(client_as("field"), kenya, period)
    workbook = load_workbook(io.BytesIO(content))
    text = " ".join(str(c.value) for row in workbook["Updates"].iter_rows() for c in row if c.value)
    assert "Level 9" in text


def test_out_of_range_value_in_review_queue(client_as, users, stored_out_of_range, period):
    level = stored_out_of_range["level"]
    IndicatorUpdate.objects.filter(pk=level.pk).update(status=Status.SUBMITTED)
    UpdateFactory  # noqa: B018 (factories stay importable for other cases)
    page = client_as("reviewer").get(reverse("reporting:review_queue"))
    assert page.status_code == 200
    assert "value-flag" in page.content.decode()
