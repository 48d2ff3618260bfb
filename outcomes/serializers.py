"""REST representations of the strategy and its framework; related rows by id."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from outcomes.models import InstitutionalOutput, Marker, Outcome, SdgTarget, Strategy

STAMPS = ["created_at", "updated_at"]


class StrategySerializer(serializers.ModelSerializer):
    class Meta:
        model = Strategy
        fields = ["id", "code", "title", "start_year", "end_year", "is_current", *STAMPS]
        read_only_fields = STAMPS

    def validate(self, attrs):
        start = attrs.get("start_year", getattr(self.instance, "start_year", None))
        end = attrs.get("end_year", getattr(self.instance, "end_year", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError(
                {"end_year": [_("The last year is before the first.")]}
            )
        return attrs


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = [
            "id",
            "strategy",
            "code",
            "order",
            "title",
            "short_title",
            "description",
            *STAMPS,
        ]
        read_only_fields = STAMPS


class InstitutionalOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstitutionalOutput
        fields = ["id", "strategy", "code", "order", "title", "short_title", *STAMPS]
        read_only_fields = STAMPS


class MarkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Marker
        fields = ["id", "strategy", "code", "order", "name", *STAMPS]
        read_only_fields = STAMPS


class SdgTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = SdgTarget
        fields = ["id", "code", "goal", "title", *STAMPS]
        read_only_fields = STAMPS
        extra_kwargs = {"goal": {"min_value": 1, "max_value": 17}}
