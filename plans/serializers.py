"""REST representations of the delivery plan, its published versions and comparisons, and the
resource mobilization plan with its totals. Writes go through plans.services, so the API and the
web forms cannot disagree; a service's ValidationError becomes a 400 with field errors."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings

from outcomes.models import Strategy
from outcomes.selectors import strategy_current
from plans import services
from plans.models import (
    Action,
    ActionSnapshot,
    DeliveryPlanVersion,
    FinancialResource,
    HumanResource,
)
from plans.selectors import action_is_overdue


@contextmanager
def service_errors():
    """Turn a service's Django ValidationError into DRF's, so the client gets 400 and fields."""
    try:
        yield
    except DjangoValidationError as exc:
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise serializers.ValidationError(detail) from exc


class PlanRowSerializer(serializers.ModelSerializer):
    """A row linked to one deliverable or institutional output; the strategy follows from it."""

    result_code = serializers.CharField(read_only=True)
    office_name = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()

    service_create: Any = None
    service_update: Any = None
    instance_name = ""

    # Null for rows without an office (global allocations): documented as nullable, as sent.
    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_office_name(self, row: Any) -> str | None:
        return row.office.name if row.office else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_region(self, row: Any) -> int | None:
        """The office's region (empty for headquarters and global allocations)."""
        return row.office.region_id if row.office else None

    def service_create_kwargs(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        """Return the create service's arguments besides the user."""
        return validated_data

    def create(self, validated_data: dict[str, Any]) -> Any:
        with service_errors():
            return self.service_create(
                user=self.context["request"].user, **self.service_create_kwargs(validated_data)
            )

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        with service_errors():
            return self.service_update(
                **{self.instance_name: instance},
                user=self.context["request"].user,
                data=validated_data,
            )


class ActionSerializer(PlanRowSerializer):
    is_overdue = serializers.SerializerMethodField()
    service_create = staticmethod(services.action_create)
    service_update = staticmethod(services.action_update)
    instance_name = "action"

    class Meta:
        model = Action
        fields = [
            "id",
            "strategy",
            "deliverable",
            "output",
            "result_code",
            "title",
            "expected_results",
            "office",
            "office_name",
            "region",
            "lead",
            "start_date",
            "due_date",
            "status",
            "progress_notes",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["strategy", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, action: Action) -> bool:
        """Open (planned, in progress, delayed) and past its due date."""
        return action_is_overdue(action=action, today=timezone.localdate())


def allocation_fields(*, keys: tuple[str, ...] = (), figures: tuple[str, ...]) -> list[str]:
    """Return an allocation serializer's fields: the shared ones around the kind's own `keys`
    (what tells rows apart, before the office) and `figures` (after the office)."""
    return [
        "id",
        "strategy",
        "deliverable",
        "output",
        "result_code",
        "year",
        *keys,
        "office",
        "office_name",
        "region",
        *figures,
        "notes",
        "created_at",
        "updated_at",
    ]


class ResourceAllocationSerializer(PlanRowSerializer):
    # (No docstring: the schema would show it in place of PlanRowSerializer's.)
    service_create = staticmethod(services.allocation_create)
    service_update = staticmethod(services.allocation_update)
    instance_name = "allocation"

    class Meta:
        read_only_fields = ["strategy", "created_at", "updated_at"]
        # Uniqueness is the service's to check: DRF's validators would make every field of
        # the conditional unique constraints required.
        validators: list = []

    def service_create_kwargs(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        return {"model": self.Meta.model, "data": validated_data}


class HumanResourceSerializer(ResourceAllocationSerializer):
    class Meta(ResourceAllocationSerializer.Meta):
        model = HumanResource
        fields = allocation_fields(figures=("fte_planned", "fte_actual"))


class FinancialResourceSerializer(ResourceAllocationSerializer):
    class Meta(ResourceAllocationSerializer.Meta):
        model = FinancialResource
        fields = allocation_fields(
            keys=("source",), figures=("amount_planned", "amount_mobilized", "amount_spent")
        )


class ActionSnapshotSerializer(serializers.ModelSerializer):
    action = serializers.IntegerField(source="action_key", read_only=True)
    result_code = serializers.CharField(read_only=True)

    class Meta:
        model = ActionSnapshot
        fields = [
            "action",
            "deliverable",
            "output",
            "result_code",
            "title",
            "expected_results",
            "office",
            "lead",
            "start_date",
            "due_date",
            "status",
            "progress_notes",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    strategy = serializers.PrimaryKeyRelatedField(
        queryset=Strategy.objects.all(),
        required=False,
        help_text=_("Defaults to the current strategy."),
    )
    published_by = serializers.StringRelatedField(read_only=True)
    actions_count = serializers.SerializerMethodField()

    class Meta:
        model = DeliveryPlanVersion
        fields = [
            "id",
            "strategy",
            "number",
            "published_at",
            "published_by",
            "note",
            "actions_count",
        ]
        read_only_fields = ["number", "published_at", "published_by"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_actions_count(self, version: DeliveryPlanVersion) -> int:
        """How many actions the version holds."""
        count = getattr(version, "actions_count", None)
        return version.snapshots.count() if count is None else count

    def create(self, validated_data: dict[str, Any]) -> DeliveryPlanVersion:
        strategy = validated_data.get("strategy") or strategy_current()
        if strategy is None:
            raise serializers.ValidationError({"strategy": [_("No strategy has been loaded.")]})
        return services.delivery_plan_publish(
            strategy=strategy,
            user=self.context["request"].user,
            note=validated_data.get("note", ""),
        )


class VersionDetailSerializer(VersionSerializer):
    actions = ActionSnapshotSerializer(source="snapshots", many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "actions"]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class ActionChangeSerializer(serializers.Serializer):
    action = serializers.IntegerField(source="action_key")
    title = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class DroppedActionSerializer(ActionChangeSerializer):
    removed = serializers.BooleanField(
        help_text=_("True: removed from the plan; false: its status became dropped.")
    )


class ComparisonSerializer(serializers.Serializer):
    older = serializers.IntegerField(source="older.number")
    newer = serializers.IntegerField(source="newer.number")
    added = ActionSnapshotSerializer(many=True)
    changed = ActionChangeSerializer(many=True)
    dropped = DroppedActionSerializer(many=True)
    unchanged_count = serializers.IntegerField()


class MoneyTotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    planned = serializers.DecimalField(max_digits=20, decimal_places=2)
    mobilized = serializers.DecimalField(max_digits=20, decimal_places=2)
    spent = serializers.DecimalField(max_digits=20, decimal_places=2)


class FteTotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    planned = serializers.DecimalField(max_digits=20, decimal_places=2)
    actual = serializers.DecimalField(max_digits=20, decimal_places=2)


class MoneyGrandTotalSerializer(serializers.Serializer):
    planned = serializers.DecimalField(max_digits=20, decimal_places=2)
    mobilized = serializers.DecimalField(max_digits=20, decimal_places=2)
    spent = serializers.DecimalField(max_digits=20, decimal_places=2)


class FteGrandTotalSerializer(serializers.Serializer):
    planned = serializers.DecimalField(max_digits=20, decimal_places=2)
    actual = serializers.DecimalField(max_digits=20, decimal_places=2)


class FinancialTotalsSerializer(serializers.Serializer):
    total = MoneyGrandTotalSerializer()
    by_outcome = MoneyTotalSerializer(many=True)
    by_region = MoneyTotalSerializer(many=True)
    by_source = MoneyTotalSerializer(many=True)
    by_year = MoneyTotalSerializer(many=True)


class HumanTotalsSerializer(serializers.Serializer):
    total = FteGrandTotalSerializer()
    by_outcome = FteTotalSerializer(many=True)
    by_region = FteTotalSerializer(many=True)
    by_year = FteTotalSerializer(many=True)


@extend_schema_serializer(many=False)  # the summary's "list" returns one object
class ResourceSummarySerializer(serializers.Serializer):
    human_url = serializers.URLField(help_text=_("Human resource allocations (FTE)."))
    financial_url = serializers.URLField(help_text=_("Financial resource allocations (USD)."))
    financial = FinancialTotalsSerializer()
    human = HumanTotalsSerializer(
        help_text=_("Totals of human resources; the funding source filter does not apply.")
    )
