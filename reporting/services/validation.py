"""The rules an indicator update's values must follow (DOMAIN.md, "Validation").

One set of rules for the web form, the API and the Excel upload. Each function returns a dict of
field name to messages; an empty dict means the values are acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.formatting import number_plain
from core.numbers import NumberRefused, number_parse
from deliverables.models import Indicator
from reporting.models import IndicatorUpdate

Measure = Indicator.Measure
FOUR_PLACES = Decimal("0.0001")
Errors = dict[str, list[str]]
# The longest text or narrative, in every channel (web form, Excel upload, API).
TEXT_MAX_LENGTH = 20000
# The largest magnitude the value columns store (18 digits, 4 of them decimals): beyond it a
# value could not be saved, or would break every page that shows it.
VALUE_MAX_ABS = Decimal(10) ** 14

# What the decimal columns hold (value, numerator, denominator: the same digits): a figure
# beyond them is refused here, on SQLite (which would store it) as on PostgreSQL (which would
# fail), and never rounded away silently.
_COLUMN = IndicatorUpdate._meta.get_field("value")
COLUMN_PLACES: int = _COLUMN.decimal_places
COLUMN_LIMIT = Decimal(10) ** (_COLUMN.max_digits - _COLUMN.decimal_places)


@dataclass
class UpdateValues:
    """What someone entered for one update, before it is stored."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    text: str = ""
    disaggregations: dict[str, dict[str, Any]] = field(default_factory=dict)
    narrative: str = ""

    @classmethod
    def from_update(cls, update) -> UpdateValues:
        return cls(
            value=update.value,
            numerator=update.numerator,
            denominator=update.denominator,
            text=update.text,
            disaggregations=update.disaggregations or {},
            narrative=update.narrative,
        )


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def column_problem(number: Decimal | None) -> str:
    """Return why a number does not fit the decimal columns ("" when it does)."""
    if number is None:
        return ""
    if not number.is_finite() or abs(number) >= COLUMN_LIMIT:
        return _("%(v)s is too large: figures stay below %(max)s.") % {
            "v": number_plain(number) if number.is_finite() else str(number),
            "max": number_plain(COLUMN_LIMIT),
        }
    if number.normalize().as_tuple().exponent < -COLUMN_PLACES:
        return _("%(v)s has too many decimals: give at most %(n)s, such as %(e)s.") % {
            "v": number_plain(number),
            "n": COLUMN_PLACES,
            "e": number_plain(number.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)),
        }
    return ""


def stored_value_problem(update) -> str:
    """Return why a stored update's figures are out of range ("" when they are not).

    Rows written before these rules (or around them) are shown flagged with this, never
    allowed to break the page that reads them.
    """
    for number in (update.value, update.numerator, update.denominator):
        problem = column_problem(number)
        if problem:
            return problem
    value = update.value
    if value is None:
        return ""
    if value < 0:
        return _("A negative figure (%(v)s) is stored.") % {"v": number_plain(value)}
    if update.measure == Measure.YES_NO and value not in (Decimal(0), Decimal(1)):
        return _("%(v)s is stored for a yes/no answer.") % {"v": number_plain(value)}
    if update.measure == Measure.ORDINAL:
        levels = len(update.indicator.ordinal_levels or [])
        if value != value.to_integral_value() or not 1 <= value <= levels:
            return _("Level %(v)s is stored, but the indicator has %(n)s levels.") % {
                "v": number_plain(value),
                "n": levels,
            }
    if update.measure == Measure.PERCENTAGE and value > 100:
        return _("%(v)s%% is stored, above 100%%.") % {"v": number_plain(value)}
    return ""


