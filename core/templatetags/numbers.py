"""Numbers as a person reads them, in the active language (core.formatting): `{% load numbers %}`,
then `{{ value|num }}`, `{{ value|num:"percentage" }}`, `{{ value|pct }}` (a percentage) and
`{{ value|frac }}` (a fraction, 1.0 = 100%)."""

from django import template

from core.formatting import number_display, percent_display

register = template.Library()


@register.filter
def num(value: object, kind: str = "number") -> str:
    """Return a number with the language's separators and the kind's decimals."""
    return number_display(value, kind=kind)


@register.filter
def pct(value: object, kind: str = "percentage") -> str:
    """Return a percentage (a value in percent, e.g. a share)."""
    return percent_display(value, kind=kind)


@register.filter
def frac(value: object) -> str:
    """Return a fraction (1.0 = 100%) as a whole percentage, e.g. progress."""
    return percent_display(value, kind="progress", fraction=True)
