"""The membership update's breakdowns come from the roll-ups: the PDF, the XLSX sheet, the
companion CSV and IATI's disaggregated actuals carry the dashboards' own figures, with the
incomplete coverage said."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboards.selectors.breakdowns import indicator_breakdowns
from dashboards.selectors.filters import dashboard_filters
from exports.services.breakdowns_csv import COLUMNS, membership_update_breakdowns_csv
from exports.services.iati import membership_update_iati
from exports.services.jobs import membership_update_render
from exports.services.membership import membership_update_build
from exports.services.pdf import membership_update_pdf
from exports.services.xlsx import membership_update_xlsx
from rollups.services import rollup_rebuild_full
from tests.factories import UpdateFactory

D = Decimal


@pytest.fixture
def rolled(strategy, periods, number_indicator, kenya, uganda, thailand):
    """People assisted (by sex) in 2023: Kenya Q1 100 (60 women, 40 men), Uganda Q2 50 with no
    breakdown, Thailand Q3 30 (10 women, 20 men); Kenya's submitted Q4 999 does not count.
    2023 to date: 180, of which 130 broken down by sex (70 women, 60 men)."""
    by_code = {p.code: p for p in periods}
    for office, code, value, parts, status in [
        (kenya, "2023-Q1", 100, {"female": 60, "male": 40}, "approved"),
        (uganda, "2023-Q2", 50, None, "approved"),
        (thailand, "2023-Q3", 30, {"female": 10, "male": 20}, "approved"),
        (kenya, "2023-Q4", 999, {"female": 999}, "submitted"),
    ]:
        UpdateFactory(
            indicator=number_indicator,
            office=office,
            period=by_code[code],
            status=status,
            value=D(value),
            disaggregations={"sex": parts} if parts else {},
        )
    rollup_rebuild_full(strategy=strategy)
    return by_code


def _update(strategy, by_code):
    return membership_update_build(
        strategy=strategy, period_from=by_code["2023-Q1"], period_to=by_code["2023-Q4"]
    )


def test_dashboard_and_export_breakdowns_agree(strategy, users, number_indicator, rolled):
    # given the 2023 membership update and the dashboard for the same range
    update = _update(strategy, rolled)
    filters = dashboard_filters(
        user=users["steering"], strategy=strategy, params={"from": "2023-Q1", "to": "2023-Q4"}
    )
    dashboard = indicator_breakdowns(filters=filters, indicator=number_indicator)
    exported = next(row for row in update.indicators if row.code == "A.i.1").breakdown
    # then both show the same parts and the same coverage, hand-computed
    on_page = dashboard.sections[0].dim
    in_file = exported.get("sex")
    assert on_page == in_file
    assert {p.category: p.value for p in in_file.parts if p.value} == {"female": 70, "male": 60}
    assert (in_file.total, in_file.covered_total, in_file.covered_updates) == (180, 130, 2)
    assert in_file.updates == 3
    assert not in_file.complete


def test_membership_update_years_take_breakdowns_from_the_rollups(strategy, rolled):
    update = _update(strategy, rolled)
    row = next(row for row in update.indicators if row.code == "A.i.1")
    (year,) = row.years
    assert year.actual == D("180")
    assert year.dimensions == [("sex", "female", D("70")), ("sex", "male", D("60"))]


def test_pdf_and_xlsx_show_breakdowns_with_incomplete_coverage(strategy, rolled):
    update = _update(strategy, rolled)
    # the PDF has a "who benefits" chapter saying what is not broken down
    reader = PdfReader(io.BytesIO(membership_update_pdf(update=update)))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Who benefits" in text
    assert "130 of 180 (72%): incomplete" in text
    assert "2 of 3 updates" in text
    # the workbook has a Breakdowns sheet with the same figures
    book = load_workbook(io.BytesIO(membership_update_xlsx(update=update)))
    rows = list(book["Breakdowns"].iter_rows(min_row=2, values_only=True))
    female = next(r for r in rows if r[0] == "A.i.1" and r[3] == "Female")
    assert female[4] == 70
    assert female[5] == pytest.approx(70 / 130)
    assert female[6:] == (180, 130, 50, 2, 3)


def test_breakdowns_csv_is_a_companion_of_the_figures_csv(strategy, rolled):
    # when the companion CSV is rendered through the export service
    name, data = membership_update_render(
        strategy=strategy, period_from="2023-Q1", period_to="2023-Q4", format="breakdowns_csv"
    )
    assert name.endswith("_2023-Q1_2023-Q4.breakdowns.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMNS
    # then each roll-up row gives one row per category with the dimension's coverage
    ytd = {
        r["category"]: r
        for r in rows
        if (r["scope"], r["span"], r["period"], r["indicator_code"])
        == ("global", "ytd", "2023-Q4", "A.i.1")
    }
    assert set(ytd) == {"female", "male", "other_unknown"}
    assert (ytd["female"]["value"], ytd["male"]["value"], ytd["other_unknown"]["value"]) == (
        "70",
        "60",
        "",
    )
    assert (ytd["female"]["total"], ytd["female"]["covered_total"]) == ("180", "130")
    assert (ytd["female"]["covered_updates"], ytd["female"]["updates_count"]) == ("2", "3")
    assert ytd["female"]["complete"] == "0"
    # and regional rows are there too (Nairobi: Kenya and Uganda)
    nairobi = [
        r
        for r in rows
        if (r["scope"], r["region_code"], r["span"], r["period"], r["category"])
        == ("region", "nairobi", "ytd", "2023-Q4", "female")
    ]
    assert nairobi[0]["value"] == "60"
    assert nairobi[0]["covered_total"] == "100"
    # and it agrees with the update's own breakdowns
    update = _update(strategy, rolled)
    exported = next(row for row in update.indicators if row.code == "A.i.1").breakdown
    assert D(ytd["female"]["value"]) == exported.get("sex").part("female").value
    assert membership_update_breakdowns_csv(update=update) == data


def test_iati_reports_disaggregated_actuals_from_the_rollups(strategy, rolled):
    xml = membership_update_iati(update=_update(strategy, rolled), validate=False)
    document = etree.fromstring(xml)
    indicator = next(
        i
        for i in document.iter("indicator")
        if i.findtext("title/narrative", "").startswith("A.i.1")
    )
    (period,) = indicator.findall("period")
    actuals = period.findall("actual")
    assert actuals[0].get("value") == "180"
    parts = {a.find("dimension").get("value"): a.get("value") for a in actuals[1:]}
    assert parts == {"female": "70", "male": "60"}