def percentage_of(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator * 100).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def values_normalize(*, indicator: Indicator, values: UpdateValues) -> tuple[UpdateValues, Errors]:
    """Check the shape of the values for the indicator's measure and derive what follows.

    Return the cleaned values (a percentage's value computed from its numerator and denominator)
    and the field errors. Rules here hold for drafts as well as submissions.
    """
    errors: Errors = {}
    cleaned = UpdateValues(
        text=(values.text or "").strip(),
        narrative=(values.narrative or "").strip(),
        disaggregations={},
    )
    for name in ("value", "numerator", "denominator"):
        problem = column_problem(getattr(values, name))
        if problem:
            _add(errors, name, problem)
    if errors:
        return cleaned, errors
    measure = indicator.measure
    if measure == Measure.PERCENTAGE:
        cleaned.numerator, cleaned.denominator = values.numerator, values.denominator
        if cleaned.numerator is not None and cleaned.numerator < 0:
            _add(errors, "numerator", _("The numerator cannot be negative."))
        if cleaned.denominator is not None and cleaned.denominator <= 0:
            _add(errors, "denominator", _("The denominator must be greater than zero."))
        if (cleaned.numerator is None) != (cleaned.denominator is None):
            missing = "numerator" if cleaned.numerator is None else "denominator"
            _add(errors, missing, _("Enter both the numerator and the denominator."))
        if (
            not errors
            and cleaned.numerator is not None
            and cleaned.denominator is not None
            and cleaned.numerator > cleaned.denominator
        ):
            _add(
                errors,
                "numerator",
                _("The numerator (%(n)s) cannot be larger than the denominator (%(d)s).")
                % {"n": number_plain(cleaned.numerator), "d": number_plain(cleaned.denominator)},
            )
        if not errors and cleaned.numerator is not None:
            cleaned.value = percentage_of(cleaned.numerator, cleaned.denominator)
    elif measure == Measure.NUMBER:
        cleaned.value = values.value
        if cleaned.value is not None and cleaned.value < 0:
            _add(errors, "value", _("A count cannot be negative."))
    elif measure == Measure.YES_NO:
        cleaned.value = values.value
        if cleaned.value is not None and cleaned.value not in (Decimal(0), Decimal(1)):
            _add(errors, "value", _("Answer yes or no."))
    elif measure == Measure.ORDINAL:
        cleaned.value = values.value
        levels = len(indicator.ordinal_levels or [])
        if cleaned.value is not None and (
            cleaned.value != cleaned.value.to_integral_value() or not 1 <= cleaned.value <= levels
        ):
            _add(errors, "value", _("Choose one of the %(n)s levels.") % {"n": levels})
    if measure != Measure.PERCENTAGE and (
        values.numerator is not None or values.denominator is not None
    ):
        _add(errors, "numerator", _("Only percentage indicators take a numerator."))
    _disaggregations_normalize(indicator, values.disaggregations or {}, cleaned, errors)
    _limits_check(cleaned, errors)
    return cleaned, errors


def _limits_check(cleaned: UpdateValues, errors: Errors) -> None:
    """What no update may exceed, whatever its measure: storable numbers, bounded texts."""
    for name in ("value", "numerator", "denominator"):
        number = getattr(cleaned, name)
        if number is not None and abs(number) >= VALUE_MAX_ABS and name not in errors:
            _add(
                errors,
                name,
                _("This number is too large (at most %(n)s).")
                % {"n": number_plain(VALUE_MAX_ABS - 1)},
            )
    for name in ("text", "narrative"):
        length = len(getattr(cleaned, name))
        if length > TEXT_MAX_LENGTH:
            _add(
                errors,
                name,
                _("Keep it to %(max)s characters; this one has %(n)s.")
                % {"max": TEXT_MAX_LENGTH, "n": length},
            )
    for parts in cleaned.disaggregations.values():
        if any(amount >= VALUE_MAX_ABS for amount in parts.values()):
            _add(errors, "disaggregations", _("A part is too large to be a count."))
            break


