"""How numbers are written, in one place.

`number_plain` is the machine-readable form every file and input uses (CSV, IATI, form inputs,
Excel text cells): a dot, no thousands separator, no trailing zeros. `number_cell` is what a
spreadsheet cell stores. How a figure is shown to a person is `core.templatetags.figures`.
"""

from __future__ import annotations

from decimal import Decimal


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
