"""THE cell writer of every spreadsheet and CSV file the tracker writes (the Excel template,
the XLSX and the CSV exports): numbers stay numbers, and text (an action title, a narrative,
anything a person typed) is always written as text, never as a formula.

- XLSX: a text cell is stored as a string (openpyxl would otherwise take "=…" for a formula)
  with Excel's "quote prefix", so editing the cell in Excel keeps it text as well.
- CSV: a text cell that a spreadsheet would read as a formula (one starting with =, +, -, @,
  a tab or a carriage return) is written with a leading apostrophe, which spreadsheets show as
  text; README.md ("CSV export columns") documents it. Numbers are written plainly
  (core.formatting.number_plain), so negative numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from core.formatting import number_plain

# What makes a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
NEUTRALISER = "'"

Plain = str | int | float | Decimal | bool | dt.date | dt.datetime | None


def text_is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def xlsx_cell_set(cell: Cell, value: Any) -> Cell:
    """Put a value into a worksheet cell: numbers, booleans and dates as such, anything else as
    text that no spreadsheet evaluates."""
    if value is None or isinstance(value, bool | int | float | dt.date | dt.datetime):
        cell.value = value
        return cell
    if isinstance(value, Decimal):
        cell.value = float(value)
        return cell
    text = str(value)
    cell.value = text
    cell.data_type = "s"  # never "f", whatever the text starts with
    if text_is_formula_like(text):
        cell.quotePrefix = True
    return cell


def xlsx_cell_write(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell of a sheet (1-based row and column) through `xlsx_cell_set`."""
    return xlsx_cell_set(sheet.cell(row=row, column=column), value)


def xlsx_row_append(sheet: Worksheet, values: Iterable[Any]) -> int:
    """Append a row under the sheet's last one, each cell through `xlsx_cell_set`; return its
    row number."""
    sheet.append([xlsx_cell_set(Cell(sheet), value) for value in values])
    return sheet._current_row


def csv_cell(value: Any) -> str:
    """Return one CSV field: numbers plain, text neutralised if it would start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return number_plain(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    return NEUTRALISER + text if text_is_formula_like(text) else text


def csv_row(values: Iterable[Any]) -> list[str]:
    """Return a CSV row, every field through `csv_cell` (hand it to csv.writer.writerow)."""
    return [csv_cell(value) for value in values]
