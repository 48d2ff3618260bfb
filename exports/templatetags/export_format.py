"""Filters for figures in the membership update and export pages: percentages and numbers."""

from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

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
    return f"{number * 100:.{int(digits)}f}%"


@register.filter
def figure(value) -> str:
    """Format a figure with thousands separators and at most two decimals."""
    number = _decimal(value)
    if number is None:
        return "–"
    if number == number.to_integral_value():
        return intcomma(int(number))
    return intcomma(f"{number.quantize(Decimal('0.01')).normalize():f}")


@register.filter
def bar_width(value) -> str:
    """Return a progress fraction as a CSS width between 0% and 100%."""
    number = _decimal(value)
    if number is None:
        return "0%"
    return f"{max(Decimal(0), min(Decimal(1), number)) * 100:.1f}%"
