"""The Excel template: only rows the person may still change are editable (others locked and
grey, with the reason), the reviewer's comment is shown read-only, only periods open for entry
are offered, and every text is written as text, never as a formula (and read back as typed)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.excel.columns import COLUMN_INDEX
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.workflow import update_return, update_submit
from tests.reporting.test_excel import (  # noqa: F401 (kenya_indicators is a fixture)
    _cell,
    _download,
    _fill,
    _save,
    _upload,
    kenya_indicators,
)

Status = IndicatorUpdate.Status
FORMULA_NARRATIVE = '=HYPERLINK("http://example.org","see")'


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_excel_template_locks_rows_that_cannot_change_and_says_why(
    client,
    users,
    kenya,
    period,
    kenya_indicators,  # noqa: F811
):
    # given a submitted update, a returned one with a comment, and indicators not started
    submitted = _save(
        users,
        kenya_indicators["A.ii.1"],
        kenya,
        period,
        value=Decimal(1),
    )
    update_submit(user=users["field"], update=submitted)
    returned = _save(users, kenya_indicators["A.ii.3"], kenya, period, text="Some progress")
    returned = update_submit(user=users["field"], update=returned)
    update_return(user=users["reviewer"], update=returned, comment="Name the districts")
    client.force_login(users["field"])
    # when the template is downloaded
    workbook = _workbook(_download(client, kenya, period))
    # then the submitted row is locked, grey, with the reason; the returned one is editable
    locked_value = _cell(workbook, "A.ii.1", "yes_no")
    assert locked_value.protection.locked
    assert locked_value.fill.fgColor.rgb.endswith("E7E6E6")
    assert "no longer be edited" in _cell(workbook, "A.ii.1", "locked_reason").value
    open_value = _cell(workbook, "A.ii.3", "text")
    assert not open_value.protection.locked
    assert not _cell(workbook, "A.ii.3", "locked_reason").value
    # and the reviewer's comment is there, read-only
    comment = _cell(workbook, "A.ii.3", "review_comment")
    assert comment.value == "Name the districts"
    assert comment.protection.locked
    assert workbook["Updates"].protection.sheet


def test_excel_template_of_a_closed_period_locks_new_rows_with_the_reason(
    client,
    users,
    kenya,
    period,
    kenya_indicators,  # noqa: F811
):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    client.force_login(users["field"])
    response = client.get(
        reverse("reporting:excel_download"), {"office": kenya.pk, "period": period.pk}
    )
    # a closed period without corrections to make is not offered at all
    assert response.status_code == 400


def test_excel_page_offers_only_periods_open_for_entry(client, users, kenya, periods):
    # given most periods locked and one closed
    ReportingPeriod.objects.exclude(pk=periods[-1].pk).update(state=ReportingPeriod.State.LOCKED)
    ReportingPeriod.objects.filter(pk=periods[-2].pk).update(state=ReportingPeriod.State.CLOSED)
    client.force_login(users["field"])
    page = client.get(reverse("reporting:excel"))
    # then both the download and the upload lists offer only the open period
    for form_name in ("choose_form", "upload_form"):
        offered = [value for value, _label in page.context[form_name].fields["period"].choices]
        offered = [int(str(v)) for v in offered if v]
        assert offered == [periods[-1].pk], form_name


def test_excel_template_writes_texts_as_text_never_formulas(
    client,
    users,
    kenya,
    period,
    kenya_indicators,  # noqa: F811
):
    # given a draft whose narrative starts with "=" (and a text that starts with "+")
    _save(
        users,
        kenya_indicators["A.ii.3"],
        kenya,
        period,
        text="+ more districts",
        narrative=FORMULA_NARRATIVE,
    )
    client.force_login(users["field"])
    content = _download(client, kenya, period)
    # then both cells hold strings, not formulas, in the file itself
    workbook = _workbook(content)
    narrative = _cell(workbook, "A.ii.3", "narrative")
    assert (narrative.value, narrative.data_type) == (FORMULA_NARRATIVE, "s")
    text = _cell(workbook, "A.ii.3", "text")
    assert (text.value, text.data_type) == ("+ more districts", "s")
    formulas = [
        c.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    # and re-uploading the template unchanged changes nothing (the narrative is kept)
    response = _upload(client, content, kenya, period)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.rows, preview.problems) == ([], [])


def test_excel_upload_keeps_formulas_typed_in_text_columns_as_text(
    client,
    users,
    kenya,
    period,
    kenya_indicators,  # noqa: F811
):
    # given a template where someone typed formulas in the narrative and the text (Excel
    # stores them as formulas, with no cached result when no spreadsheet program ran them)
    client.force_login(users["field"])
    filled = _fill(
        _download(client, kenya, period),
        {"A.ii.3": {"text": "=A1&B1", "narrative": FORMULA_NARRATIVE}},
    )
    workbook = _workbook(filled)
    assert _cell(workbook, "A.ii.3", "narrative").data_type == "f"
    # when it is uploaded and confirmed
    response = _upload(client, filled, kenya, period)
    assert response.status_code == 200, response.context["preview"].problems
    client.post(
        reverse("reporting:excel_confirm"),
        {"token": response.context["token"], "action": "confirm"},
    )
    # then the texts are stored as typed
    update = IndicatorUpdate.objects.get(indicator__code="A.ii.3")
    assert (update.text, update.narrative) == ("=A1&B1", FORMULA_NARRATIVE)


def test_excel_template_columns_include_reason_and_comment():
    assert {"locked_reason", "review_comment"} <= set(COLUMN_INDEX)


def test_excel_upload_submissions_send_the_reviewer_one_digest(
    client,
    users,
    kenya,
    period,
    kenya_indicators,  # noqa: F811
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # given a template with two indicators filled and marked for submission
    client.force_login(users["field"])
    filled = _fill(
        _download(client, kenya, period),
        {
            "A.ii.1": {"yes_no": "Yes", "submit": "Yes"},
            "A.ii.3": {"text": "Two districts covered", "submit": "Yes"},
        },
    )
    response = _upload(client, filled, kenya, period)
    assert response.status_code == 200, response.context["preview"].problems
    # when the upload is confirmed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:excel_confirm"),
            {"token": response.context["token"], "action": "confirm"},
        )
    # then both are submitted and the reviewer hears of them in one e-mail
    assert IndicatorUpdate.objects.filter(status=Status.SUBMITTED).count() == 2
    assert [m.to for m in mailoutbox] == [[users["reviewer"].email]]
    assert "2 updates submitted for your review" in mailoutbox[0].subject
