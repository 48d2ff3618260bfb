"""My reporting: the one form with every assigned indicator; validation beside the fields,
nothing typed is lost, conflicts, locked periods, evidence, and a bounded number of queries."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from deliverables.models import Indicator
from reporting.models import IndicatorUpdate, ReportingPeriod, UpdateEvidence
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_return, update_save, update_submit
from tests.factories import (
    AssignmentFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    Role,
    grant,
)
from tests.reporting.entry_fixtures import entry_url, row_data

Status = IndicatorUpdate.Status


def _rows(response) -> dict:
    """Return the rendered rows keyed by indicator code."""
    return {row.indicator.code: row for row in response.context["rows"]}


def test_my_reporting_lists_every_assigned_indicator_with_what_the_enterer_needs(
    client_as, users, number_indicator, percentage_indicator, kenya, period, periods
):
    # given an office target for Kenya and an approved value in the previous quarter
    IndicatorTargetFactory(indicator=number_indicator, year=2023, office=kenya, value=700)
    previous = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=periods[-2],
        values=UpdateValues(
            value=Decimal("35"), disaggregations={"sex": {"female": 15, "male": 20}}
        ),
    )
    update_submit(user=users["field"], update=previous)
    # when field staff open My reporting without choosing anything
    response = client_as("field").get(reverse("reporting:my_reporting"))
    # then the latest open period of their office is shown, with both indicators
    assert response.status_code == 200
    assert response.context["period"] == period
    rows = _rows(response)
    assert set(rows) == {"A.i.1", "O.a.1"}
    assert rows["A.i.1"].target == Decimal("700")
    assert rows["A.i.1"].target_is_office
    assert rows["O.a.1"].target == Decimal("60")
    assert rows["A.i.1"].previous_value == Decimal("35")
    html = response.content.decode()
    assert f'name="r{percentage_indicator.pk}-numerator"' in html
    assert f'name="r{number_indicator.pk}-dis_sex_female"' in html
    assert "csrfmiddlewaretoken" in html


@pytest.mark.parametrize(
    ("measure", "extra", "expected_inputs"),
    [
        ("yes_no", {}, ['type="radio"', 'value="1"', 'value="0"']),
        ("ordinal", {"ordinal_levels": ["None", "Partial", "Full"]}, ["2 — Partial", "<select"]),
        ("qualitative", {}, ["<textarea", "-text"]),
    ],
)
def test_my_reporting_inputs_fit_the_measure(
    client_as, strategy, kenya, period, users, measure, extra, expected_inputs
):
    deliverable = strategy.outcome_set.get(code="c").deliverables.get(code="i")
    indicator = IndicatorFactory(deliverable=deliverable, code="C.i.9", measure=measure, **extra)
    AssignmentFactory(indicator=indicator, office=kenya)
    html = client_as("field").get(entry_url(kenya, period)).content.decode()
    for snippet in expected_inputs:
        assert snippet in html


def test_my_reporting_save_drafts_saves_changed_rows_only(
    client_as, users, number_indicator, percentage_indicator, kenya, period
):
    # when field staff fill in one of the two rows and save drafts
    data = {
        **row_data(number_indicator, value="12", dis_sex_female="5", dis_sex_male="7"),
        **row_data(percentage_indicator),
        "action": "save",
    }
    response = client_as("field").post(entry_url(kenya, period), data)
    # then that row is saved as a draft and nothing is created for the other
    assert response.status_code == 302
    update = IndicatorUpdate.objects.get(indicator=number_indicator, office=kenya)
    assert (update.status, update.value) == (Status.DRAFT, Decimal("12"))
    assert update.disaggregations == {"sex": {"female": 5, "male": 7}}
    assert not IndicatorUpdate.objects.filter(indicator=percentage_indicator).exists()


def test_my_reporting_submit_one_row(client_as, number_indicator, kenya, period, kenya_draft):
    data = {**row_data(number_indicator, version=kenya_draft.version), "submit_row": ""}
    data[f"r{number_indicator.pk}-value"] = "40"
    data[f"r{number_indicator.pk}-dis_sex_female"] = "20"
    data[f"r{number_indicator.pk}-dis_sex_male"] = "20"
    data[f"r{number_indicator.pk}-narrative"] = kenya_draft.narrative
    data["submit_row"] = f"r{number_indicator.pk}"
    response = client_as("field").post(entry_url(kenya, period), data)
    assert response.status_code == 302
    kenya_draft.refresh_from_db()
    assert kenya_draft.status == Status.SUBMITTED
    # and the row is now read-only
    page = client_as("field").get(entry_url(kenya, period))
    assert _rows(page)["A.i.1"].form is None


def test_my_reporting_submit_all_ready_sends_rows_with_values_and_skips_empty_ones(
    client_as, number_indicator, percentage_indicator, kenya, period
):
    data = {
        **row_data(number_indicator, value="6", dis_sex_female="3", dis_sex_male="3"),
        **row_data(percentage_indicator),
        "action": "submit_all",
    }
    response = client_as("field").post(entry_url(kenya, period), data)
    assert response.status_code == 302
    assert IndicatorUpdate.objects.get(indicator=number_indicator).status == Status.SUBMITTED
    assert not IndicatorUpdate.objects.filter(indicator=percentage_indicator).exists()


# --- Validation: beside the field, typed input kept -------------------------------------------


@pytest.mark.parametrize(
    ("indicator_name", "typed", "action", "field", "message"),
    [
        (
            "percentage_indicator",
            {"numerator": "30", "denominator": "20"},
            "save",
            "numerator",
            "cannot be larger than the denominator",
        ),
        (
            "percentage_indicator",
            {"numerator": "0", "denominator": "0"},
            "save",
            "denominator",
            "greater than zero",
        ),
        ("number_indicator", {"value": "-4"}, "save", "value", "cannot be negative"),
        ("number_indicator", {"value": "twelve"}, "save", "value", "Enter a number"),
        (
            "number_indicator",
            {"value": "10", "dis_sex_female": "3", "dis_sex_male": "4"},
            "submit_all",
            None,
            "adds up to 7, not the total 10",
        ),
        (
            "number_indicator",
            {"value": "10", "dis_sex_female": "-1"},
            "save",
            "dis_sex_female",
            "zero or more",
        ),
        (
            "number_indicator",
            {"narrative": "Nothing yet", "dis_sex_female": "1"},
            "submit_row",
            "value",
            "Enter a value before submitting",
        ),
        (
            "percentage_indicator",
            {"narrative": "Only words"},
            "submit_row",
            "numerator",
            "Enter a value before submitting",
        ),
    ],
)
def test_my_reporting_validation_errors_show_beside_the_field_and_keep_input(
    request, client_as, kenya, period, indicator_name, typed, action, field, message
):
    # given an indicator row with values that break a rule
    indicator = request.getfixturevalue(indicator_name)
    data = row_data(indicator, **typed)
    if action == "submit_row":
        data["submit_row"] = f"r{indicator.pk}"
    else:
        data["action"] = action
    # when they are posted
    response = client_as("field").post(entry_url(kenya, period), data)
    # then the page comes back with the message beside the field and every typed value kept
    assert response.status_code == 200
    form = _rows(response)[indicator.code].form
    errors = form.dimension_errors["sex"] if field is None else form.errors[field]
    assert any(message in e for e in errors), errors
    for name, value in typed.items():
        assert form[name].value() == value
    assert message in response.content.decode().replace("&#x27;", "'")
    # and nothing was submitted
    assert not IndicatorUpdate.objects.filter(indicator=indicator, status=Status.SUBMITTED).exists()


def test_my_reporting_large_change_needs_a_narrative_before_submission(
    client_as, users, number_indicator, kenya, period, periods
):
    # given 10 people reported last quarter
    previous = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=periods[-2],
        values=UpdateValues(value=Decimal("10"), disaggregations={"sex": {"female": 10}}),
    )
    update_submit(user=users["field"], update=previous)
    typed = {"value": "100", "dis_sex_female": "50", "dis_sex_male": "50"}
    # when 100 is submitted without a narrative
    response = client_as("field").post(
        entry_url(kenya, period), {**row_data(number_indicator, **typed), "action": "submit_all"}
    )
    # then the narrative asks for an explanation, the draft is saved, the figures are kept
    assert response.status_code == 200
    form = _rows(response)["A.i.1"].form
    assert "Explain the change in the narrative" in form.errors["narrative"][0]
    assert form["value"].value() == "100"
    update = IndicatorUpdate.objects.get(indicator=number_indicator, office=kenya, period=period)
    assert update.status == Status.DRAFT
    # when they explain and submit again with the version now shown
    response = client_as("field").post(
        entry_url(kenya, period),
        {
            **row_data(
                number_indicator,
                version=form["version"].value(),
                narrative="New caseload after floods.",
                **typed,
            ),
            "action": "submit_all",
        },
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("name", "content", "max_bytes", "message"),
    [
        ("tool.exe", b"MZ...", 1000, "not a file type you can attach"),
        ("report.pdf", b"x" * 50, 20, "the largest file you can attach is"),
    ],
)
def test_my_reporting_bad_evidence_is_refused_beside_the_file_input(
    settings, client_as, number_indicator, kenya, period, name, content, max_bytes, message
):
    settings.EVIDENCE_MAX_BYTES = max_bytes
    data = {
        **row_data(number_indicator, value="8", narrative="Typed text"),
        f"r{number_indicator.pk}-evidence": SimpleUploadedFile(name, content),
        "action": "save",
    }
    response = client_as("field").post(entry_url(kenya, period), data)
    assert response.status_code == 200
    form = _rows(response)["A.i.1"].form
    assert message in form.errors["evidence"][0]
    assert form["narrative"].value() == "Typed text"
    # the row's values and the file are saved together or not at all
    assert not IndicatorUpdate.objects.filter(indicator=number_indicator).exists()
    assert not UpdateEvidence.objects.exists()


def test_my_reporting_good_evidence_is_stored_and_downloadable(
    client_as, number_indicator, kenya, period
):
    data = {
        **row_data(number_indicator, value="8"),
        f"r{number_indicator.pk}-evidence": SimpleUploadedFile("list.csv", b"a,b\n1,2\n"),
        "action": "save",
    }
    assert client_as("field").post(entry_url(kenya, period), data).status_code == 302
    evidence = UpdateEvidence.objects.get()
    assert (evidence.original_name, evidence.size) == ("list.csv", 8)
    response = client_as("field").get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"


# --- Conflicts and periods -------------------------------------------------------------------


def test_my_reporting_concurrent_edit_is_refused_and_shows_the_newer_values(
    client_as, number_indicator, kenya, period, kenya_draft
):
    # given two people who both loaded version 1 of Kenya's draft
    version = kenya_draft.version
    first = client_as("field").post(
        entry_url(kenya, period),
        {**row_data(number_indicator, version=version, value="55"), "action": "save"},
    )
    assert first.status_code == 302
    # when the second saves with the version they loaded
    second = client_as("admin").post(
        entry_url(kenya, period),
        {**row_data(number_indicator, version=version, value="66"), "action": "save"},
    )
    # then they are told, shown the newer value, and keep what they typed
    assert second.status_code == 200
    form = _rows(second)["A.i.1"].form
    assert form.conflict.value == Decimal("55")
    assert form["value"].value() == "66"
    html = second.content.decode()
    assert "Someone else saved this indicator" in html
    assert "55 people" in html
    kenya_draft.refresh_from_db()
    assert kenya_draft.value == Decimal("55")
    # and saving again, having seen it, is a deliberate overwrite
    assert form["version"].value() == str(kenya_draft.version)


@pytest.mark.parametrize("state", [ReportingPeriod.State.LOCKED, ReportingPeriod.State.CLOSED])
def test_my_reporting_locked_or_closed_period_refuses_with_a_clear_message(
    client_as, number_indicator, kenya, period, state
):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=state)
    page = client_as("field").get(entry_url(kenya, period))
    assert page.status_code == 200
    word = "locked" if state == ReportingPeriod.State.LOCKED else "closed"
    assert f"is {word}" in page.content.decode()
    assert 'disabled="disabled"' in page.content.decode()
    response = client_as("field").post(
        entry_url(kenya, period), {**row_data(number_indicator, value="9"), "action": "save"}
    )
    assert response.status_code == 200
    form = _rows(response)["A.i.1"].form
    assert f"is {word}" in " ".join(form.non_field_errors())
    assert form["value"].value() == "9"
    assert not IndicatorUpdate.objects.exists()


def test_my_reporting_returned_update_shows_the_comment_and_can_be_resubmitted(
    client_as, users, number_indicator, kenya, period, kenya_submitted
):
    # given the reviewer returned Kenya's update, and then the period was closed
    returned = update_return(
        user=users["reviewer"], update=kenya_submitted, comment="The sex split is swapped."
    )
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    # when field staff open My reporting
    page = client_as("field").get(reverse("reporting:my_reporting"))
    # then the closed period is offered for the correction, and shows the comment
    assert period in page.context["periods"]
    assert f"Correct {period.code}" in page.content.decode()
    page = client_as("field").get(entry_url(kenya, period))
    assert "The sex split is swapped." in page.content.decode()
    assert _rows(page)["A.i.1"].form is not None
    # and they fix and resubmit it
    data = {
        **row_data(
            number_indicator,
            version=returned.version,
            value="40",
            dis_sex_female="20",
            dis_sex_male="20",
            narrative="Corrected.",
        ),
        "submit_row": f"r{number_indicator.pk}",
    }
    response = client_as("field").post(entry_url(kenya, period), data)
    assert response.status_code == 302
    returned.refresh_from_db()
    assert (returned.status, returned.narrative) == (Status.SUBMITTED, "Corrected.")


def test_my_reporting_form_requires_a_csrf_token(users, number_indicator, kenya, period):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["field"])
    response = client.post(
        entry_url(kenya, period), {**row_data(number_indicator, value="5"), "action": "save"}
    )
    assert response.status_code == 403
    assert not IndicatorUpdate.objects.exists()


# --- A bounded number of queries -------------------------------------------------------------


@pytest.mark.parametrize("history_periods", [1, 5])
def test_my_reporting_renders_40_indicators_in_a_bounded_number_of_queries(
    client_as, users, strategy, kenya, periods, django_assert_max_num_queries, history_periods
):
    # given 40 indicators assigned to Kenya, of every measure, with targets and evidence,
    # and a submitted value in each of the last N periods
    deliverable = strategy.outcome_set.get(code="b").deliverables.get(code="i")
    measures = ["number", "percentage", "yes_no", "ordinal", "qualitative"]
    indicators = []
    for n in range(40):
        measure = measures[n % 5]
        indicator = IndicatorFactory(
            deliverable=deliverable,
            code=f"B.i.{n:02d}",
            measure=measure,
            ordinal_levels=["Low", "Mid", "High"] if measure == "ordinal" else [],
            disaggregations=["sex", "age"] if measure == "number" else [],
        )
        IndicatorTargetFactory(indicator=indicator, year=2023, value=50)
        IndicatorTargetFactory(indicator=indicator, year=2023, office=kenya, value=40)
        AssignmentFactory(indicator=indicator, office=kenya)
        indicators.append(indicator)
    current = periods[-1]
    for period in periods[-1 - history_periods :]:
        for indicator in indicators:
            values = {
                "number": {"value": Decimal(10)},
                "percentage": {"value": Decimal(50), "numerator": 1, "denominator": 2},
                "yes_no": {"value": Decimal(1)},
                "ordinal": {"value": Decimal(2)},
                "qualitative": {"value": None, "text": "Words"},
            }[indicator.measure]
            update = IndicatorUpdate.objects.create(
                indicator=indicator,
                office=kenya,
                period=period,
                measure=indicator.measure,
                status=Status.DRAFT if period == current else Status.SUBMITTED,
                **values,
            )
            UpdateEvidence.objects.create(
                update=update, file="x.pdf", original_name="x.pdf", size=1
            )
    client = client_as("field")
    # when the page renders, then the number of queries does not grow with history (10 today:
    # session, user, roles, offices, periods, then four for the rows and one for messages)
    with django_assert_max_num_queries(12):
        response = client.get(entry_url(kenya, current))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 40
    assert response.context["rows"][0].previous_value == Decimal("10")


def test_my_reporting_is_for_field_staff_of_the_office(client_as, number_indicator, kenya, period):
    assert client_as("field_ug").get(entry_url(kenya, period)).status_code == 403
    assert client_as("steering").get(reverse("reporting:my_reporting")).status_code == 403


def test_my_reporting_ordinal_labels_and_yes_no_are_saved(client_as, strategy, kenya, period):
    deliverable = strategy.outcome_set.get(code="c").deliverables.get(code="ii")
    ordinal = IndicatorFactory(
        deliverable=deliverable,
        code="C.ii.1",
        measure=Indicator.Measure.ORDINAL,
        ordinal_levels=["None", "Partial", "Full"],
    )
    yes_no = IndicatorFactory(deliverable=deliverable, code="C.ii.2", measure="yes_no")
    for indicator in (ordinal, yes_no):
        AssignmentFactory(indicator=indicator, office=kenya)
    data = {**row_data(ordinal, value="3"), **row_data(yes_no, value="1"), "action": "submit_all"}
    assert client_as("field").post(entry_url(kenya, period), data).status_code == 302
    assert IndicatorUpdate.objects.get(indicator=ordinal).value == 3
    assert IndicatorUpdate.objects.get(indicator=yes_no).status == Status.SUBMITTED


def test_my_reporting_offers_a_choice_of_office_to_someone_with_several(
    client_as, users, number_indicator, kenya, uganda, period
):
    grant(users["field"], Role.FIELD_STAFF, office=uganda)
    client = client_as("field")
    page = client.get(reverse("reporting:my_reporting"))
    assert [o.name for o in page.context["offices"]] == ["Kenya", "Uganda"]
    assert 'id="pick-office"' in page.content.decode()
    page = client.get(entry_url(uganda, period))
    assert page.context["office"] == uganda
    url = reverse("reporting:my_reporting")
    assert client.get(url, {"office": kenya.pk, "period": "abc"}).status_code == 400
    assert client.get(url, {"office": 999999}).status_code == 403


def test_update_detail_unknown_update_is_404(client_as):
    assert (
        client_as("admin").get(reverse("reporting:update_detail", args=[999999])).status_code == 404
    )
