"""Query filters of the reporting API lists: updates and roll-ups."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from deliverables.models import Deliverable, Indicator
from offices.models import Office, Region
from outcomes.models import InstitutionalOutput, Marker, Outcome
from reporting.models import IndicatorUpdate, ReportingPeriod

PERIOD_HELP = _("A period code (e.g. 2021-Q3) or a date (YYYY-MM-DD).")


def period_start(raw: str) -> dt.date:
    """Return the start date a period bound names: a period code or a date.

    Raise forms.ValidationError (a 400) for anything else.
    """
    raw = (raw or "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    start = ReportingPeriod.objects.filter(code=raw).aggregate(start=Min("start_date"))["start"]
    if start is None:
        raise forms.ValidationError(_("No period has the code “%(c)s”.") % {"c": raw[:20]})
    return start


class PeriodBoundField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        return period_start(value)


class PeriodBoundFilter(django_filters.Filter):
    """Periods starting on or after (`gte`) or on or before (`lte`) the named period or date."""

    field_class = PeriodBoundField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", PERIOD_HELP)
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)


class UpdateFilter(django_filters.FilterSet):
    office = django_filters.ModelChoiceFilter(queryset=Office.objects.all())
    region = django_filters.ModelChoiceFilter(
        field_name="office__region", queryset=Region.objects.all()
    )
    period = django_filters.ModelChoiceFilter(queryset=ReportingPeriod.objects.all())
    period_from = PeriodBoundFilter(field_name="period__start_date", lookup_expr="gte")
    period_to = PeriodBoundFilter(field_name="period__start_date", lookup_expr="lte")
    status = django_filters.ChoiceFilter(choices=IndicatorUpdate.Status.choices)
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all())
    deliverable = django_filters.ModelChoiceFilter(
        field_name="indicator__deliverable", queryset=Deliverable.objects.all()
    )
    outcome = django_filters.ModelChoiceFilter(
        field_name="indicator__deliverable__outcome", queryset=Outcome.objects.all()
    )
    output = django_filters.ModelChoiceFilter(
        field_name="indicator__output", queryset=InstitutionalOutput.objects.all()
    )
    marker = django_filters.ModelChoiceFilter(
        field_name="indicator__markers", queryset=Marker.objects.all()
    )

    class Meta:
        model = IndicatorUpdate
        fields: list[str] = []


class PeriodFilter(django_filters.FilterSet):
    class Meta:
        model = ReportingPeriod
        fields = ["strategy", "year", "quarter", "state", "code"]
