"""How numbers are written, in one place.

`number_plain` is the machine-readable form every file and input uses (CSV, IATI, form inputs,
Excel text cells): a dot, no thousands separator, no trailing zeros. `number_cell` is what a
spreadsheet cell stores. `number_display` / `percent_display` are how a figure is shown to a
person on every page, in the PDF and in chart labels: the active language's separators
(Django's localisation: "1,234.5" in English, "1 234,5" in French) and a fixed number of
decimals by kind of figure (`DECIMALS`). Templates use them through
`core.templatetags.numbers` (`{% load numbers %}`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.formats import number_format
from django.utils.translation import get_language

# Decimals shown, by kind of figure: counts are whole, percentages and shares one decimal,
# progress against a target whole percents.
DECIMALS = {
    "number": 0,
    "percentage": 1,
    "share": 1,
    "progress": 0,
    "count": 0,
}


def number_plain(value: Decimal | int | float | None) -> str:
    """Return a number as plain text ("12.5", "1200", "0"); "" when there is none."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def number_cell(value: Decimal | None) -> int | float | None:
    """Return a number as a spreadsheet stores it: a whole number stays whole."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def number_display(value: object, *, kind: str = "number", decimals: int | None = None) -> str:
    """Return a number as a person reads it in the active language, with thousands separators
    and the kind's fixed decimals ("1,234.5" / "1 234,5"); "—" when there is none."""
    number = _decimal(value)
    if number is None:
        return "—"
    places = DECIMALS.get(kind, 0) if decimals is None else decimals
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return formats.number_format(rounded, places, use_l10n=True, force_grouping=True)


def percent_display(value: object, *, kind: str = "percentage", fraction: bool = False) -> str:
    """Return a percentage as a person reads it ("70.6%"; "70,6 %" in French and Spanish);
    `fraction`: 1.0 means 100%. "—" when there is none."""
    number = _decimal(value)
    if number is None:
        return "—"
    text = number_display(number * 100 if fraction else number, kind=kind)
    language = (get_language() or "en").split("-")[0]
    return f"{text}\u00a0%" if language in {"fr", "es"} else f"{text}%"


def number_human(value: Decimal | int | float | None, *, places: int | None = None) -> str:
    """Return a number as a person reads it in the active language: thousands grouped
    ("151,100"; "151 100" in French), no trailing zeros, at most `places` decimals; "—" when
    there is none."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if places is not None and value.is_finite() and abs(value) < Decimal(10) ** 28:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if not value.is_finite():
        return str(value)
    # A whole number as an integer: 151100, not 1.511E+5.
    value = Decimal(int(value)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True, force_grouping=True)
