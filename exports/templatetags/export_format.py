"""Filters for figures in the membership update and export pages: percentages and numbers,
written in the active language by core.formatting, as on the dashboards."""

from decimal import Decimal, InvalidOperation

from django import template

from core.formatting import number_display, percent_display

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def percent(value, digits: int = 0) -> str:
    """Format a fraction (1.0 = 100%) as a percentage; an en dash when there is none."""
    number = _decimal(value)
    if number is None:
        return "–"
    return percent_display(number * 100, kind="progress" if not int(digits) else "share")


@register.filter
def figure(value) -> str:
    """Format a figure with thousands separators: whole, or with two decimals."""
    number = _decimal(value)
    if number is None:
        return "–"
    whole = number == number.to_integral_value()
    return number_display(number, decimals=0 if whole else 2)


@register.filter
def bar_width(value) -> str:
    """Return a progress fraction as a CSS width between 0% and 100%."""
    number = _decimal(value)
    if number is None:
        return "0%"
    return f"{max(Decimal(0), min(Decimal(1), number)) * 100:.1f}%"
