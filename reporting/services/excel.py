"""The Excel round-trip for offices with poor connectivity (issue 3).

Download a workbook pre-filled for one office and period, fill it offline, upload it. Every row
is checked with the rules the web form uses (`values_normalize`, `submission_check`, the
workflow's period, status and version rules); the upload is first shown as a preview and saved
only when confirmed, in one transaction through `update_save` / `update_submit`. One bad row
means nothing is saved.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from core.formatting import number_cell, number_plain
from deliverables.models import Indicator
from offices.models import Office
from offices.permissions import can_edit_update, can_enter_for_office
from reporting.exceptions import (
    StaleVersionError,
    UpdateValidationError,
    WorkflowError,
)
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.excel import OfficeIndicatorRow, office_indicators_for_period
from reporting.selectors.updates import update_previous_value
from reporting.services.validation import (
    UpdateValues,
    submission_check,
    to_decimal,
    values_normalize,
)
from reporting.services.workflow import update_entry_refusal, update_save, update_submit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Measure = Indicator.Measure
Status = IndicatorUpdate.Status

UPDATES_SHEET = "Updates"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
HEADER_ROW = 1  # what people read
KEY_ROW = 2  # hidden: the column keys the upload is read by
FIRST_DATA_ROW = 3
MAX_DATA_ROWS = 2000

# --- Columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    kind: str  # "identity" (hidden), "context" (read-only) or "edit"
    width: int


IDENTITY = ["indicator_code", "office_code", "period_code", "version"]
CONTEXT = ["indicator", "measure", "unit", "baseline", "target", "previous_value", "status"]
MEASURE_COLUMNS = ["value", "numerator", "denominator", "yes_no", "level", "text"]
DISAGGREGATION_COLUMNS = [
    f"{dimension}:{category}"
    for dimension, categories in Indicator.DIMENSION_CATEGORIES.items()
    for category, _label in categories
]
COLUMNS: list[Column] = [
    *(Column(key, "identity", 12) for key in IDENTITY),
    Column("indicator", "context", 45),
    Column("measure", "context", 22),
    Column("unit", "context", 12),
    Column("baseline", "context", 11),
    Column("target", "context", 11),
    Column("previous_value", "context", 13),
    Column("status", "context", 22),
    Column("value", "edit", 12),
    Column("numerator", "edit", 12),
    Column("denominator", "edit", 13),
    Column("yes_no", "edit", 10),
    Column("level", "edit", 20),
    Column("text", "edit", 40),
    *(Column(key, "edit", 11) for key in DISAGGREGATION_COLUMNS),
    Column("narrative", "edit", 45),
    Column("submit", "edit", 10),
]
COLUMN_INDEX = {column.key: number for number, column in enumerate(COLUMNS, start=1)}
REQUIRED_KEYS = [c.key for c in COLUMNS if c.kind in {"identity", "edit"}]

# The one measure column each measure is entered in (percentages: numerator and denominator).
MEASURE_INPUTS: dict[str, tuple[str, ...]] = {
    Measure.NUMBER: ("value",),
    Measure.PERCENTAGE: ("numerator", "denominator"),
    Measure.YES_NO: ("yes_no",),
    Measure.ORDINAL: ("level",),
    Measure.QUALITATIVE: ("text",),
}


def column_label(key: str) -> str:
    """Return the header people read for a column key."""
    labels = {
        "indicator_code": _("Indicator code"),
        "office_code": _("Office code"),
        "period_code": _("Period code"),
        "version": _("Version"),
        "indicator": _("Indicator"),
        "measure": _("Measure"),
        "unit": _("Unit"),
        "baseline": _("Baseline"),
        "target": _("Target this year"),
        "previous_value": _("Previous period"),
        "status": _("Current status"),
        "value": _("Value"),
        "numerator": _("Numerator"),
        "denominator": _("Denominator"),
        "yes_no": _("Yes / no"),
        "level": _("Level"),
        "text": _("Text (qualitative)"),
        "narrative": _("Narrative"),
        "submit": _("Submit?"),
    }
    if key in labels:
        return labels[key]
    dimension, _sep, category = key.partition(":")
    if dimension in Indicator.DIMENSION_CATEGORIES:
        category_label = dict(Indicator.DIMENSION_CATEGORIES[dimension]).get(category, category)
        return f"{Indicator.Dimension(dimension).label}: {category_label}"
    return key


def column_meaning(key: str) -> str:
    """Return a plain-words explanation of a column, for the Instructions sheet."""
    meanings = {
        "indicator_code": _("Hidden. Which indicator the row is for. Do not change."),
        "office_code": _("Hidden. The office the file was made for. Do not change."),
        "period_code": _("Hidden. The reporting period the file was made for. Do not change."),
        "version": _(
            "Hidden. The version of the update when you downloaded the file (0: not started). "
            "If someone changes the update after that, your row is refused."
        ),
        "indicator": _("The indicator's code and name."),
        "measure": _("How the indicator is measured, which tells you which column to fill."),
        "unit": _("The unit of the value."),
        "baseline": _("The indicator's baseline value."),
        "target": _("This year's target (your office's own, or the global one)."),
        "previous_value": _(
            "What your office last reported (submitted or approved) in an earlier period."
        ),
        "status": _("Where the update stands now: not started, draft, submitted, ..."),
        "value": _("Number indicators: the figure for the period (zero or more)."),
        "numerator": _("Percentage indicators: the part (at most the denominator)."),
        "denominator": _("Percentage indicators: the whole (more than zero)."),
        "yes_no": _("Yes / no indicators: choose Yes or No."),
        "level": _("Ordinal indicators: choose one of the levels listed in “Measure”."),
        "text": _("Qualitative indicators: describe the progress."),
        "narrative": _(
            "Explain the figures. Required before submitting when the value is more than "
            "%(f)s times, or under 1/%(f)s of, the previous period's."
        )
        % {"f": settings.LARGE_CHANGE_FACTOR},
        "submit": _("Yes: send the update to your reviewer. No or empty: keep it as a draft."),
    }
    if key in meanings:
        return meanings[key]
    return _(
        "The part of the total for this category (a whole number). Greyed when the indicator "
        "is not broken down this way."
    )


# --- Template --------------------------------------------------------------------------------

GREY = PatternFill("solid", fgColor="E7E6E6")
DARK_GREY = PatternFill("solid", fgColor="BFBFBF")
YELLOW = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)


def _yes() -> str:
    return _("Yes")


def _no() -> str:
    return _("No")


def _status_text(update: IndicatorUpdate | None) -> str:
    if update is None:
        return _("Not started")
    label = update.get_status_display()
    if not update.is_editable_status:
        return _("%(s)s (not editable)") % {"s": label}
    return label


def _measure_text(indicator: Indicator) -> str:
    text = str(indicator.get_measure_display())
    if indicator.measure == Measure.ORDINAL and indicator.ordinal_levels:
        levels = "; ".join(
            f"{number} {label}" for number, label in enumerate(indicator.ordinal_levels, start=1)
        )
        text = f"{text}: {levels}"
    if indicator.cumulative:
        text = f"{text} ({_('what happened in the period')})"
    return text


def excel_template_build(
    *, user: AbstractBaseUser, office: Office, period: ReportingPeriod
) -> bytes:
    """Return an .xlsx workbook pre-filled with the office's indicators and updates for the period.

    Raise PermissionDenied unless the user may enter updates for the office.
    """
    if not can_enter_for_office(user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})
    rows = office_indicators_for_period(office=office, period=period)
    workbook = Workbook()
    _instructions_sheet(workbook.active, user=user, office=office, period=period)
    sheet = workbook.create_sheet(UPDATES_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _updates_sheet(sheet, lists, rows=rows, office=office, period=period)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions_sheet(sheet, *, user, office: Office, period: ReportingPeriod) -> None:
    sheet.title = INSTRUCTIONS_SHEET
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        (
            _("Indicator updates for %(office)s, period %(period)s")
            % {"office": office.name, "period": period.code},
            "",
        ),
        (_("Office"), f"{office.name} ({office.code})"),
        (
            _("Period"),
            _("%(code)s, %(start)s to %(end)s; state: %(state)s; submission deadline: %(dl)s")
            % {
                "code": period.code,
                "start": date_format(period.start_date),
                "end": date_format(period.end_date),
                "state": period.get_state_display().lower(),
                "dl": date_format(period.deadline),
            },
        ),
        (
            _("Downloaded"),
            _("%(when)s by %(who)s")
            % {
                "when": date_format(timezone.localtime(), "DATETIME_FORMAT"),
                "who": user.get_username(),
            },
        ),
        ("", ""),
        (_("How to fill it"), ""),
        (
            "1",
            _(
                "Go to the “Updates” sheet. There is one row per indicator assigned to your "
                "office. Fill the yellow cells only; grey cells are for your information or do "
                "not apply to that indicator."
            ),
        ),
        (
            "2",
            _(
                "Fill the column that fits the indicator's measure (see “Measure”): a number "
                "in “Value”; for a percentage, the “Numerator” and the “Denominator” (the "
                "percentage is computed for you); Yes or No; a level from the list; or text "
                "for a qualitative indicator."
            ),
        ),
        (
            "3",
            _(
                "For a cumulative indicator, enter what happened during the period, never a "
                "running total. For the others, enter the level at the end of the period."
            ),
        ),
        (
            "4",
            _(
                "Breakdowns (sex, age, population group): for each breakdown the indicator "
                "uses, the parts must add up to the total (the value, or the numerator of a "
                "percentage) before you can submit. Leave greyed categories empty."
            ),
        ),
        (
            "5",
            _(
                "Narrative: explain the figures. A value more than %(f)s times, or under "
                "1/%(f)s of, the previous period's needs an explanation before it can be "
                "submitted."
            )
            % {"f": settings.LARGE_CHANGE_FACTOR},
        ),
        (
            "6",
            _(
                "Submit?: choose Yes to send the update to your reviewer; No (or empty) keeps "
                "it as a draft you can change later."
            ),
        ),
        (
            "7",
            _(
                "Rows of updates already submitted or approved are shown for information; "
                "they cannot be changed in this file."
            ),
        ),
        (
            "8",
            _(
                "Do not add, remove or reorder columns, do not rename the sheets, and do not "
                "add rows for other indicators."
            ),
        ),
        ("", ""),
        (_("What happens when you upload it"), ""),
        (
            "•",
            _(
                "Upload the file on the “Excel round-trip” page. The file is checked row by "
                "row with the same rules as the web form."
            ),
        ),
        (
            "•",
            _("You first see, row by row, what will change. Nothing is saved until you confirm."),
        ),
        (
            "•",
            _(
                "If any row is wrong, NOTHING is saved, not even the correct rows. The page "
                "lists every problem by row number and column: fix them and upload again."
            ),
        ),
        (
            "•",
            _(
                "If someone changes an update after you downloaded this file, that row is "
                "refused so their work is not overwritten: download a new file."
            ),
        ),
        ("", ""),
        (_("Columns"), ""),
    ]
    for column in COLUMNS:
        lines.append((column_label(column.key), column_meaning(column.key)))
    for number, (left, right) in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=left).alignment = wrap
        sheet.cell(row=number, column=2, value=right).alignment = wrap
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows(min_row=1, max_row=len(lines), max_col=1):
        if row[0].value and not sheet.cell(row=row[0].row, column=2).value:
            row[0].font = Font(bold=True, size=12 if row[0].row > 1 else 14)


def _updates_sheet(
    sheet, lists, *, rows: list[OfficeIndicatorRow], office: Office, period: ReportingPeriod
) -> None:
    header_font = Font(bold=True, color="FFFFFF")
    for column in COLUMNS:
        number = COLUMN_INDEX[column.key]
        letter = get_column_letter(number)
        header = sheet.cell(row=HEADER_ROW, column=number, value=column_label(column.key))
        header.font = header_font
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        header.comment = Comment(column_meaning(column.key), "Strategy Tracker")
        sheet.cell(row=KEY_ROW, column=number, value=column.key)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.kind == "identity":
            dimension.hidden = True
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=COLUMN_INDEX["measure"])

    last_row = FIRST_DATA_ROW + max(len(rows), 1) - 1
    yes_no = f'"{_yes()},{_no()}"'

    def rng(key: str) -> str:
        letter = get_column_letter(COLUMN_INDEX[key])
        return f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"

    decimal_dv = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        error=_("Enter a number, zero or more."),
    )
    whole_dv = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        error=_("Enter a whole number, zero or more."),
    )
    yes_no_dv = DataValidation(
        type="list", formula1=yes_no, allow_blank=True, showErrorMessage=True
    )
    yes_no_dv.error = _("Choose Yes or No.")
    for key in ("value", "numerator", "denominator"):
        decimal_dv.add(rng(key))
    for key in DISAGGREGATION_COLUMNS:
        whole_dv.add(rng(key))
    yes_no_dv.add(rng("yes_no"))
    yes_no_dv.add(rng("submit"))
    for validation in (decimal_dv, whole_dv, yes_no_dv):
        sheet.add_data_validation(validation)

    lists_row = 0
    for offset, row in enumerate(rows):
        excel_row = FIRST_DATA_ROW + offset
        level_range = None
        if row.indicator.measure == Measure.ORDINAL and row.indicator.ordinal_levels:
            lists_row += 1
            lists.cell(row=lists_row, column=1, value=row.indicator.code)
            for number, label in enumerate(row.indicator.ordinal_levels, start=2):
                lists.cell(row=lists_row, column=number, value=label)
            last = get_column_letter(len(row.indicator.ordinal_levels) + 1)
            level_range = f"{LISTS_SHEET}!$B${lists_row}:${last}${lists_row}"
        _updates_row(sheet, excel_row, row, office=office, period=period)
        if level_range:
            level_dv = DataValidation(
                type="list", formula1=level_range, allow_blank=True, showErrorMessage=True
            )
            level_dv.error = _("Choose one of the levels in the list.")
            level_dv.add(f"{get_column_letter(COLUMN_INDEX['level'])}{excel_row}")
            sheet.add_data_validation(level_dv)

    # Protected without a password: it guides, the server checks every cell anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _updates_row(
    sheet, excel_row: int, row: OfficeIndicatorRow, *, office: Office, period: ReportingPeriod
) -> None:
    indicator, update = row.indicator, row.update
    editable = update is None or update.is_editable_status
    values = {
        "indicator_code": indicator.code,
        "office_code": office.code,
        "period_code": period.code,
        "version": update.version if update else 0,
        "indicator": f"{indicator.code} {indicator.name}",
        "measure": _measure_text(indicator),
        "unit": indicator.unit,
        "baseline": number_cell(indicator.baseline_value),
        "target": number_cell(row.target),
        "previous_value": number_cell(row.previous_value),
        "status": _status_text(update),
        "narrative": update.narrative if update else "",
        "submit": None,
    }
    if update is not None:
        if indicator.measure == Measure.NUMBER:
            values["value"] = number_cell(update.value)
        elif indicator.measure == Measure.PERCENTAGE:
            values["numerator"] = number_cell(update.numerator)
            values["denominator"] = number_cell(update.denominator)
        elif indicator.measure == Measure.YES_NO and update.value is not None:
            values["yes_no"] = _yes() if update.value == 1 else _no()
        elif indicator.measure == Measure.ORDINAL and update.value is not None:
            values["level"] = indicator.level_label(int(update.value))
        elif indicator.measure == Measure.QUALITATIVE:
            values["text"] = update.text
        for dimension, parts in (update.disaggregations or {}).items():
            for category, amount in parts.items():
                values[f"{dimension}:{category}"] = amount
    applicable = set(MEASURE_INPUTS[indicator.measure]) | {"narrative", "submit"}
    for dimension in indicator.disaggregations or []:
        applicable |= {key for key in DISAGGREGATION_COLUMNS if key.startswith(f"{dimension}:")}
    for column in COLUMNS:
        cell = sheet.cell(row=excel_row, column=COLUMN_INDEX[column.key])
        cell.value = values.get(column.key)
        cell.alignment = Alignment(wrap_text=column.key in {"indicator", "text", "narrative"})
        if column.kind == "edit" and editable and column.key in applicable:
            cell.fill = YELLOW
            cell.protection = UNLOCKED
        else:
            cell.protection = LOCKED
            if column.kind == "edit":
                cell.fill = GREY if column.key in applicable else DARK_GREY
            elif column.kind == "context":
                cell.fill = GREY
        if not editable:
            cell.font = Font(color="595959", italic=True)


# --- Upload: parse and preview ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One reason the upload cannot be saved; row None for the file as a whole."""

    row: int | None
    column: str  # column letter, or "" for the whole row
    header: str
    message: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ImportRow:
    """One row of the upload that will change something."""

    row: int
    indicator: Indicator
    update: IndicatorUpdate | None
    expected_version: int
    values: UpdateValues
    values_changed: bool
    submit: bool
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def status_before(self) -> str:
        return _status_text(self.update)


