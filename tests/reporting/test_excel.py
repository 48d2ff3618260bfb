"""The Excel round-trip: download a pre-filled template, fill it with openpyxl, upload, preview,
confirm. Every upload file here is built from the template the server sent (a real round-trip).
"""

import io
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from deliverables.models import Indicator
from reporting.excel.columns import COLUMN_INDEX, FIRST_DATA_ROW, KEY_ROW
from reporting.excel.template import excel_template_build
from reporting.excel.upload import excel_upload_parse
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_save, update_submit
from tests.factories import AssignmentFactory, IndicatorFactory

Status = IndicatorUpdate.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test keeps its waiting uploads in a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path)


# --- Given: Kenya reports on one indicator of each measure -----------------------------------


@pytest.fixture
def kenya_indicators(strategy, kenya, number_indicator, percentage_indicator):
    """Kenya's assigned indicators by code: number (A.i.1, by sex), percentage (O.a.1), a second
    count by sex and age (A.i.2), yes/no (A.ii.1), ordinal (A.ii.2), qualitative (A.ii.3)."""
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="ii")
    made = {
        "A.i.2": IndicatorFactory(
            deliverable=deliverable,
            code="A.i.2",
            name="Migrants given legal aid",
            disaggregations=["sex", "age"],
        ),
        "A.ii.1": IndicatorFactory(
            deliverable=deliverable, code="A.ii.1", name="Policy adopted", measure="yes_no"
        ),
        "A.ii.2": IndicatorFactory(
            deliverable=deliverable,
            code="A.ii.2",
            name="Capacity level",
            measure="ordinal",
            ordinal_levels=["Low", "Medium", "High"],
        ),
        "A.ii.3": IndicatorFactory(
            deliverable=deliverable, code="A.ii.3", name="Main achievements", measure="qualitative"
        ),
    }
    for indicator in made.values():
        AssignmentFactory(indicator=indicator, office=kenya)
    return {"A.i.1": number_indicator, "O.a.1": percentage_indicator, **made}


def _save(users, indicator, office, period, **values):
    return update_save(
        user=users["field"],
        indicator=indicator,
        office=office,
        period=period,
        values=UpdateValues(**values),
    )


