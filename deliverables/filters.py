"""Query filters of the deliverables, indicators and assignments API lists."""

import django_filters

from deliverables.models import Assignment, Deliverable, Indicator
from offices.models import Region
from outcomes.models import Marker, Outcome, SdgTarget, Strategy


class DeliverableFilter(django_filters.FilterSet):
    strategy = django_filters.ModelChoiceFilter(
        field_name="outcome__strategy", queryset=Strategy.objects.all()
    )

    class Meta:
        model = Deliverable
        fields = ["outcome", "strategy", "code"]


class IndicatorFilter(django_filters.FilterSet):
    outcome = django_filters.ModelChoiceFilter(
        field_name="deliverable__outcome", queryset=Outcome.objects.all()
    )
    marker = django_filters.ModelChoiceFilter(field_name="markers", queryset=Marker.objects.all())
    sdg_target = django_filters.ModelChoiceFilter(
        field_name="sdg_targets", queryset=SdgTarget.objects.all()
    )

    class Meta:
        model = Indicator
        fields = [
            "strategy",
            "deliverable",
            "output",
            "outcome",
            "measure",
            "cumulative",
            "direction",
            "is_active",
            "marker",
            "sdg_target",
            "code",
        ]


class AssignmentFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        field_name="office__region", queryset=Region.objects.all()
    )

    class Meta:
        model = Assignment
        fields = ["indicator", "office", "region", "is_active"]
