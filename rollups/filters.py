"""Query filters of the roll-ups API list."""

from __future__ import annotations

import django_filters

from deliverables.models import Deliverable, Indicator
from offices.models import Office, Region
from outcomes.models import InstitutionalOutput, Marker
from reporting.filters import PeriodBoundFilter
from reporting.models import ReportingPeriod
from rollups.models import Rollup


class RollupFilter(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all())
    scope = django_filters.ChoiceFilter(choices=Rollup.Scope.choices)
    span = django_filters.ChoiceFilter(choices=Rollup.Span.choices)
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all())
    office = django_filters.ModelChoiceFilter(queryset=Office.objects.all())
    period = django_filters.ModelChoiceFilter(queryset=ReportingPeriod.objects.all())
    period_from = PeriodBoundFilter(field_name="period__start_date", lookup_expr="gte")
    period_to = PeriodBoundFilter(field_name="period__start_date", lookup_expr="lte")
    marker = django_filters.ModelChoiceFilter(
        field_name="indicator__markers", queryset=Marker.objects.all()
    )
    deliverable = django_filters.ModelChoiceFilter(
        field_name="indicator__deliverable", queryset=Deliverable.objects.all()
    )
    output = django_filters.ModelChoiceFilter(
        field_name="indicator__output", queryset=InstitutionalOutput.objects.all()
    )
    status = django_filters.ChoiceFilter(choices=Rollup.Status.choices)

    class Meta:
        model = Rollup
        fields: list[str] = []


class BreakdownFilter(RollupFilter):
    """The roll-ups' filters, and the dimension a breakdown is asked for."""

    dimension = django_filters.ChoiceFilter(
        choices=Indicator.Dimension.choices,
        method="filter_dimension",
        label="Dimension",
        help_text="Only indicators broken down by this dimension, and only its breakdown.",
    )

    def filter_dimension(self, queryset, name, value):
        # JSON "contains" is not portable to SQLite: the few indicators are read and chosen here.
        asking = [
            pk
            for pk, dims in Indicator.objects.values_list("pk", "disaggregations")
            if value in (dims or [])
        ]
        return queryset.filter(indicator__in=asking)
