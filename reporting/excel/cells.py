"""Writing a workbook cell, in one place: a number stays a number, and every text (an
indicator's name, a narrative, a reviewer's comment) is written as text, never as a formula,
whatever it starts with."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")


def cell_write(cell: Any, value: Any) -> Any:
    """Put `value` in an openpyxl cell and return the cell."""
    cell.value = value
    if isinstance(value, str):
        # openpyxl turns a string starting with "=" into a formula; this keeps it a string,
        # and the quote prefix keeps Excel from turning it into one when the cell is edited.
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell
