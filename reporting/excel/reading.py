"""Reading an uploaded workbook: its Updates sheet and the cells people typed."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.numbers import number_parse
from core.uploads import upload_refusal
from deliverables.models import Indicator
from reporting.excel.columns import (
    FIRST_DATA_ROW,
    KEY_ROW,
    MAX_DATA_ROWS,
    TEXT_COLUMNS,
    UPDATES_SHEET,
    ImportProblem,
    file_problem,
    no_text,
    yes_text,
)
from reporting.models import IndicatorUpdate

if TYPE_CHECKING:
    pass

Measure = Indicator.Measure
Status = IndicatorUpdate.Status


def cell_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def cell_is_blank(raw: Any) -> bool:
    return cell_text(raw) == ""


def cell_yes_no(raw: Any) -> bool | None:
    """Return True for yes, False for no, None for blank; raise ValueError otherwise."""
    if isinstance(raw, bool):
        return raw
    text = cell_text(raw).casefold()
    if not text:
        return None
    if text in {"yes", "y", "true", "1", yes_text().casefold()}:
        return True
    if text in {"no", "n", "false", "0", no_text().casefold()}:
        return False
    raise ValueError(raw)


def cell_level(raw: Any, indicator: Indicator) -> Decimal | None:
    """Return the level number from a label (as in the list) or a number; ValueError otherwise."""
    text = cell_text(raw)
    if not text:
        return None
    for number, label in enumerate(indicator.ordinal_levels or [], start=1):
        if text.casefold() == str(label).strip().casefold():
            return Decimal(number)
    return number_parse(raw)


def updates_sheet_read(
    file: IO[bytes] | bytes,
) -> tuple[tuple, list[tuple], list[ImportProblem]]:
    """Read the upload's Updates sheet: its key row and data rows, or the problems that stop it.

    Streamed (read-only mode) and capped at MAX_DATA_ROWS, so a huge sheet cannot stall us.
    """
    data = file if isinstance(file, bytes) else file.read()
    if not data.startswith(b"PK"):
        message = _(
            "This is not an Excel (.xlsx) file. Upload the template downloaded from this page, "
            "saved as .xlsx."
        )
        return (), [], [file_problem(message)]
    # The upload guard first: size, and what the workbook would expand to (a zip bomb is
    # refused from its directory, before openpyxl decompresses anything).
    refusal = upload_refusal(name=_("The workbook"), file=data, kind="xlsx")
    if refusal:
        return (), [], [file_problem(refusal)]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # The same sheet with its formulas, for the text columns: "=..." typed as a narrative
        # is kept as typed, not replaced by the formula's result (none, if Excel never ran it).
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        message = _(
            "The file cannot be read as an Excel (.xlsx) workbook. Save it as .xlsx and upload "
            "it again."
        )
        return (), [], [file_problem(message)]
    try:
        if UPDATES_SHEET not in workbook.sheetnames:
            message = _(
                "The file has no “%(s)s” sheet. Upload the template downloaded from this page."
            ) % {"s": UPDATES_SHEET}
            return (), [], [file_problem(message)]
        sheet = workbook[UPDATES_SHEET]
        typed = formulas[UPDATES_SHEET].iter_rows(values_only=True)
        keys: tuple = ()
        text_positions: list[int] = []
        rows: list[tuple] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            as_typed = next(typed, ())
            if number == KEY_ROW:
                keys = cells
                text_positions = [i for i, key in enumerate(keys) if key in TEXT_COLUMNS]
            elif number >= FIRST_DATA_ROW:
                if number - FIRST_DATA_ROW >= MAX_DATA_ROWS:
                    if all(cell_is_blank(v) for v in cells):
                        break  # formatting that runs down the sheet, not data
                    message = _(
                        "The “Updates” sheet has more than %(n)s rows. Delete the rows below "
                        "your indicators, or download a new template."
                    ) % {"n": MAX_DATA_ROWS}
                    return (), [], [file_problem(message)]
                rows.append(_with_typed_text(cells, as_typed, text_positions))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        message = _("The “Updates” sheet cannot be read. Download a new template.")
        return (), [], [file_problem(message)]
    finally:
        workbook.close()
        formulas.close()
    return keys, rows, []


def _with_typed_text(cells: tuple, as_typed: tuple, positions: list[int]) -> tuple:
    """Return the row's values with each text column's formula, if any, as its text."""
    if not positions:
        return cells
    merged = list(cells)
    for i in positions:
        if i < len(as_typed) and i < len(merged):
            formula = as_typed[i]
            if isinstance(formula, str) and formula.startswith("="):
                merged[i] = formula
    return tuple(merged)
