"""REST representations of deliverables, indicators (with their yearly targets) and
assignments; related rows by id, decimals as strings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

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
        # The strategy follows from the result measured, so uniqueness is checked in validate.
        validators: list = []
        extra_kwargs = {"baseline_year": {"min_value": 1900, "max_value": 2200}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance

        def current(name: str) -> Any:
            if name in attrs:
                return attrs[name]
            return getattr(instance, name) if instance is not None else None

        deliverable, output = current("deliverable"), current("output")
        if (deliverable is None) == (output is None):
            raise serializers.ValidationError(
                {
                    "deliverable": [
                        _("Give exactly one of a deliverable or an institutional output.")
                    ]
                }
            )
        strategy_id = deliverable.outcome.strategy_id if deliverable else output.strategy_id
        attrs["strategy_id"] = strategy_id
        code = current("code")
        clash = Indicator.objects.filter(strategy_id=strategy_id, code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"code": [_("Another indicator of this strategy has this code.")]}
            )
        for name in ("markers", "priorities"):
            if any(item.strategy_id != strategy_id for item in attrs.get(name, [])):
                raise serializers.ValidationError(
                    {name: [_("Choose items of the indicator's own strategy.")]}
                )
        seen = set()
        for target in attrs.get("targets", []):
            office = target.get("office")
            key = (target["year"], office.pk if office else None)
            if key in seen:
                raise serializers.ValidationError(
                    {"targets": [_("Give one target per year and office.")]}
                )
            seen.add(key)
        return attrs

    def _save_targets(self, indicator: Indicator, targets: list[dict[str, Any]] | None) -> None:
        if targets is None:
            return
        indicator.targets.all().delete()
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, **target) for target in targets
        )

    def create(self, validated_data: dict[str, Any]) -> Indicator:
        targets = validated_data.pop("targets", None)
        indicator = super().create(validated_data)
        self._save_targets(indicator, targets)
        return indicator

    def update(self, instance: Indicator, validated_data: dict[str, Any]) -> Indicator:
        targets = validated_data.pop("targets", None)
        indicator = super().update(instance, validated_data)
        self._save_targets(indicator, targets)
        return indicator


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "indicator", "office", "is_active", *STAMPS]
        read_only_fields = STAMPS
