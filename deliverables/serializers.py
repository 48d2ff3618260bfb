"""REST representations of deliverables, indicators (with their yearly targets) and
assignments; related rows by id, decimals as strings. Writes of indicators and assignments go
through deliverables.services, whose ValidationError the API answers with 400 and field errors."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from deliverables import services
from deliverables.models import Assignment, Deliverable, Indicator, IndicatorTarget
from offices.models import Office

STAMPS = ["created_at", "updated_at"]


class DeliverableSerializer(serializers.ModelSerializer):
    full_code = serializers.CharField(read_only=True, help_text="e.g. A.ii")

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "outcome",
            "code",
            "full_code",
            "order",
            "title",
            "short_title",
            *STAMPS,
        ]
        read_only_fields = STAMPS


class TargetSerializer(serializers.ModelSerializer):
    """A yearly target: global when `office` is null, otherwise that office's own."""

    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), allow_null=True, required=False, default=None
    )

    class Meta:
        model = IndicatorTarget
        fields = ["year", "office", "value"]
        extra_kwargs = {"year": {"min_value": 1900, "max_value": 2200}}


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator measures exactly one deliverable or one institutional output; its
    strategy follows from that. `targets`, when given, replace all of the indicator's targets."""

    baseline = serializers.DecimalField(
        source="baseline_value",
        max_digits=18,
        decimal_places=4,
        allow_null=True,
        required=False,
        min_value=-(10**13),
        max_value=10**13,
    )
    disaggregations = serializers.ListField(
        child=serializers.ChoiceField(choices=Indicator.Dimension.choices),
        required=False,
        max_length=3,
    )
    ordinal_levels = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=20,
        help_text="Ordinal measures: level labels, lowest first.",
    )
    targets = TargetSerializer(many=True, required=False)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "measure",
            "cumulative",
            "direction",
            "baseline",
            "baseline_year",
            "targets",
            "strategy",
            "deliverable",
            "output",
            "definition",
            "unit",
            "ordinal_levels",
            "disaggregations",
            "markers",
            "priorities",
            "sdg_targets",
            "gcm_objectives",
            "method_of_calculation",
            "data_source",
            "collection_method",
            "reporting_frequency",
            "responsible_unit",
            "is_active",
            *STAMPS,
        ]
        read_only_fields = ["strategy", *STAMPS]
        # The strategy follows from the result measured: the services check the code's uniqueness.
        validators: list = []
        extra_kwargs = {"baseline_year": {"min_value": 1900, "max_value": 2200}}

    def create(self, validated_data: dict[str, Any]) -> Indicator:
        return services.indicator_create(user=self.context["request"].user, data=validated_data)

    def update(self, instance: Indicator, validated_data: dict[str, Any]) -> Indicator:
        return services.indicator_update(
            user=self.context["request"].user, indicator=instance, data=validated_data
        )


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "indicator", "office", "is_active", *STAMPS]
        read_only_fields = STAMPS
        # One office per indicator is a rule of deliverables.services.
        validators: list = []

    def create(self, validated_data: dict[str, Any]) -> Assignment:
        return services.assignment_create(user=self.context["request"].user, **validated_data)

    def update(self, instance: Assignment, validated_data: dict[str, Any]) -> Assignment:
        return services.assignment_update(
            user=self.context["request"].user, assignment=instance, data=validated_data
        )
