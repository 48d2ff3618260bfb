"""REST representation of roll-up figures; decimals as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deliverables.models import Indicator
from offices.models import Office
from reporting.models import ReportingPeriod
from rollups.models import BREAKDOWN_DIMENSIONS, Rollup
from rollups.selectors import breakdown_of_row

BREAKDOWN_SCHEMA = {
    "type": "object",
    "description": "Each dimension some update broke down (sex, age, population): its "
    "categories' summed figures.",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"type": "string", "format": "decimal", "nullable": True},
    },
}
COVERAGE_SCHEMA = {
    "type": "object",
    "description": "Per dimension: how many of the figure's updates gave that breakdown "
    "(`updates`) and the part of the total they cover (`total`).",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "updates": {"type": "integer"},
            "total": {"type": "string", "format": "decimal", "nullable": True},
        },
    },
}


class RollupSerializer(serializers.ModelSerializer):
    progress = serializers.DecimalField(
        max_digits=12,
        decimal_places=4,
        allow_null=True,
        read_only=True,
        help_text=_("(actual − baseline) / (target − baseline); 1.0 = 100%."),
    )
    pace = serializers.DecimalField(
        max_digits=12,
        decimal_places=4,
        allow_null=True,
        read_only=True,
        help_text=_("Progress against the pro-rated target (what should be reached by now)."),
    )
    breakdown = serializers.SerializerMethodField()
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = Rollup
        fields = [
            "id",
            "indicator",
            "scope",
            "region",
            "office",
            "period",
            "span",
            "actual",
            "target",
            "target_prorated",
            "baseline",
            "progress",
            "pace",
            "status",
            "updates_count",
            "offices_count",
            "numerator",
            "denominator",
            "share",
            "distribution",
            "provisional_actual",
            "provisional_numerator",
            "provisional_denominator",
            "provisional_updates_count",
            "breakdown",
            "coverage",
            "computed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(BREAKDOWN_SCHEMA)
    def get_breakdown(self, row: Rollup) -> dict[str, dict[str, str | None]]:
        return {
            dim: {cat: None if v is None else f"{v:.4f}" for cat, v in parts.items()}
            for dim, parts in row.breakdown().items()
        }

    @extend_schema_field(COVERAGE_SCHEMA)
    def get_coverage(self, row: Rollup) -> dict[str, dict[str, Any]]:
        out = {}
        for dim in BREAKDOWN_DIMENSIONS:
            updates, total = row.coverage(dim)
            if updates:
                out[dim] = {"updates": updates, "total": None if total is None else f"{total:.4f}"}
        return out


class OfficeFigureSerializer(RollupSerializer):
    """An office's own figure, computed from its updates when asked (never stored)."""

    id = None

    class Meta(RollupSerializer.Meta):
        fields = [f for f in RollupSerializer.Meta.fields if f != "id"]
        read_only_fields = fields


class OfficeFigureQuerySerializer(serializers.Serializer):
    """What an office-figures list is asked for: an office, or an indicator and a period."""

    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), required=False, help_text=_("The office (its id).")
    )
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.all(), required=False, help_text=_("The indicator (its id).")
    )
    period = serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.all(),
        required=False,
        help_text=_("The period the figures end at (its id); every period when left out."),
    )
    span = serializers.ChoiceField(choices=Rollup.Span.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "office" not in attrs and not ("indicator" in attrs and "period" in attrs):
            raise serializers.ValidationError(
                {"office": [_("Give an office, or an indicator and a period.")]}
            )
        return attrs


class BreakdownPartSerializer(serializers.Serializer):
    category = serializers.CharField(help_text=_("The category's code, e.g. female, 0_17, idps."))
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    share_of_covered = serializers.DecimalField(
        max_digits=12,
        decimal_places=6,
        allow_null=True,
        help_text=_("value / covered_total (1.0 = 100%): a share of the part broken down."),
    )


class DimensionBreakdownSerializer(serializers.Serializer):
    # Not a ChoiceField: its choices are the indicators' DisaggregationsEnum already.
    dimension = serializers.CharField(help_text=_("sex, age or population."))
    label = serializers.CharField()
    total = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        allow_null=True,
        help_text=_("The figure broken down: a number's actual, a percentage's numerator."),
    )
    updates = serializers.IntegerField(help_text=_("Approved updates counted in the total."))
    covered_total = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        allow_null=True,
        help_text=_("The part of the total whose updates gave this breakdown."),
    )
    covered_updates = serializers.IntegerField(help_text=_("Updates that gave this breakdown."))
    complete = serializers.BooleanField(
        help_text=_("Whether every update counted gave it; if not, the parts are not the whole.")
    )
    parts = BreakdownPartSerializer(many=True)


class BreakdownSerializer(serializers.ModelSerializer):
    """A roll-up row's breakdowns: one entry per dimension its indicator asks for."""

    dimensions = serializers.SerializerMethodField()

    class Meta:
        model = Rollup
        fields = [
            "id",
            "indicator",
            "scope",
            "region",
            "period",
            "span",
            "actual",
            "numerator",
            "updates_count",
            "dimensions",
            "computed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(DimensionBreakdownSerializer(many=True))
    def get_dimensions(self, row: Rollup) -> list[dict[str, Any]]:
        # Plain dicts, written as DimensionBreakdownSerializer documents them: a nested
        # serializer per row and dimension would cost more than the query.
        asked = self.context.get("dimension")
        return [
            {
                "dimension": dim.dimension,
                "label": dim.label,
                "total": _decimal(dim.total),
                "updates": dim.updates,
                "covered_total": _decimal(dim.covered_total),
                "covered_updates": dim.covered_updates,
                "complete": dim.complete,
                "parts": [
                    {
                        "category": p.category,
                        "label": p.label,
                        "value": _decimal(p.value),
                        "share_of_covered": _decimal(p.share_of(dim.covered_total), 6),
                    }
                    for p in dim.parts
                ],
            }
            for dim in breakdown_of_row(row, row.indicator).dimensions.values()
            if not asked or dim.dimension == asked
        ]


def _decimal(value: Decimal | None, places: int = 4) -> str | None:
    return None if value is None else f"{value:.{places}f}"
