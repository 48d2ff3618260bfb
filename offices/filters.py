"""Query filters of the regions and offices API lists."""

import django_filters

from offices.models import Office, Region


class RegionFilter(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["code"]


class OfficeFilter(django_filters.FilterSet):
    class Meta:
        model = Office
        fields = ["region", "kind", "is_active", "code", "iso_code"]
