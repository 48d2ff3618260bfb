"""The Excel template: a workbook pre-filled for one office and period, where only what the
person may still change is editable."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.cells import xlsx_cell_write
from core.formatting import number_cell, number_plain
from deliverables.models import Indicator
from offices.models import Office
from offices.permissions import can_enter_for_office
from reporting.excel.columns import (
    COLUMN_INDEX,
    COLUMNS,
    DISAGGREGATION_COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    KEY_ROW,
    LISTS_SHEET,
    MEASURE_INPUTS,
    UPDATES_SHEET,
    column_label,
    column_meaning,
    measure_text,
    no_text,
    status_text,
    yes_text,
)
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.entry import EntryRow, entry_rows
from reporting.services.validation import COLUMN_LIMIT, stored_value_problem
from reporting.services.workflow import (
    update_edit_refusal,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Measure = Indicator.Measure
Status = IndicatorUpdate.Status


GREY = PatternFill("solid", fgColor="E7E6E6")


DARK_GREY = PatternFill("solid", fgColor="BFBFBF")


YELLOW = PatternFill("solid", fgColor="FFF2CC")


HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


LOCKED = Protection(locked=True)


UNLOCKED = Protection(locked=False)


def excel_template_build(
    *, user: AbstractBaseUser, office: Office, period: ReportingPeriod
) -> bytes:
    """Return an .xlsx workbook pre-filled with the office's indicators and updates for the period.

    Raise PermissionDenied unless the user may enter updates for the office.
    """
    if not can_enter_for_office(user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})
    rows = entry_rows(office=office, period=period)
    workbook = Workbook()
    _instructions_sheet(workbook.active, user=user, office=office, period=period)
    sheet = workbook.create_sheet(UPDATES_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _updates_sheet(sheet, lists, rows=rows, user=user, office=office, period=period)
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
                "Rows that cannot be changed (submitted or approved updates, a closed or "
                "locked period) are grey and locked, with the reason in “Why it cannot "
                "change”. The reviewer's comment, if any, is beside it."
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
        xlsx_cell_write(sheet, number, 1, left).alignment = wrap
        xlsx_cell_write(sheet, number, 2, right).alignment = wrap
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows(min_row=1, max_row=len(lines), max_col=1):
        if row[0].value and not sheet.cell(row=row[0].row, column=2).value:
            row[0].font = Font(bold=True, size=12 if row[0].row > 1 else 14)


def _updates_sheet(
    sheet,
    lists,
    *,
    rows: list[EntryRow],
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
) -> None:
    header_font = Font(bold=True, color="FFFFFF")
    for column in COLUMNS:
        number = COLUMN_INDEX[column.key]
        letter = get_column_letter(number)
        header = xlsx_cell_write(sheet, HEADER_ROW, number, column_label(column.key))
        header.font = header_font
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        header.comment = Comment(column_meaning(column.key), "Strategy Tracker")
        xlsx_cell_write(sheet, KEY_ROW, number, column.key)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.kind == "identity":
            dimension.hidden = True
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=COLUMN_INDEX["measure"])

    last_row = FIRST_DATA_ROW + max(len(rows), 1) - 1
    yes_no = f'"{yes_text()},{no_text()}"'

    def rng(key: str) -> str:
        letter = get_column_letter(COLUMN_INDEX[key])
        return f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"

    # Excel's own check mirrors the column's bound; the server checks again on upload.
    largest = number_plain(COLUMN_LIMIT - 1)
    decimal_dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=largest,
        allow_blank=True,
        showErrorMessage=True,
        error=_("Enter a number from 0 to %(max)s.") % {"max": largest},
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
            xlsx_cell_write(lists, lists_row, 1, row.indicator.code)
            for number, label in enumerate(row.indicator.ordinal_levels, start=2):
                xlsx_cell_write(lists, lists_row, number, label)
            last = get_column_letter(len(row.indicator.ordinal_levels) + 1)
            level_range = f"{LISTS_SHEET}!$B${lists_row}:${last}${lists_row}"
        _updates_row(sheet, excel_row, row, user=user, office=office, period=period)
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
    sheet,
    excel_row: int,
    row: EntryRow,
    *,
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
) -> None:
    indicator, update = row.indicator, row.update
    # Only what the server would accept is editable: the one rule of the web form.
    refusal = update_edit_refusal(user=user, office=office, period=period, update=update)
    editable = not refusal
    problem = stored_value_problem(update) if update is not None else ""
    values = {
        "indicator_code": indicator.code,
        "office_code": office.code,
        "period_code": period.code,
        "version": update.version if update else 0,
        "indicator": f"{indicator.code} {indicator.name}",
        "measure": measure_text(indicator),
        "unit": indicator.unit,
        "baseline": number_cell(indicator.baseline_value),
        "target": number_cell(row.target),
        "previous_value": number_cell(row.previous_value),
        "status": status_text(update),
        "locked_reason": " ".join(
            part
            for part in (refusal, _("Out of range: %(p)s") % {"p": problem} if problem else "")
            if part
        ),
        "review_comment": update.review_comment if update else "",
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
            values["yes_no"] = yes_text() if update.value == 1 else no_text()
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
        cell = xlsx_cell_write(sheet, excel_row, COLUMN_INDEX[column.key], values.get(column.key))
        cell.alignment = Alignment(
            wrap_text=column.key
            in {"indicator", "text", "narrative", "locked_reason", "review_comment"}
        )
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