@dataclass
class ImportPreview:
    office: Office
    period: ReportingPeriod
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    unchanged: int = 0
    # Column key -> column number in the uploaded sheet (the template's own layout by default).
    positions: dict[str, int] = field(default_factory=lambda: dict(COLUMN_INDEX))

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def submit_count(self) -> int:
        return sum(1 for row in self.rows if row.submit)


@dataclass
class ImportResult:
    saved: list[IndicatorUpdate] = field(default_factory=list)
    submitted: list[IndicatorUpdate] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems


class _RowProblems:
    """Collect the problems of one row, placed on the column they concern."""

    def __init__(self, row: int, measure: str, positions: dict[str, int]):
        self.row, self.measure, self.positions = row, measure, positions
        self.items: list[ImportProblem] = []

    def add(self, key: str | None, message: str) -> None:
        if key is None:
            self.items.append(ImportProblem(self.row, "", _("whole row"), str(message)))
            return
        letter = get_column_letter(self.positions.get(key, COLUMN_INDEX[key]))
        self.items.append(ImportProblem(self.row, letter, column_label(key), str(message)))

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add(_error_column(name, self.measure), message)


def _error_column(name: str, measure: str) -> str | None:
    """Return the column key where a validation error (by field name) belongs."""
    if name == "value":
        return {
            Measure.NUMBER: "value",
            Measure.PERCENTAGE: "numerator",
            Measure.YES_NO: "yes_no",
            Measure.ORDINAL: "level",
            Measure.QUALITATIVE: "text",
        }[measure]
    if name in COLUMN_INDEX:
        return name
    if name.startswith("disaggregations."):
        parts = name.split(".")
        if len(parts) == 3 and f"{parts[1]}:{parts[2]}" in COLUMN_INDEX:
            return f"{parts[1]}:{parts[2]}"
        if len(parts) >= 2:
            return next((k for k in DISAGGREGATION_COLUMNS if k.startswith(f"{parts[1]}:")), None)
    return None


