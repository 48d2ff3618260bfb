"""Query filters of the framework's API lists."""

import django_filters

from outcomes.models import InstitutionalOutput, Marker, Outcome, SdgTarget, Strategy


class StrategyFilter(django_filters.FilterSet):
    class Meta:
        model = Strategy
        fields = ["code", "is_current"]


class OutcomeFilter(django_filters.FilterSet):
    class Meta:
        model = Outcome
        fields = ["strategy", "code"]


class InstitutionalOutputFilter(django_filters.FilterSet):
    class Meta:
        model = InstitutionalOutput
        fields = ["strategy", "code"]


class MarkerFilter(django_filters.FilterSet):
    class Meta:
        model = Marker
        fields = ["strategy", "code"]


class SdgTargetFilter(django_filters.FilterSet):
    goal = django_filters.NumberFilter(field_name="goal")

    class Meta:
        model = SdgTarget
        fields = ["goal", "code"]
