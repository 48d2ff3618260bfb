"""The XLSX membership update: its sheets and numbers against the roll-ups and the engine."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from exports.services.membership import membership_update_build
from exports.services.xlsx import membership_update_xlsx
from rollups.models import Rollup
from tests.exports.helpers import build
from tests.factories import UpdateFactory

Span = Rollup.Span
Scope = Rollup.Scope


def test_xlsx_numbers_match_the_rollups(world):
    # when the XLSX is made and opened
    data = membership_update_xlsx(update=build(world))
    book = load_workbook(io.BytesIO(data))
    # then there is a summary and one sheet per level
    for name in [
        "Summary",
        "Outcomes",
        "Deliverables",
        "Outputs",
        "Indicators",
        "Regions",
        "Markers",
        "Completeness",
    ]:
        assert name in book.sheetnames
    sheet = book["Indicators"]
    headers = [c.value for c in sheet[1]]
    rows = {
        r[1]: dict(zip(headers, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["A.i.1"]["Actual"] == 3500
    assert rows["A.i.1"]["Target"] == 5000
    assert rows["A.i.1"]["Progress"] == pytest.approx(0.7)
    assert rows["O.a.1"]["Baseline"] == 20
    assert rows["C.i.1"]["Status"] == "No data"
    # and the numbers are real numbers, formatted, under a frozen, filtered header
    progress_col = headers.index("Progress") + 1
    assert sheet.cell(row=2, column=progress_col).number_format == "0%"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    regions = {r[0]: r for r in book["Regions"].iter_rows(min_row=2, values_only=True)}
    assert regions["Nairobi"][4] == 2000
    assert regions["Bangkok"][5] == pytest.approx(0.9)
    markers = {r[0]: r for r in book["Markers"].iter_rows(min_row=2, values_only=True)}
    assert markers["gender"][2] == pytest.approx(0.7)
    assert markers["gender"][3:5] == (1, 1)


def test_exports_agree_with_the_rollup_engine(strategy, periods, number_indicator, kenya, uganda):
    from rollups.services import rollup_rebuild_full

    # given approved updates in 2023 rolled up by the engine
    by_code = {p.code: p for p in periods}
    for office, code, value in [(kenya, "2023-Q1", 100), (uganda, "2023-Q2", 50)]:
        UpdateFactory(
            indicator=number_indicator,
            office=office,
            period=by_code[code],
            status="approved",
            value=Decimal(value),
        )
    rollup_rebuild_full(strategy=strategy)
    engine = Rollup.objects.get(
        indicator=number_indicator, scope="global", span="ytd", period=by_code["2023-Q4"]
    )
    # when the 2023 update is exported
    update = membership_update_build(
        strategy=strategy, period_from=by_code["2023-Q1"], period_to=by_code["2023-Q4"]
    )
    book = load_workbook(io.BytesIO(membership_update_xlsx(update=update)))
    # then the XLSX shows the engine's figure, which is the sum of the approved values
    actuals = {r[1]: r[10] for r in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert engine.actual == Decimal("150")
    assert actuals["A.i.1"] == 150