def _download(client, office, period) -> bytes:
    response = client.get(
        reverse("reporting:excel_download"), {"office": office.pk, "period": period.pk}
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    return response.content


def _rows(workbook) -> dict[str, int]:
    """Return the sheet row of each indicator code."""
    sheet = workbook["Updates"]
    column = COLUMN_INDEX["indicator_code"]
    return {
        sheet.cell(row=r, column=column).value: r
        for r in range(FIRST_DATA_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=column).value
    }


def _cell(workbook, code: str, key: str):
    return workbook["Updates"].cell(row=_rows(workbook)[code], column=COLUMN_INDEX[key])


def _fill(content: bytes, changes: dict[str, dict], extra_rows: list[dict] | None = None) -> bytes:
    """Return the template with the given cells (by indicator code and column key) filled."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Updates"]
    for code, cells in changes.items():
        for key, value in cells.items():
            _cell(workbook, code, key).value = value
    for extra in extra_rows or []:
        row = sheet.max_row + 1
        for key, value in extra.items():
            sheet.cell(row=row, column=COLUMN_INDEX[key], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, office, period, name="kenya.xlsx"):
    return client.post(
        reverse("reporting:excel_upload"),
        {"office": office.pk, "period": period.pk, "file": SimpleUploadedFile(name, data, XLSX)},
    )


def _problems(response) -> set[tuple]:
    return {(p.row, p.column, p.header) for p in response.context["preview"].problems}


def _db_state():
    """Everything an upload could change: the updates and their history."""
    return (
        sorted(
            IndicatorUpdate.objects.values_list(
                "indicator__code", "status", "version", "value", "numerator", "narrative"
            )
        ),
        IndicatorUpdate.history.count(),
    )


def _imports_dir_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


# --- The template ----------------------------------------------------------------------------


def test_excel_template_contains_every_assigned_indicator_with_current_values(
    client, users, kenya, period, kenya_indicators
):
    # given a draft and a submitted update for Kenya
    draft = _save(
        users,
        kenya_indicators["A.i.1"],
        kenya,
        period,
        value=Decimal(40),
        disaggregations={"sex": {"female": 25, "male": 15}},
        narrative="Two camps",
    )
    submitted = _save(
        users,
        kenya_indicators["O.a.1"],
        kenya,
        period,
        numerator=Decimal(3),
        denominator=Decimal(4),
    )
    submitted = update_submit(user=users["field"], update=submitted)
    client.force_login(users["field"])
    # when the field staff downloads the template
    workbook = load_workbook(io.BytesIO(_download(client, kenya, period)))
    # then it has instructions and one row per assigned indicator with its current values
    assert workbook.sheetnames[:2] == ["Instructions", "Updates"]
    instructions = " ".join(
        str(c.value) for row in workbook["Instructions"].iter_rows() for c in row if c.value
    )
    assert "nothing is saved" in instructions.lower()
    assert set(_rows(workbook)) == set(kenya_indicators)
    sheet = workbook["Updates"]
    assert sheet.cell(row=KEY_ROW, column=COLUMN_INDEX["sex:female"]).value == "sex:female"
    assert sheet.freeze_panes is not None
    assert sheet.protection.sheet is True
    assert _cell(workbook, "A.i.1", "value").value == 40
    assert _cell(workbook, "A.i.1", "sex:female").value == 25
    assert _cell(workbook, "A.i.1", "narrative").value == "Two camps"
    assert _cell(workbook, "A.i.1", "version").value == draft.version
    assert _cell(workbook, "A.i.1", "office_code").value == kenya.code
    assert _cell(workbook, "A.i.1", "period_code").value == period.code
    assert _cell(workbook, "A.i.1", "target").value == 1000
    assert _cell(workbook, "A.i.1", "value").protection.locked is False
    # the submitted row is shown but locked; indicators not started have version 0
    assert _cell(workbook, "O.a.1", "numerator").value == 3
    assert _cell(workbook, "O.a.1", "version").value == submitted.version
    assert "not editable" in _cell(workbook, "O.a.1", "status").value
    assert _cell(workbook, "O.a.1", "numerator").protection.locked is True
    assert _cell(workbook, "A.ii.2", "version").value == 0
    assert _cell(workbook, "A.ii.2", "status").value == "Not started"
    # identity columns are hidden; a category the indicator does not use is locked
    assert sheet.column_dimensions["A"].hidden is True
    assert _cell(workbook, "A.i.1", "age:0_17").protection.locked is True
    validations = {str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    level_cell = _cell(workbook, "A.ii.2", "level").coordinate
    assert level_cell in validations


def test_excel_template_refuses_another_office(users, kenya, period, kenya_indicators):
    with pytest.raises(PermissionDenied):
        excel_template_build(user=users["field_ug"], office=kenya, period=period)


# --- A good upload ---------------------------------------------------------------------------


def test_excel_good_upload_previews_then_saves_everything_on_confirm(
    client, users, kenya, period, kenya_indicators
):
    # given Kenya's template, filled for every indicator, some rows marked for submission
    existing = _save(users, kenya_indicators["A.ii.3"], kenya, period, text="Draft text")
    client.force_login(users["field"])
    filled = _fill(
        _download(client, kenya, period),
        {
            "A.i.1": {
                "value": 50,
                "sex:female": 30,
                "sex:male": 20,
                "narrative": "Two new camps",
                "submit": "Yes",
            },
            "O.a.1": {"numerator": 3, "denominator": 4},
            "A.ii.1": {"yes_no": "Yes", "submit": "Yes"},
            "A.ii.2": {"level": "Medium"},
            "A.ii.3": {"text": "Trained 40 officials", "submit": "Yes"},
        },
    )
    before = _db_state()
    # when it is uploaded
    response = _upload(client, filled, kenya, period)
    # then the preview lists what will change and nothing is saved yet
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.problems == []
    assert {row.indicator.code for row in preview.rows} == {
        "A.i.1",
        "O.a.1",
        "A.ii.1",
        "A.ii.2",
        "A.ii.3",
    }
    assert preview.unchanged == 1  # A.i.2 was left empty
    assert preview.submit_count == 3
    text_row = next(r for r in preview.rows if r.indicator.code == "A.ii.3")
    assert [(c.before, c.after) for c in text_row.changes] == [
        ("Draft text", "Trained 40 officials")
    ]
    assert "Confirm and save" in response.content.decode()
    assert _db_state() == before
    assert len(_imports_dir_files()) == 1

    # when the upload is confirmed
    response = client.post(
        reverse("reporting:excel_confirm"),
        {"token": response.context["token"], "action": "confirm"},
    )
    # then everything is saved through the workflow, with history, and the file is gone
    assert response.status_code == 302
    updates = {u.indicator.code: u for u in IndicatorUpdate.objects.filter(office=kenya)}
    assert set(updates) == set(kenya_indicators) - {"A.i.2"}
    number = updates["A.i.1"]
    assert (number.value, number.status) == (Decimal(50), Status.SUBMITTED)
    assert number.disaggregations == {"sex": {"female": 30, "male": 20}}
    assert number.narrative == "Two new camps"
    assert number.submitted_by == users["field"]
    assert (updates["O.a.1"].value, updates["O.a.1"].status) == (Decimal(75), Status.DRAFT)
    assert (updates["A.ii.1"].value, updates["A.ii.1"].status) == (Decimal(1), Status.SUBMITTED)
    assert (updates["A.ii.2"].value, updates["A.ii.2"].status) == (Decimal(2), Status.DRAFT)
    assert updates["A.ii.3"].text == "Trained 40 officials"
    assert updates["A.ii.3"].status == Status.SUBMITTED
    assert updates["A.ii.3"].pk == existing.pk
    reasons = list(number.history.values_list("history_change_reason", flat=True))
    assert reasons == ["Submitted", "Created"]
    assert number.history.first().history_user == users["field"]
    assert list(updates["A.ii.3"].history.values_list("history_change_reason", flat=True)) == [
        "Submitted",
        "Edited",
        "Created",
    ]
    assert _imports_dir_files() == []
    # and uploading the same file again changes nothing (and is not a conflict)
    again = _upload(client, filled, kenya, period)
    assert again.context["preview"].rows == []
    assert again.context["preview"].problems == []


def test_excel_upload_cancelled_saves_nothing(client, users, kenya, period, kenya_indicators):
    client.force_login(users["field"])
    filled = _fill(_download(client, kenya, period), {"A.i.1": {"value": 5}})
    response = _upload(client, filled, kenya, period)
    response = client.post(
        reverse("reporting:excel_confirm"),
        {"token": response.context["token"], "action": "cancel"},
    )
    assert response.status_code == 302
    assert IndicatorUpdate.objects.count() == 0
    assert _imports_dir_files() == []


# --- Bad uploads -----------------------------------------------------------------------------


def test_excel_bad_upload_saves_nothing_and_lists_each_problem_by_row_and_column(
    client, users, kenya, period, kenya_indicators
):
    # given a draft already stored, and a file with one good row and three bad ones
    _save(users, kenya_indicators["A.ii.3"], kenya, period, text="Draft text")
    client.force_login(users["field"])
    template = _download(client, kenya, period)
    filled = _fill(
        template,
        {
            "A.i.1": {"value": 50, "sex:female": 30, "sex:male": 20, "submit": "Yes"},  # good
            "A.ii.3": {"text": "Changed text"},  # good too
            "O.a.1": {"numerator": 7, "denominator": 5},  # numerator > denominator
            "A.i.2": {  # the age breakdown does not add up
                "value": 10,
                "sex:female": 5,
                "sex:male": 5,
                "age:0_17": 2,
                "age:18_59": 2,
                "submit": "Yes",
            },
        },
        extra_rows=[
            {"indicator_code": "Z.9.9", "office_code": kenya.code, "period_code": period.code}
        ],
    )
    before = _db_state()
    # when it is uploaded
    response = _upload(client, filled, kenya, period)
    # then nothing is saved, not even the good rows, and each problem names its row and column
    assert response.status_code == 400
    assert _db_state() == before
    assert _imports_dir_files() == []
    workbook = load_workbook(io.BytesIO(filled))
    rows = _rows(workbook)
    letter = {key: _cell(workbook, "A.i.1", key).column_letter for key in COLUMN_INDEX}
    assert _problems(response) == {
        (rows["O.a.1"], letter["numerator"], "Numerator"),
        (rows["A.i.2"], letter["age:0_17"], "Age: 0–17"),
        (rows["Z.9.9"], letter["indicator_code"], "Indicator code"),
    }
    messages = {p.message for p in response.context["preview"].problems}
    assert "The numerator (7) cannot be larger than the denominator (5)." in messages
    assert "The age breakdown adds up to 4, not the total 10." in messages
    assert any("Unknown indicator code “Z.9.9”" in m for m in messages)
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert "Confirm and save" not in page


def test_excel_stale_version_row_is_refused(client, users, kenya, period, kenya_indicators):
    # given a template downloaded, then someone else saves the same update
    client.force_login(users["field"])
    template = _download(client, kenya, period)
    _save(users, kenya_indicators["A.i.1"], kenya, period, value=Decimal(7))
    filled = _fill(template, {"A.i.1": {"value": 9}, "A.ii.1": {"yes_no": "No"}})
    before = _db_state()
    # when the stale file is uploaded
    response = _upload(client, filled, kenya, period)
    # then that row is refused as a conflict and nothing is saved
    assert response.status_code == 400
    [problem] = response.context["preview"].problems
    assert problem.row == _rows(load_workbook(io.BytesIO(filled)))["A.i.1"]
    assert problem.header == "Version"
    assert "changed by someone else since you downloaded the template" in problem.message
    assert _db_state() == before


def test_excel_change_between_preview_and_confirm_is_refused(
    client, users, kenya, period, kenya_indicators
):
    # given a previewed upload
    client.force_login(users["field"])
    filled = _fill(
        _download(client, kenya, period), {"A.i.1": {"value": 9}, "A.ii.1": {"yes_no": "No"}}
    )
    preview = _upload(client, filled, kenya, period)
    assert preview.status_code == 200
    # when someone else saves A.i.1 before the confirmation
    _save(users, kenya_indicators["A.i.1"], kenya, period, value=Decimal(7))
    before = _db_state()
    response = client.post(
        reverse("reporting:excel_confirm"),
        {"token": preview.context["token"], "action": "confirm"},
    )
    # then nothing is saved, not even the other row
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    assert _db_state() == before
    assert _imports_dir_files() == []


def test_excel_locked_period_is_refused(client, users, kenya, period, kenya_indicators):
    client.force_login(users["field"])
    filled = _fill(_download(client, kenya, period), {"A.i.1": {"value": 9}})
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.LOCKED)
    response = _upload(client, filled, kenya, period)
    assert response.status_code == 400
    [problem] = response.context["preview"].problems
    assert problem.row is None
    assert "is locked" in problem.message
    assert IndicatorUpdate.objects.count() == 0


def test_excel_closed_period_refuses_new_updates_but_takes_returned_ones(
    client, users, kenya, period, kenya_indicators
):
    # given a returned update and a period closed to new submissions
    returned = _save(users, kenya_indicators["A.ii.1"], kenya, period, value=Decimal(1))
    returned = update_submit(user=users["field"], update=returned)
    from reporting.services.workflow import update_return

    update_return(user=users["reviewer"], update=returned, comment="Check the source")
    client.force_login(users["field"])
    template = _download(client, kenya, period)
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    # when the returned row and a new one are uploaded: the new one is refused
    both = _fill(template, {"A.ii.1": {"yes_no": "No", "submit": "Yes"}, "A.i.1": {"value": 3}})
    response = _upload(client, both, kenya, period)
    assert response.status_code == 400
    [problem] = response.context["preview"].problems
    assert problem.row == _rows(load_workbook(io.BytesIO(both)))["A.i.1"]
    assert "closed" in problem.message
    # the returned one alone goes through
    only_returned = _fill(template, {"A.ii.1": {"yes_no": "No", "submit": "Yes"}})
    response = _upload(client, only_returned, kenya, period)
    assert response.status_code == 200
    client.post(
        reverse("reporting:excel_confirm"),
        {"token": response.context["token"], "action": "confirm"},
    )
    update = IndicatorUpdate.objects.get(indicator__code="A.ii.1", office=kenya)
    assert (update.value, update.status) == (Decimal(0), Status.SUBMITTED)


def test_excel_submitted_row_cannot_be_changed(client, users, kenya, period, kenya_indicators):
    update = _save(users, kenya_indicators["A.ii.1"], kenya, period, value=Decimal(1))
    update_submit(user=users["field"], update=update)
    client.force_login(users["field"])
    filled = _fill(_download(client, kenya, period), {"A.ii.1": {"yes_no": "No"}})
    response = _upload(client, filled, kenya, period)
    assert response.status_code == 400
    [problem] = response.context["preview"].problems
    assert "can no longer be edited" in problem.message


def test_excel_cells_of_another_measure_or_unused_breakdown_are_refused(
    client, users, kenya, period, kenya_indicators
):
    client.force_login(users["field"])
    filled = _fill(
        _download(client, kenya, period),
        {"A.i.1": {"value": 4, "numerator": 1, "age:60_plus": 4}, "A.ii.2": {"level": "Huge"}},
    )
    response = _upload(client, filled, kenya, period)
    assert response.status_code == 400
    headers = {p.header for p in response.context["preview"].problems}
    assert headers == {"Numerator", "Age: 60+", "Level"}


def test_excel_non_xlsx_file_gets_a_clear_error(client, users, kenya, period, kenya_indicators):
    client.force_login(users["field"])
    # a file not named .xlsx is refused by the form
    response = _upload(client, b"indicator,value\nA.i.1,4\n", kenya, period, name="data.csv")
    assert response.status_code == 400
    assert "Upload an Excel file ending in .xlsx" in response.content.decode()
    # a file named .xlsx that is not one is refused by the parser
    response = _upload(client, b"not really a workbook", kenya, period, name="data.xlsx")
    assert response.status_code == 400
    [problem] = response.context["preview"].problems
    assert "not an Excel (.xlsx) file" in problem.message
    assert IndicatorUpdate.objects.count() == 0


def test_excel_file_for_another_office_is_refused(users, kenya, uganda, period, kenya_indicators):
    # given Kenya's template uploaded as if it were Uganda's (by an administrator)
    template = excel_template_build(user=users["admin"], office=kenya, period=period)
    preview = excel_upload_parse(user=users["admin"], office=uganda, period=period, file=template)
    [problem] = preview.problems
    assert "made for office co-ke" in problem.message


def test_excel_template_with_missing_columns_is_refused(users, kenya, period, kenya_indicators):
    template = excel_template_build(user=users["field"], office=kenya, period=period)
    workbook = load_workbook(io.BytesIO(template))
    workbook["Updates"].delete_cols(COLUMN_INDEX["narrative"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = excel_upload_parse(
        user=users["field"], office=kenya, period=period, file=buffer.getvalue()
    )
    [problem] = preview.problems
    assert "Columns are missing: Narrative" in problem.message


# --- Permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["field_ug", "reviewer", "steering", "hq", "norole"])
def test_excel_others_get_403(client, users, who, kenya, period, kenya_indicators):
    client.force_login(users[who])
    params = {"office": kenya.pk, "period": period.pk}
    assert client.get(reverse("reporting:excel_download"), params).status_code == 403
    upload = client.post(
        reverse("reporting:excel_upload"),
        {**params, "file": SimpleUploadedFile("k.xlsx", b"PK", XLSX)},
    )
    assert upload.status_code == 403
    page = client.get(reverse("reporting:excel"))
    assert page.status_code == (200 if who == "field_ug" else 403)
    assert IndicatorUpdate.objects.count() == 0


def test_excel_page_lists_only_the_users_offices(client, users, kenya, uganda, period):
    client.force_login(users["field"])
    response = client.get(reverse("reporting:excel"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kenya" in page
    assert "Uganda" not in page


def test_excel_administrator_may_use_any_office(client, users, kenya, period, kenya_indicators):
    client.force_login(users["admin"])
    assert _download(client, kenya, period)


def test_excel_anonymous_is_sent_to_login(client, kenya, period):
    for name in ("reporting:excel", "reporting:excel_download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    response = client.post(reverse("reporting:excel_upload"))
    assert response.status_code == 302


def test_excel_confirm_by_another_session_saves_nothing(
    client, users, kenya, period, kenya_indicators
):
    client.force_login(users["field"])
    filled = _fill(_download(client, kenya, period), {"A.i.1": {"value": 5}})
    token = _upload(client, filled, kenya, period).context["token"]
    client.force_login(users["admin"])  # a new session
    response = client.post(
        reverse("reporting:excel_confirm"), {"token": token, "action": "confirm"}
    )
    assert response.status_code == 302
    assert IndicatorUpdate.objects.count() == 0


def test_excel_navigation_offers_the_page_to_field_staff(client, users):
    client.force_login(users["field"])
    assert reverse("reporting:excel") in client.get(reverse("home")).content.decode()
    client.force_login(users["reviewer"])
    assert reverse("reporting:excel") not in client.get(reverse("home")).content.decode()


def test_excel_indicator_measures_cover_every_measure():
    # the template has an entry column for every measure the framework knows
    from reporting.excel.columns import MEASURE_INPUTS

    assert set(MEASURE_INPUTS) == set(Indicator.Measure.values)


def test_excel_apply_rolls_back_every_row_when_a_later_one_fails(
    users, kenya, period, kenya_indicators
):
    # given a checked preview whose first row is fine
    from reporting.excel.apply import excel_upload_apply

    template = excel_template_build(user=users["field"], office=kenya, period=period)
    filled = _fill(template, {"A.i.1": {"value": 9}, "A.ii.1": {"yes_no": "No"}})
    preview = excel_upload_parse(user=users["field"], office=kenya, period=period, file=filled)
    assert [r.indicator.code for r in preview.rows] == ["A.i.1", "A.ii.1"]
    # when someone saves the second row's update before it is applied
    _save(users, kenya_indicators["A.ii.1"], kenya, period, value=Decimal(1))
    before = _db_state()
    result = excel_upload_apply(user=users["field"], office=kenya, period=period, preview=preview)
    # then the first row's save is rolled back too, and the conflict is reported by row
    assert not result.is_ok
    [problem] = result.problems
    assert (problem.row, problem.header) == (preview.rows[1].row, "Version")
    assert _db_state() == before
    assert not IndicatorUpdate.objects.filter(indicator__code="A.i.1").exists()


def test_excel_upload_too_large_is_refused(client, users, kenya, period, settings):
    settings.EXCEL_UPLOAD_MAX_BYTES = 100
    client.force_login(users["field"])
    response = _upload(client, b"PK" + b"0" * 200, kenya, period)
    assert response.status_code == 400
    assert "at most 100\xa0bytes is accepted" in response.content.decode()


def test_excel_problems_name_the_column_where_it_is_in_the_uploaded_file(
    users, kenya, period, kenya_indicators
):
    # given a template in which someone inserted a column of their own before the others
    template = excel_template_build(user=users["field"], office=kenya, period=period)
    workbook = load_workbook(io.BytesIO(_fill(template, {"O.a.1": {"numerator": 7}})))
    sheet = workbook["Updates"]
    sheet.insert_cols(1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when it is checked
    preview = excel_upload_parse(
        user=users["field"], office=kenya, period=period, file=buffer.getvalue()
    )
    # then the problem points at the numerator where it now is (one column further right)
    [problem] = preview.problems
    assert problem.header == "Denominator"
    assert problem.column == get_column_letter(COLUMN_INDEX["denominator"] + 1)


def test_excel_abandoned_uploads_are_deleted(client, users, kenya, period, kenya_indicators):
    # given an upload left waiting two days ago
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True)
    old = folder / "00000000-0000-4000-8000-000000000000.xlsx"
    old.write_bytes(b"PK")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    # when someone uploads a file
    client.force_login(users["field"])
    filled = _fill(_download(client, kenya, period), {"A.i.1": {"value": 5}})
    assert _upload(client, filled, kenya, period).status_code == 200
    # then the old one is gone and the new one waits
    assert not old.exists()
    assert len(_imports_dir_files()) == 1


def test_excel_template_shows_the_previous_value_in_bounded_queries(
    users, kenya, periods, period, kenya_indicators, strategy
):
    # given an approved value for A.i.1 in the period before
    earlier = _save(users, kenya_indicators["A.i.1"], kenya, periods[-2], value=Decimal(12))
    IndicatorUpdate.objects.filter(pk=earlier.pk).update(status=Status.APPROVED)
    # when the template is built, then it shows it
    content = excel_template_build(user=users["field"], office=kenya, period=period)
    workbook = load_workbook(io.BytesIO(content))
    assert _cell(workbook, "A.i.1", "previous_value").value == 12
    # and twenty more indicators cost no more queries
    with CaptureQueriesContext(connection) as few:
        excel_template_build(user=users["field"], office=kenya, period=period)
    deliverable = strategy.outcome_set.get(code="b").deliverables.get(code="i")
    for number in range(20):
        indicator = IndicatorFactory(deliverable=deliverable, code=f"B.i.{number}")
        AssignmentFactory(indicator=indicator, office=kenya)
    with CaptureQueriesContext(connection) as many:
        content = excel_template_build(user=users["field"], office=kenya, period=period)
    assert len(_rows(load_workbook(io.BytesIO(content)))) == len(kenya_indicators) + 20
    assert len(many.captured_queries) == len(few.captured_queries)
