"""The Excel template's layout: its sheets, columns (what people read, the hidden keys the
upload is read by) and the texts both the template and the upload show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from deliverables.models import Indicator
from reporting.models import IndicatorUpdate

if TYPE_CHECKING:
    pass

Measure = Indicator.Measure
Status = IndicatorUpdate.Status


UPDATES_SHEET = "Updates"


INSTRUCTIONS_SHEET = "Instructions"


LISTS_SHEET = "Lists"


HEADER_ROW = 1  # what people read


KEY_ROW = 2  # hidden: the column keys the upload is read by


FIRST_DATA_ROW = 3


MAX_DATA_ROWS = 2000


@dataclass(frozen=True)
class Column:
    key: str
    kind: str  # "identity" (hidden), "context" (read-only) or "edit"
    width: int


IDENTITY = ["indicator_code", "office_code", "period_code", "version"]


CONTEXT = [
    "indicator",
    "measure",
    "unit",
    "baseline",
    "target",
    "previous_value",
    "status",
    "locked_reason",
    "review_comment",
]

# Columns of free text: written as text, never as a formula, and read back as typed (an
# upload keeps "=..." in them as text, not the formula's result).
TEXT_COLUMNS = ("text", "narrative")


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
    Column("locked_reason", "context", 30),
    Column("review_comment", "context", 35),
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
        "locked_reason": _("Why it cannot change"),
        "review_comment": _("Reviewer's comment"),
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
        "locked_reason": _(
            "Empty when you may change the row. Otherwise why its cells are locked and grey "
            "(submitted, approved, a closed or locked period), or why a stored figure is out "
            "of range."
        ),
        "review_comment": _("What the reviewer wrote when returning or reopening the update."),
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


def yes_text() -> str:
    return _("Yes")


def no_text() -> str:
    return _("No")


def status_text(update: IndicatorUpdate | None) -> str:
    if update is None:
        return _("Not started")
    label = update.get_status_display()
    if not update.is_editable_status:
        return _("%(s)s (not editable)") % {"s": label}
    return label


def measure_text(indicator: Indicator) -> str:
    text = str(indicator.get_measure_display())
    if indicator.measure == Measure.ORDINAL and indicator.ordinal_levels:
        levels = "; ".join(
            f"{number} {label}" for number, label in enumerate(indicator.ordinal_levels, start=1)
        )
        text = f"{text}: {levels}"
    if indicator.cumulative:
        # Outside the f-string, where makemessages finds it.
        hint = _("what happened in the period")
        text = f"{text} ({hint})"
    return text


@dataclass(frozen=True)
class ImportProblem:
    """One reason the upload cannot be saved; row None for the file as a whole."""

    row: int | None
    column: str  # column letter, or "" for the whole row
    header: str
    message: str


def file_problem(message: str) -> ImportProblem:
    return ImportProblem(None, "", "", str(message))