def _file_problem(message: str) -> ImportProblem:
    return ImportProblem(None, "", "", str(message))


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _is_blank(raw: Any) -> bool:
    return _text(raw) == ""


def _yes_no(raw: Any) -> bool | None:
    """Return True for yes, False for no, None for blank; raise ValueError otherwise."""
    if isinstance(raw, bool):
        return raw
    text = _text(raw).casefold()
    if not text:
        return None
    if text in {"yes", "y", "true", "1", _yes().casefold()}:
        return True
    if text in {"no", "n", "false", "0", _no().casefold()}:
        return False
    raise ValueError(raw)


def _level(raw: Any, indicator: Indicator) -> Decimal | None:
    """Return the level number from a label (as in the list) or a number; ValueError otherwise."""
    text = _text(raw)
    if not text:
        return None
    for number, label in enumerate(indicator.ordinal_levels or [], start=1):
        if text.casefold() == str(label).strip().casefold():
            return Decimal(number)
    return to_decimal(text)


def _read_updates_sheet(
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
        return (), [], [_file_problem(message)]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        message = _(
            "The file cannot be read as an Excel (.xlsx) workbook. Save it as .xlsx and upload "
            "it again."
        )
        return (), [], [_file_problem(message)]
    try:
        if UPDATES_SHEET not in workbook.sheetnames:
            message = _(
                "The file has no “%(s)s” sheet. Upload the template downloaded from this page."
            ) % {"s": UPDATES_SHEET}
            return (), [], [_file_problem(message)]
        sheet = workbook[UPDATES_SHEET]
        keys: tuple = ()
        rows: list[tuple] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == KEY_ROW:
                keys = cells
            elif number >= FIRST_DATA_ROW:
                if number - FIRST_DATA_ROW >= MAX_DATA_ROWS:
                    if all(_is_blank(v) for v in cells):
                        break  # formatting that runs down the sheet, not data
                    message = _(
                        "The “Updates” sheet has more than %(n)s rows. Delete the rows below "
                        "your indicators, or download a new template."
                    ) % {"n": MAX_DATA_ROWS}
                    return (), [], [_file_problem(message)]
                rows.append(cells)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        message = _("The “Updates” sheet cannot be read. Download a new template.")
        return (), [], [_file_problem(message)]
    finally:
        workbook.close()
    return keys, rows, []


def excel_upload_parse(
    *, user: AbstractBaseUser, office: Office, period: ReportingPeriod, file: IO[bytes] | bytes
) -> ImportPreview:
    """Read a filled template and check every row with the rules the web form uses.

    Return the preview: per row what will change (rows without changes are only counted),
    and every problem by row and column. Raise PermissionDenied unless the user may enter
    updates for the office. Nothing is written.
    """
    if not can_enter_for_office(user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})
    preview = ImportPreview(office=office, period=period)
    keys, data_rows, problems = _read_updates_sheet(file)
    if problems:
        preview.problems = problems
        return preview

    # Columns are found by the keys in the (hidden) second row, so moved columns still work.
    positions: dict[str, int] = {}
    for number, cell in enumerate(keys, start=1):
        key = _text(cell)
        if key in COLUMN_INDEX and key not in positions:
            positions[key] = number
    missing = [key for key in REQUIRED_KEYS if key not in positions]
    if missing:
        preview.problems = [
            _file_problem(
                _(
                    "Columns are missing: %(cols)s. Download a new template and copy your "
                    "figures into it."
                )
                % {"cols": ", ".join(column_label(key) for key in missing)}
            )
        ]
        return preview
    preview.positions = positions

    raw_rows = [
        {key: cells[pos - 1] if pos - 1 < len(cells) else None for key, pos in positions.items()}
        for cells in data_rows
    ]
    while raw_rows and all(_is_blank(v) for v in raw_rows[-1].values()):
        raw_rows.pop()

    # The file must be the one made for this office and period.
    offices = {_text(r["office_code"]) for r in raw_rows if not _is_blank(r["office_code"])}
    periods = {_text(r["period_code"]) for r in raw_rows if not _is_blank(r["period_code"])}
    if offices - {office.code} or periods - {period.code}:
        preview.problems = [
            _file_problem(
                _(
                    "This file was made for office %(fo)s and period %(fp)s, but you chose "
                    "%(o)s (%(oc)s) and %(p)s. Choose the matching office and period, or "
                    "download a new template."
                )
                % {
                    "fo": ", ".join(sorted(offices)) or "?",
                    "fp": ", ".join(sorted(periods)) or "?",
                    "o": office.name,
                    "oc": office.code,
                    "p": period.code,
                }
            )
        ]
        return preview

    period = ReportingPeriod.objects.get(pk=period.pk)  # its state now
    preview.period = period
    # The workflow's own period rule, so the preview refuses exactly what saving would refuse.
    if period.is_locked:
        preview.problems = [_file_problem(update_entry_refusal(period=period, update=None))]
        return preview

    assigned = {
        row.indicator.code: row
        for row in office_indicators_for_period(office=office, period=period, with_context=False)
    }
    seen: dict[str, int] = {}
    for offset, raw in enumerate(raw_rows):
        excel_row = FIRST_DATA_ROW + offset
        if all(_is_blank(v) for v in raw.values()):
            continue
        code = _text(raw["indicator_code"])
        known = assigned.get(code)
        measure = known.indicator.measure if known else Measure.NUMBER
        row_problems = _RowProblems(excel_row, measure, positions)
        if not code:
            row_problems.add("indicator_code", _("The indicator code is missing."))
        elif known is None:
            row_problems.add(
                "indicator_code",
                _("Unknown indicator code “%(c)s”: it is not assigned to %(o)s.")
                % {"c": code, "o": office.name},
            )
        elif code in seen:
            row_problems.add(
                "indicator_code",
                _("Indicator %(c)s appears twice (also in row %(r)s).")
                % {"c": code, "r": seen[code]},
            )
        if known is None or code in seen:
            preview.problems.extend(row_problems.items)
            continue
        seen[code] = excel_row
        row = _row_check(user, office, period, excel_row, raw, known, row_problems)
        preview.problems.extend(row_problems.items)
        if row_problems.items:
            continue
        if row is None:
            preview.unchanged += 1
        else:
            preview.rows.append(row)
    if not raw_rows:
        preview.problems.append(_file_problem(_("The “Updates” sheet has no rows.")))
    if preview.problems:
        preview.rows = []
    return preview


