"""REST API of regions and offices. Everyone with a role reads the regions and the offices
in their scope; HQ results managers and administrators write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets

from core.api import FrameworkViewSetMixin, framework_schema
from offices.filters import OfficeFilter, RegionFilter
from offices.models import Region
from offices.permissions import offices_visible
from offices.serializers import OfficeSerializer, RegionSerializer

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter


@extend_schema_view(**framework_schema("regions", RegionSerializer))
class RegionViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    """The nine IOM regions, named after their regional office's city."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["id", "code", "city", "name"]
    ordering = ["city", "id"]


@extend_schema_view(**framework_schema("offices", OfficeSerializer))
class OfficeViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    """Headquarters, regional and country offices you may see (all of them for the steering
    committee, HQ and administrators; your office or your region's otherwise)."""

    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    ordering_fields = ["id", "code", "name", "kind", "region"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return offices_visible(self.request.user)


def register(router: BaseRouter) -> None:
    """Register the offices' endpoints on the project's API router."""
    router.register("regions", RegionViewSet, basename="region")
    router.register("offices", OfficeViewSet, basename="office")
