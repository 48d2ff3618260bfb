"""REST representation of roll-up rows; decimals as strings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rollups.models import Rollup


class RollupSerializer(serializers.ModelSerializer):
    progress = serializers.DecimalField(
        max_digits=12,
        decimal_places=4,
        allow_null=True,
        read_only=True,
        help_text=_("(actual − baseline) / (target − baseline); 1.0 = 100%."),
    )

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
            "baseline",
            "progress",
            "status",
            "updates_count",
            "offices_count",
            "numerator",
            "denominator",
            "distribution",
            "provisional_actual",
            "provisional_updates_count",
            "computed_at",
        ]
        read_only_fields = fields