def _disaggregations_normalize(
    indicator: Indicator, raw: dict, cleaned: UpdateValues, errors: Errors
) -> None:
    """Keep the known dimensions' non-negative whole numbers; flag anything else."""
    if not isinstance(raw, dict):
        _add(errors, "disaggregations", _("Disaggregations must be a mapping of dimensions."))
        return
    allowed = set(indicator.disaggregations or [])
    for dimension, parts in raw.items():
        if dimension not in allowed:
            _add(
                errors,
                "disaggregations",
                _("This indicator is not disaggregated by “%(d)s”.") % {"d": dimension},
            )
            continue
        if not isinstance(parts, dict):
            _add(
                errors, "disaggregations", _("Give the %(d)s parts by category.") % {"d": dimension}
            )
            continue
        categories = {code for code, _label in Indicator.DIMENSION_CATEGORIES[dimension]}
        kept: dict[str, int] = {}
        for category, raw_amount in parts.items():
            name = f"disaggregations.{dimension}.{category}"
            if category not in categories:
                _add(errors, name, _("Unknown category “%(c)s”.") % {"c": category})
                continue
            try:
                amount = number_parse(raw_amount)
            except NumberRefused as exc:
                _add(errors, name, exc.message)
                continue
            if amount is None:
                continue
            if amount < 0 or amount != amount.to_integral_value():
                _add(errors, name, _("Enter a whole number, zero or more."))
                continue
            problem = column_problem(amount)
            if problem:
                _add(errors, name, problem)
                continue
            kept[category] = int(amount)
        if kept:
            cleaned.disaggregations[dimension] = kept


def submission_check(
    *, indicator: Indicator, values: UpdateValues, previous_value: Decimal | None
) -> Errors:
    """Return what stops these (already normalized) values from being submitted."""
    errors: Errors = {}
    measure = indicator.measure
    if measure == Measure.QUALITATIVE:
        if not values.text:
            _add(errors, "text", _("Describe the progress before submitting."))
        return errors
    if values.value is None:
        target = "numerator" if measure == Measure.PERCENTAGE else "value"
        _add(errors, target, _("Enter a value before submitting."))
        return errors
    total = values.numerator if measure == Measure.PERCENTAGE else values.value
    if measure in (Measure.NUMBER, Measure.PERCENTAGE):
        for dimension in indicator.disaggregations or []:
            parts = values.disaggregations.get(dimension)
            label = Indicator.Dimension(dimension).label
            if not parts:
                _add(
                    errors,
                    f"disaggregations.{dimension}",
                    _("Give the breakdown by %(d)s.") % {"d": str(label).lower()},
                )
                continue
            parts_sum = sum(parts.values())
            if Decimal(parts_sum) != total:
                _add(
                    errors,
                    f"disaggregations.{dimension}",
                    _("The %(d)s breakdown adds up to %(sum)s, not the total %(total)s.")
                    % {"d": str(label).lower(), "sum": parts_sum, "total": number_plain(total)},
                )
    if not values.narrative and is_large_change(
        measure=measure, value=values.value, previous_value=previous_value
    ):
        _add(
            errors,
            "narrative",
            _(
                "%(value)s is far from the previous period's %(previous)s (more than "
                "%(factor)s× or under 1/%(factor)s). Explain the change in the narrative "
                "before submitting."
            )
            % {
                "value": number_plain(values.value),
                "previous": number_plain(previous_value),
                "factor": settings.LARGE_CHANGE_FACTOR,
            },
        )
    return errors


def is_large_change(*, measure: str, value: Decimal | None, previous_value: Decimal | None) -> bool:
    """Is the value more than LARGE_CHANGE_FACTOR times (or under its inverse) the previous
    period's? The one rule behind the submission check, the entry page's warning and the
    review queue's flag (counts and percentages only)."""
    if measure not in (Measure.NUMBER, Measure.PERCENTAGE):
        return False
    if value is None or not previous_value or previous_value <= 0:
        return False
    factor = Decimal(settings.LARGE_CHANGE_FACTOR)
    return value > previous_value * factor or value < previous_value / factor


def change_percent(value: Decimal | None, previous_value: Decimal | None) -> Decimal | None:
    """Return the change from the previous value in % (one decimal), None without a base."""
    if (
        value is None
        or not previous_value
        or column_problem(value)
        or column_problem(previous_value)
    ):
        return None
    return ((value - previous_value) / previous_value * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
