"""The membership update as an Excel workbook: a summary sheet and one sheet per level, with
real numbers and number formats, frozen headers, filters and sensible column widths."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.cells import xlsx_row_append
from core.formatting import number_cell
from exports.services.membership import Aggregate, MembershipUpdate
from outcomes.models import Strategy
from plans.selectors import actions_for_export, resources_for_export
from rollups.bands import band_label

logger = logging.getLogger(__name__)

PERCENT = "0%"
PERCENT_1 = "0.0%"
COUNT = "#,##0"
NUMBER = "number"  # per cell: "#,##0" for whole numbers, "#,##0.00" otherwise
DECIMAL = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
MAX_WIDTH = 60


def _plain(value: Any) -> Any:
    """Return a value openpyxl writes as a number, date or text."""
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value
    return str(value)


def _sheet(
    workbook: Workbook,
    title: str,
    headers: list[str],
    rows: Iterable[list[Any]],
    formats: dict[int, str] | None = None,
) -> Worksheet:
    """Write a table sheet: bold frozen header, auto-filter, number formats by column index."""
    sheet = workbook.create_sheet(title=title[:31])
    xlsx_row_append(sheet, headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(str(h)) for h in headers]
    count = 0
    for row in rows:
        values = [_plain(v) for v in row]
        xlsx_row_append(sheet, values)
        count += 1
        for index, value in enumerate(values):
            if value is not None and index < len(widths):
                widths[index] = max(widths[index], min(len(str(value)), MAX_WIDTH))
    for index, fmt in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            if fmt == NUMBER:
                whole = isinstance(cell.value, int | float) and float(cell.value).is_integer()
                cell.number_format = COUNT if whole else DECIMAL
            else:
                cell.number_format = fmt
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH + 2)
    sheet.freeze_panes = "A2"
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    return sheet


def _aggregate_cells(summary: Aggregate) -> list[Any]:
    return [
        number_cell(summary.progress),
        summary.n_with_data,
        summary.n_indicators,
        summary.band_label,
        summary.bands_text,
        summary.explanation,
    ]


def _aggregate_headers() -> list[str]:
    return [
        _("Mean progress"),
        _("Indicators with data"),
        _("Indicators"),
        _("Status"),
        _("Indicators by band"),
        _("Why this status"),
    ]


def membership_update_xlsx(*, update: MembershipUpdate) -> bytes:
    """Return the membership update as an XLSX workbook."""
    workbook = Workbook()
    _summary_sheet(workbook.active, update)
    aggregate_formats = {0: PERCENT, 1: COUNT, 2: COUNT}

    def shifted(offset: int, formats: dict[int, str]) -> dict[int, str]:
        return {index + offset: fmt for index, fmt in formats.items()}

    _sheet(
        workbook,
        _("Outcomes"),
        [_("Code"), _("Outcome"), *_aggregate_headers()],
        ([f"({o.code})", o.title, *_aggregate_cells(o.summary)] for o in update.outcomes),
        shifted(2, aggregate_formats),
    )
    _sheet(
        workbook,
        _("Deliverables"),
        [_("Outcome"), _("Code"), _("Deliverable"), *_aggregate_headers()],
        (
            [f"({o.code})", d.code, d.title, *_aggregate_cells(d.summary)]
            for o in update.outcomes
            for d in o.deliverables
        ),
        shifted(3, aggregate_formats),
    )
    _sheet(
        workbook,
        _("Outputs"),
        [_("Code"), _("Institutional output"), *_aggregate_headers()],
        ([b.code, b.title, *_aggregate_cells(b.summary)] for b in update.outputs),
        shifted(2, aggregate_formats),
    )
    _sheet(
        workbook,
        _("Indicators"),
        [
            _("Result"),
            _("Code"),
            _("Indicator"),
            _("Measure"),
            _("Unit"),
            _("Direction"),
            _("Cumulative"),
            _("Baseline"),
            _("Baseline year"),
            _("Target"),
            _("Actual"),
            _("Progress"),
            _("Status"),
            _("Approved updates"),
            _("Offices reporting"),
            _("Provisional actual"),
            _("Markers"),
            _("Share of reporting offices"),
            _("Offices expected"),
            _("Period state"),
            _("Figure"),
            _("Reported"),
        ],
        (
            [
                row.result_code,
                row.code,
                row.name,
                row.measure_label,
                row.unit,
                _("Increase") if row.ascending else _("Decrease"),
                _("Yes") if row.cumulative else _("No"),
                row.baseline,
                row.baseline_year,
                row.target,
                row.actual,
                row.progress,
                row.status_label,
                row.updates_count,
                row.offices_count,
                row.provisional_actual,
                ", ".join(row.marker_codes),
                number_cell(row.share),
                row.offices_expected,
                row.period_state,
                " ".join(
                    t for t in (row.value_text, row.count_text and f"({row.count_text})") if t
                ),
                row.period_mark,
            ]
            for row in update.indicators
        ),
        {
            7: NUMBER,
            8: "0",
            9: NUMBER,
            10: NUMBER,
            11: PERCENT,
            13: COUNT,
            14: COUNT,
            15: NUMBER,
            17: "0.0",
            18: COUNT,
        },
    )
    _sheet(
        workbook,
        _("Regions"),
        [
            _("Region"),
            _("Indicator"),
            _("Indicator name"),
            _("Target"),
            _("Actual"),
            _("Progress"),
            _("Status"),
            _("Approved updates"),
            _("Offices reporting"),
        ],
        (
            [
                f.region,
                f.indicator_code,
                f.indicator_name,
                f.target,
                f.actual,
                f.progress,
                str(_status_label(f.status)),
                f.updates_count,
                f.offices_count,
            ]
            for f in update.region_figures
        ),
        {3: NUMBER, 4: NUMBER, 5: PERCENT, 7: COUNT, 8: COUNT},
    )
    _sheet(
        workbook,
        _("Markers"),
        [_("Code"), _("Cross-cutting marker"), *_aggregate_headers()],
        ([m.code, m.name, *_aggregate_cells(m.summary)] for m in update.markers),
        shifted(2, aggregate_formats),
    )
    _sheet(
        workbook,
        _("Completeness"),
        [
            _("Period"),
            _("Region"),
            _("Expected updates"),
            _("Approved"),
            _("Submitted, awaiting review"),
            _("Approved share"),
        ],
        (
            [c.period, c.region, c.expected, c.approved, c.submitted, c.rate]
            for c in update.completeness
        ),
        {2: COUNT, 3: COUNT, 4: COUNT, 5: PERCENT},
    )
    _breakdowns_sheet(workbook, update)
    _plan_sheets(workbook, update)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _breakdowns_sheet(workbook: Workbook, update: MembershipUpdate) -> None:
    """Write the headline figures' breakdowns: one row per indicator, dimension and category,
    with the dimension's coverage (the part of the total broken down) on every row."""
    _sheet(
        workbook,
        _("Breakdowns"),
        [
            _("Code"),
            _("Indicator"),
            _("Dimension"),
            _("Category"),
            _("Figure"),
            _("Share of the part broken down"),
            _("Total"),
            _("Broken down"),
            _("Not broken down"),
            _("Updates broken down"),
            _("Approved updates"),
        ],
        (
            [
                row.code,
                row.name,
                dim.label,
                part.label,
                part.value,
                part.share_of(dim.covered_total),
                dim.total,
                dim.covered_total,
                dim.uncovered,
                dim.covered_updates,
                dim.updates,
            ]
            for row in update.breakdown_indicators
            for dim in row.breakdown_dimensions
            for part in dim.parts
        ),
        {4: NUMBER, 5: PERCENT, 6: NUMBER, 7: NUMBER, 8: NUMBER, 9: COUNT, 10: COUNT},
    )


