"""An indicator's figure in its unit (rollups.wording): `{% load figures %}`, then
`{% figure_value row ind %}`, `{% figure_count row ind %}`, `{% figure_target row ind %}`,
`{% figure_baseline row ind %}`, `{% figure_provisional row ind %}`,
`{% figure_amount value ind %}` and `{% period_mark row expected %}`."""

from django import template

from rollups import wording

register = template.Library()


@register.simple_tag
def figure_value(figure, indicator) -> str:
    return wording.value_text(figure or None, indicator=indicator)


@register.simple_tag
def figure_count(figure, indicator) -> str:
    return wording.count_text(figure or None, indicator=indicator)


@register.simple_tag
def figure_target(figure, indicator) -> str:
    return wording.target_text(figure or None, indicator=indicator)


@register.simple_tag
def figure_baseline(figure, indicator) -> str:
    return wording.baseline_text(figure or None, indicator=indicator)


@register.simple_tag
def figure_provisional(figure, indicator) -> str:
    return wording.provisional_text(figure or None, indicator=indicator)


@register.simple_tag
def figure_amount(value, indicator) -> str:
    return wording.amount_text(value if value != "" else None, indicator=indicator)


@register.simple_tag
def period_mark(figure, expected=None) -> str:
    return wording.period_mark(figure or None, expected=expected or None)
