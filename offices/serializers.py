"""REST representations of regions and offices; related rows by id."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from offices.models import Office, Region

STAMPS = ["created_at", "updated_at"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "city", "name", *STAMPS]
        read_only_fields = STAMPS


class OfficeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "code", "name", "kind", "iso_code", "region", "is_active", *STAMPS]
        read_only_fields = STAMPS

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Hold the rules the database's constraints hold, as field errors."""

        def current(name: str) -> Any:
            if name in attrs:
                return attrs[name]
            return getattr(self.instance, name) if self.instance is not None else None

        kind, region, iso_code = current("kind"), current("region"), current("iso_code") or ""
        errors: dict[str, list[str]] = {}
        headquarters = kind in {Office.Kind.HEADQUARTERS, Office.Kind.HQ_DEPARTMENT}
        if headquarters and region is not None:
            errors["region"] = [_("Headquarters units belong to no region.")]
        if not headquarters and region is None:
            errors["region"] = [_("Country and regional offices belong to a region.")]
        if kind == Office.Kind.COUNTRY:
            if not re.fullmatch(r"[A-Z]{2}", iso_code):
                errors["iso_code"] = [_("Give the two capital letters of ISO 3166.")]
            else:
                clash = Office.objects.filter(kind=Office.Kind.COUNTRY, iso_code=iso_code)
                if self.instance is not None:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    errors["iso_code"] = [_("Another country office has this ISO code.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