def _status_label(status: str) -> str:
    return band_label(status)


def _summary_sheet(sheet: Worksheet, update: MembershipUpdate) -> None:
    sheet.title = _("Summary")
    xlsx_row_append(sheet, [_("Membership update")])
    sheet["A1"].font = Font(bold=True, size=14)
    lines: list[tuple[str, Any, str | None]] = [
        (_("Strategy"), update.strategy_title, None),
        (_("Periods"), update.range_label, None),
        (_("Figures"), update.span_label, None),
        (_("Data as of"), update.data_as_of, DATETIME),
        (_("Generated at"), update.generated_at, DATETIME),
        (_("Indicators"), update.summary.n_indicators, COUNT),
        (_("Indicators with data"), update.summary.n_with_data, COUNT),
        (_("Mean progress of indicators with data"), number_cell(update.summary.progress), PERCENT),
        (_("Expected updates"), update.completeness_expected, COUNT),
        (_("Approved updates"), update.completeness_approved, COUNT),
        (_("Reporting completeness"), number_cell(update.completeness_rate), PERCENT),
    ]
    lines += [
        (_("Indicators: %(band)s") % {"band": label}, count, COUNT)
        for _band, label, count in update.summary.band_counts
    ]
    for label, value, fmt in lines:
        xlsx_row_append(sheet, [label, _plain(value)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        if fmt:
            sheet.cell(row=sheet.max_row, column=2).number_format = fmt
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 70


def _plan_sheets(workbook: Workbook, update: MembershipUpdate) -> None:
    """Add the delivery plan and resources sheets."""
    strategy = Strategy.objects.get(pk=update.strategy_id)
    tables = [actions_for_export(strategy=strategy), *resources_for_export(strategy=strategy)]
    for table in tables:
        formats = _formats_for(table.rows)
        _sheet(workbook, str(table.name), [str(h) for h in table.headers], table.rows, formats)


def _formats_for(rows: list[list[Any]]) -> dict[int, str]:
    """Return number formats for the columns of a plain table, guessed from its first row."""
    if not rows:
        return {}
    formats: dict[int, str] = {}
    kinds: dict[type, str] = {Decimal: "#,##0.00", int: "0"}
    for index, value in enumerate(rows[0]):
        fmt: str | None = kinds.get(type(value))
        if fmt is None and hasattr(value, "isoformat"):
            fmt = DATE
        if fmt:
            formats[index] = fmt
    return formats
