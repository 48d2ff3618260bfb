"""Checking an uploaded template row by row with the rules the web form uses, into a preview
of what will change (nothing is written)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.formatting import number_plain
from core.numbers import NumberRefused, number_parse
from deliverables.models import Indicator
from offices.models import Office
from offices.permissions import can_enter_for_office
from reporting.excel.columns import (
    COLUMN_INDEX,
    DISAGGREGATION_COLUMNS,
    FIRST_DATA_ROW,
    MEASURE_COLUMNS,
    MEASURE_INPUTS,
    REQUIRED_KEYS,
    ImportProblem,
    column_label,
    file_problem,
    no_text,
    status_text,
    yes_text,
)
from reporting.excel.reading import (
    cell_is_blank,
    cell_level,
    cell_text,
    cell_yes_no,
    updates_sheet_read,
)
from reporting.exceptions import WorkflowError
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.entry import EntryRow, entry_rows
from reporting.selectors.periods import period_entry_refusal
from reporting.selectors.updates import update_previous_value
from reporting.services.validation import (
    UpdateValues,
    submission_check,
    values_normalize,
)
from reporting.services.workflow import (
    update_edit_check,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Measure = Indicator.Measure
Status = IndicatorUpdate.Status


# --- Upload: parse and preview ---------------------------------------------------------------


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
        return status_text(self.update)


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


class RowProblems:
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
    keys, data_rows, problems = updates_sheet_read(file)
    if problems:
        preview.problems = problems
        return preview

    # Columns are found by the keys in the (hidden) second row, so moved columns still work.
    positions: dict[str, int] = {}
    for number, cell in enumerate(keys, start=1):
        key = cell_text(cell)
        if key in COLUMN_INDEX and key not in positions:
            positions[key] = number
    missing = [key for key in REQUIRED_KEYS if key not in positions]
    if missing:
        preview.problems = [
            file_problem(
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
    while raw_rows and all(cell_is_blank(v) for v in raw_rows[-1].values()):
        raw_rows.pop()

    # The file must be the one made for this office and period.
    offices = {cell_text(r["office_code"]) for r in raw_rows if not cell_is_blank(r["office_code"])}
    periods = {cell_text(r["period_code"]) for r in raw_rows if not cell_is_blank(r["period_code"])}
    if offices - {office.code} or periods - {period.code}:
        preview.problems = [
            file_problem(
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
        preview.problems = [file_problem(period_entry_refusal(period=period, update=None))]
        return preview

    assigned = {row.indicator.code: row for row in entry_rows(office=office, period=period)}
    seen: dict[str, int] = {}
    for offset, raw in enumerate(raw_rows):
        excel_row = FIRST_DATA_ROW + offset
        if all(cell_is_blank(v) for v in raw.values()):
            continue
        code = cell_text(raw["indicator_code"])
        known = assigned.get(code)
        measure = known.indicator.measure if known else Measure.NUMBER
        row_problems = RowProblems(excel_row, measure, positions)
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
        preview.problems.append(file_problem(_("The “Updates” sheet has no rows.")))
    if preview.problems:
        preview.rows = []
    return preview


def _row_check(
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
    excel_row: int,
    raw: dict[str, Any],
    known: EntryRow,
    problems: RowProblems,
) -> ImportRow | None:
    """Check one row; return what it changes, or None when it changes nothing."""
    indicator, update = known.indicator, known.update
    inputs = MEASURE_INPUTS[indicator.measure]
    before = len(problems.items)

    # Only the columns of the indicator's measure and breakdowns may be filled.
    for key in MEASURE_COLUMNS:
        if key not in inputs and not cell_is_blank(raw[key]):
            problems.add(
                key,
                _("Leave this cell empty: %(c)s is measured as “%(m)s”.")
                % {"c": indicator.code, "m": indicator.get_measure_display()},
            )
    used = set(indicator.disaggregations or [])
    disaggregations: dict[str, dict[str, Any]] = {}
    for key in DISAGGREGATION_COLUMNS:
        dimension, _sep, category = key.partition(":")
        if cell_is_blank(raw[key]):
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
        text=cell_text(raw["text"]) if indicator.measure == Measure.QUALITATIVE else "",
        narrative=cell_text(raw["narrative"]),
        disaggregations=disaggregations,
    )
    numeric_keys = {"value": "value", "numerator": "numerator", "denominator": "denominator"}
    for key, attribute in numeric_keys.items():
        if key in inputs:
            # A typed number as Excel holds it; text in the uploader's language.
            try:
                setattr(values, attribute, number_parse(raw[key]))
            except NumberRefused as exc:
                problems.add(key, exc.message)
    if "yes_no" in inputs:
        try:
            answer = cell_yes_no(raw["yes_no"])
            values.value = None if answer is None else Decimal(int(answer))
        except ValueError:
            problems.add("yes_no", _("Answer %(y)s or %(n)s.") % {"y": yes_text(), "n": no_text()})
    if "level" in inputs:
        try:
            values.value = cell_level(raw["level"], indicator)
        except ValueError:
            problems.add(
                "level",
                _("Choose one of the levels: %(l)s.")
                % {"l": ", ".join(str(label) for label in indicator.ordinal_levels or [])},
            )
    try:
        submit = bool(cell_yes_no(raw["submit"]))
    except ValueError:
        submit = False
        problems.add("submit", _("Answer %(y)s or %(n)s.") % {"y": yes_text(), "n": no_text()})
    try:
        version = int(Decimal(cell_text(raw["version"]) or "0"))
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
            % {"s": status_text(update).lower(), "v": stored_version},
        )
        return None
    try:
        update_edit_check(user=user, office=office, period=period, update=update)
    except (PermissionDenied, WorkflowError) as exc:
        problems.add(None, str(getattr(exc, "message", exc)))
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
        return yes_text() if value == 1 else no_text()
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