def _row_check(
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
    excel_row: int,
    raw: dict[str, Any],
    known: OfficeIndicatorRow,
    problems: _RowProblems,
) -> ImportRow | None:
    """Check one row; return what it changes, or None when it changes nothing."""
    indicator, update = known.indicator, known.update
    inputs = MEASURE_INPUTS[indicator.measure]
    before = len(problems.items)

    # Only the columns of the indicator's measure and breakdowns may be filled.
    for key in MEASURE_COLUMNS:
        if key not in inputs and not _is_blank(raw[key]):
            problems.add(
                key,
                _("Leave this cell empty: %(c)s is measured as “%(m)s”.")
                % {"c": indicator.code, "m": indicator.get_measure_display()},
            )
    used = set(indicator.disaggregations or [])
    disaggregations: dict[str, dict[str, Any]] = {}
    for key in DISAGGREGATION_COLUMNS:
        dimension, _sep, category = key.partition(":")
        if _is_blank(raw[key]):
            continue
        if dimension not in used:
            problems.add(
                key,
                _("Leave this cell empty: %(c)s is not broken down by %(d)s.")
                % {"c": indicator.code, "d": str(Indicator.Dimension(dimension).label).lower()},
            )
            continue
        disaggregations.setdefault(dimension, {})[category] = raw[key]

    values = UpdateValues(
        text=_text(raw["text"]) if indicator.measure == Measure.QUALITATIVE else "",
        narrative=_text(raw["narrative"]),
        disaggregations=disaggregations,
    )
    numeric_keys = {"value": "value", "numerator": "numerator", "denominator": "denominator"}
    for key, attribute in numeric_keys.items():
        if key in inputs:
            try:
                setattr(values, attribute, to_decimal(raw[key]))
            except ValueError:
                problems.add(key, _("Enter a number (not “%(v)s”).") % {"v": _text(raw[key])})
    if "yes_no" in inputs:
        try:
            answer = _yes_no(raw["yes_no"])
            values.value = None if answer is None else Decimal(int(answer))
        except ValueError:
            problems.add("yes_no", _("Answer %(y)s or %(n)s.") % {"y": _yes(), "n": _no()})
    if "level" in inputs:
        try:
            values.value = _level(raw["level"], indicator)
        except ValueError:
            problems.add(
                "level",
                _("Choose one of the levels: %(l)s.")
                % {"l": ", ".join(str(label) for label in indicator.ordinal_levels or [])},
            )
    try:
        submit = bool(_yes_no(raw["submit"]))
    except ValueError:
        submit = False
        problems.add("submit", _("Answer %(y)s or %(n)s.") % {"y": _yes(), "n": _no()})
    try:
        version = int(Decimal(_text(raw["version"]) or "0"))
    except ArithmeticError:
        version = -1
    if len(problems.items) > before:
        return None

    cleaned, errors = values_normalize(indicator=indicator, values=values)
    problems.add_errors(errors)
    if errors:
        return None
    current = UpdateValues.from_update(update) if update else UpdateValues()
    changes = _changes(indicator, current, cleaned)
    will_submit = submit and (update is None or update.status != Status.SUBMITTED)
    if not changes and not (will_submit and (update is None or update.is_editable_status)):
        return None  # nothing to do: unchanged, or asked to submit what is already submitted

    stored_version = update.version if update else 0
    if version != stored_version:
        problems.add(
            "version",
            _(
                "This update was changed by someone else since you downloaded the template "
                "(it is now %(s)s, version %(v)s). Download a new template and enter your "
                "figures again."
            )
            % {"s": _status_text(update).lower(), "v": stored_version},
        )
        return None
    if update is not None and not update.is_editable_status:
        problems.add(
            None,
            _("This update is %(s)s and can no longer be edited.")
            % {"s": update.get_status_display().lower()},
        )
        return None
    if update is not None and not can_edit_update(user, update):
        problems.add(None, _("You cannot change this update."))
        return None
    refusal = update_entry_refusal(period=period, update=update)
    if refusal:
        problems.add(None, refusal)
        return None
    if will_submit:
        previous = update_previous_value(indicator=indicator, office=office, period=period)
        problems.add_errors(
            submission_check(indicator=indicator, values=cleaned, previous_value=previous)
        )
    return ImportRow(
        row=excel_row,
        indicator=indicator,
        update=update,
        expected_version=stored_version,
        values=cleaned,
        values_changed=bool(changes),
        submit=will_submit,
        changes=changes,
    )


