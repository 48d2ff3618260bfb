"""Template filters for showing indicator updates: values by measure, numbers as typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from core.formatting import number_human, number_plain
from deliverables.models import Indicator
from reporting.models import IndicatorUpdate
from reporting.services.validation import stored_value_problem

register = template.Library()
Measure = Indicator.Measure


@register.filter
def number(value: Any) -> str:
    """Show a number without trailing zeros; an em dash when there is none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return number_plain(value)
    return str(value)


@register.filter
def measure_value(value: Decimal | None, indicator: Indicator) -> str:
    """Show a stored figure the way the indicator's measure reads: 45%, Yes, 2 — Partial."""
    if value is None:
        return "—"
    measure = indicator.measure
    if measure == Measure.PERCENTAGE:
        return f"{number_plain(value)}%"
    if measure == Measure.YES_NO:
        return _("Yes") if value == 1 else _("No")
    if measure == Measure.ORDINAL:
        label = indicator.level_label(int(value))
        return f"{int(value)} — {label}" if label else str(int(value))
    unit = f" {indicator.unit}" if indicator.unit else ""
    return number_plain(value) + unit


@register.filter
def update_value(update: IndicatorUpdate | None) -> str:
    """Show an update's figure: 45% (90 / 200), Yes, 2 — Partial, 120 people, or its text."""
    if update is None:
        return "—"
    if update.indicator.measure == Measure.QUALITATIVE:
        return update.text or "—"
    shown = measure_value(update.value, update.indicator)
    if update.value is not None and update.indicator.measure == Measure.PERCENTAGE:
        shown += f" ({number_plain(update.numerator)} / {number_plain(update.denominator)})"
    return shown


@register.filter
def disaggregation_text(parts: dict | None) -> str:
    """Show {"sex": {"female": 3, "male": 2}} as "Sex: Female 3, Male 2"."""
    if not parts:
        return "—"
    lines = []
    for dimension, amounts in parts.items():
        labels = dict(Indicator.DIMENSION_CATEGORIES.get(dimension, []))
        try:
            name = Indicator.Dimension(dimension).label
        except ValueError:
            name = dimension
        shown = ", ".join(f"{labels.get(c, c)} {a}" for c, a in (amounts or {}).items())
        lines.append(f"{name}: {shown}")
    return "; ".join(lines)


@register.filter
def change_value(value: Any, name: str = "") -> str:
    """Show one side of a recorded change."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return disaggregation_text(value)
    if name == "status":
        return str(IndicatorUpdate.Status(value).label)
    return number(value)


@register.filter
def field_label(name: str) -> str:
    """Return an update field's human name ("review_comment" → "reviewer's comment")."""
    try:
        return str(IndicatorUpdate._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name


@register.filter
def status_label(status: str) -> str:
    try:
        return str(IndicatorUpdate.Status(status).label)
    except ValueError:
        return status


@register.filter
def value_problem(update: IndicatorUpdate | None) -> str:
    """Why an update's stored figures are out of range ("" when they are not)."""
    return stored_value_problem(update) if update is not None else ""


@register.filter
def measure_figure(value: Decimal | None, indicator: Indicator) -> str:
    """Show a figure formatted for a person, by measure and with its unit: "151,100 USD",
    "70.6%", "Yes", "2 — Partial" (thousands and decimals in the active language)."""
    if value is None:
        return "—"
    measure = indicator.measure
    if measure == Measure.PERCENTAGE:
        return f"{number_human(value, places=1)}%"
    if measure in (Measure.YES_NO, Measure.ORDINAL):
        return measure_value(value, indicator)
    unit = f" {indicator.unit}" if indicator.unit else ""
    return number_human(value, places=2) + unit


@register.filter
def change_text(percent: Decimal | None) -> str:
    """Show a change in % with its sign ("+12.5%", "−40%"); "—" without a previous value."""
    if percent is None:
        return "—"
    sign = "+" if percent > 0 else ("−" if percent < 0 else "")
    return f"{sign}{number_human(abs(percent), places=1)}%"


@register.filter
def human(value: Decimal | None) -> str:
    """Show a number for a person, in the active language ("1,200.5"); "—" when none."""
    return number_human(value)


@register.filter
def points_text(points: Decimal | None) -> str:
    """Show a change of a percentage in points ("+20.6 pts"); "" when there is none."""
    if points is None:
        return ""
    sign = "+" if points > 0 else ("−" if points < 0 else "")
    return _("%(sign)s%(n)s pts") % {"sign": sign, "n": number_human(abs(points), places=1)}
