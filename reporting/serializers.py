"""REST representations of reporting periods, indicator updates and roll-ups.

Related rows by id; decimals as strings (e.g. "12.5000"), as the schema says. Input
serializers only check types and shapes: the workflow services hold the rules.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import ErrorSerializer
from core.formatting import number_plain
from core.numbers import NumberRefused, number_parse
from deliverables.models import Indicator
from offices.models import Office
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.validation import TEXT_MAX_LENGTH, UpdateValues, stored_value_problem

STAMPS = ["created_at", "updated_at"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "strategy",
            "code",
            "year",
            "quarter",
            "start_date",
            "end_date",
            "deadline",
            "state",
            *STAMPS,
        ]
        read_only_fields = fields


class PeriodStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ReportingPeriod.State.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to reopen a locked period; recorded in its history."),
    )


class StoredDecimalField(serializers.DecimalField):
    """A stored figure as a string; one beyond the column's digits (written before the rules,
    or around them) is still shown as it is, and flagged by `out_of_range`, never a 500."""

    def to_representation(self, value):
        try:
            return super().to_representation(value)
        except ArithmeticError:
            return number_plain(value)


def _stored_decimal() -> StoredDecimalField:
    return StoredDecimalField(max_digits=18, decimal_places=4, read_only=True, allow_null=True)


class UpdateSerializer(serializers.ModelSerializer):
    """An update as clients read it."""

    value = _stored_decimal()
    numerator = _stored_decimal()
    denominator = _stored_decimal()
    out_of_range = serializers.SerializerMethodField(
        help_text=_("Why the stored figures are beyond what the indicator allows; empty if not.")
    )

    class Meta:
        model = IndicatorUpdate
        fields = [
            "id",
            "indicator",
            "office",
            "period",
            "status",
            "version",
            "value",
            "numerator",
            "denominator",
            "text",
            "disaggregations",
            "narrative",
            "measure",
            "review_comment",
            "submitted_at",
            "reviewed_at",
            "out_of_range",
            *STAMPS,
        ]
        read_only_fields = fields

    def get_out_of_range(self, update: IndicatorUpdate) -> str:
        return stored_value_problem(update)


class NumberInputField(serializers.DecimalField):
    """A figure sent by a client: a JSON number or a string in the plain format ("12.5"), read
    by the one parser of every entry path; whether it fits is the services' rule (400 with the
    field's message)."""

    def to_internal_value(self, data):
        try:
            number = number_parse(data, plain=True)
        except NumberRefused as exc:
            raise serializers.ValidationError(exc.message) from exc
        if number is None:
            if self.allow_null:
                return None
            self.fail("invalid")
        return number


def _decimal(help_text: str = "") -> serializers.DecimalField:
    return NumberInputField(
        max_digits=18,
        decimal_places=4,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class DisaggregationsField(serializers.DictField):
    """{"sex": {"female": 10, "male": 8, "other_unknown": 0}, "age": {...}}"""

    child = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=10**13))


class UpdateValuesSerializer(serializers.Serializer):
    """The values of an update; the indicator's measure decides which ones apply."""

    VALUE_FIELDS = ("value", "numerator", "denominator", "text", "disaggregations", "narrative")

    value = _decimal(
        _(
            "Number; 1 or 0 for yes/no; the level for ordinal measures. Percentages: computed "
            "from numerator and denominator."
        )
    )
    numerator = _decimal(_("Percentages only."))
    denominator = _decimal(_("Percentages only; greater than zero."))
    text = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    disaggregations = DisaggregationsField(required=False)
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)

    def values(self, base: UpdateValues | None = None) -> UpdateValues:
        """Return the given values over `base` (the stored ones, for a partial update)."""
        values = base or UpdateValues()
        for name in self.VALUE_FIELDS:
            if name in self.validated_data:
                setattr(values, name, self.validated_data[name])
        for name in ("text", "narrative"):
            if getattr(values, name) is None:
                setattr(values, name, "")
        if values.disaggregations is None:
            values.disaggregations = {}
        return values


class UpdateCreateSerializer(UpdateValuesSerializer):
    """A new draft for an indicator assigned to your office, in an open period."""

    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    office = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all())
    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())


class UpdateVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The version you loaded; if someone saved since, you get 409."),
    )


class UpdatePatchSerializer(UpdateVersionSerializer, UpdateValuesSerializer):
    """Change a draft or returned update; fields left out keep their values."""


class ApproveSerializer(UpdateVersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReturnSerializer(UpdateVersionSerializer):
    comment = serializers.CharField(
        allow_blank=True, max_length=5000, help_text=_("What needs fixing (required).")
    )


class ReopenSerializer(UpdateVersionSerializer):
    reason = serializers.CharField(
        allow_blank=True, max_length=5000, help_text=_("Why it is reopened (required).")
    )


class StaleVersionSerializer(ErrorSerializer):
    """409 on a stale version: the current version and values, so nothing typed is lost."""

    current_version = serializers.IntegerField(required=False)
    current = UpdateSerializer(required=False)