def _display(indicator: Indicator, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name == "value" and indicator.measure == Measure.YES_NO:
        return _yes() if value == 1 else _no()
    if name == "value" and indicator.measure == Measure.ORDINAL:
        return indicator.level_label(int(value))
    if name == "value" and indicator.measure == Measure.PERCENTAGE:
        return f"{number_plain(value)} %"
    if isinstance(value, Decimal):
        return number_plain(value)
    return str(value)


def _changes(indicator: Indicator, old: UpdateValues, new: UpdateValues) -> list[FieldChange]:
    """Return field by field what differs between the stored values and the uploaded ones."""
    labels = {
        "value": (
            _("Percentage")
            if indicator.measure == Measure.PERCENTAGE
            else column_label(
                {Measure.YES_NO: "yes_no", Measure.ORDINAL: "level"}.get(indicator.measure, "value")
            )
        ),
        "numerator": column_label("numerator"),
        "denominator": column_label("denominator"),
        "text": column_label("text"),
        "narrative": column_label("narrative"),
    }
    changes = [
        FieldChange(
            labels[name],
            _display(indicator, name, getattr(old, name)),
            _display(indicator, name, getattr(new, name)),
        )
        for name in labels
        if getattr(old, name) != getattr(new, name)
        and not (getattr(old, name) in (None, "") and getattr(new, name) in (None, ""))
    ]
    for key in DISAGGREGATION_COLUMNS:
        dimension, _sep, category = key.partition(":")
        before = (old.disaggregations or {}).get(dimension, {}).get(category)
        after = (new.disaggregations or {}).get(dimension, {}).get(category)
        if before != after:
            changes.append(
                FieldChange(
                    column_label(key),
                    _display(indicator, key, before),
                    _display(indicator, key, after),
                )
            )
    return changes


# --- Upload: apply ---------------------------------------------------------------------------


class _RollBack(Exception):
    pass


def excel_upload_apply(
    *, user: AbstractBaseUser, office: Office, period: ReportingPeriod, preview: ImportPreview
) -> ImportResult:
    """Save every change of a checked preview in one transaction, through the workflow services.

    If any row fails (someone saved meanwhile, the period was locked, ...), nothing is saved
    and the result lists the problems by row and column.
    """
    if not can_enter_for_office(user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})
    if preview.problems or preview.office.pk != office.pk or preview.period.pk != period.pk:
        problems = preview.problems or [_file_problem(_("The preview is for another file."))]
        return ImportResult(problems=list(problems))
    result = ImportResult()
    try:
        with transaction.atomic():
            for row in preview.rows:
                _apply_row(user, office, period, row, result, preview.positions)
            if result.problems:
                raise _RollBack
    except _RollBack:
        return ImportResult(problems=result.problems)
    return result


def _apply_row(
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
    row: ImportRow,
    result: ImportResult,
    positions: dict[str, int],
) -> None:
    problems = _RowProblems(row.row, row.indicator.measure, positions)
    try:
        update = row.update
        version = row.expected_version
        if row.values_changed:
            update = update_save(
                user=user,
                indicator=row.indicator,
                office=office,
                period=period,
                values=row.values,
                expected_version=version,
            )
            version = update.version
            result.saved.append(update)
        if row.submit:
            update = update_submit(user=user, update=update, expected_version=version)
            result.submitted.append(update)
    except UpdateValidationError as exc:
        problems.add_errors(exc.message_dict)
    except StaleVersionError as exc:
        problems.add(
            "version",
            _(
                "This update was changed by someone else since you downloaded the template "
                "(it is now %(s)s, version %(v)s). Download a new template and enter your "
                "figures again."
            )
            % {"s": _status_text(exc.current).lower(), "v": exc.current.version},
        )
    except WorkflowError as exc:
        problems.add(None, exc.message)
    except PermissionDenied as exc:
        problems.add(None, str(exc))
    result.problems.extend(problems.items)
