"""How numbers are written, in one place.

`number_plain` is the machine-readable form every file and input uses (CSV, IATI, form inputs,
Excel text cells): a dot, no thousands separator, no trailing zeros. `number_cell` is what a
spreadsheet cell stores. How a figure is shown to a person is `core.templatetags.figures`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


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
