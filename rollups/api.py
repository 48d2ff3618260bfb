"""REST API of the roll-ups: computed figures per indicator, scope and span."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.api import LIST_ERRORS, READ_ERRORS, ApiViewMixin
from offices.permissions import rollups_visible_q
from rollups.filters import RollupFilter
from rollups.models import Rollup
from rollups.serializers import RollupSerializer

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter


@extend_schema_view(
    list=extend_schema(
        summary="List roll-ups you may see", responses={200: RollupSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(summary="One roll-up", responses={200: RollupSerializer, **READ_ERRORS}),
)
class RollupViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Computed figures per indicator, scope (office, region, global) and span of periods.

    Everyone with a role reads global figures; a region's for those who may drill into it; an
    office's for those who see that office.
    """

    serializer_class = RollupSerializer
    filterset_class = RollupFilter
    ordering_fields = ["id", "computed_at", "progress", "actual", "period__start_date", "scope"]
    ordering = ["indicator_id", "period__start_date", "scope", "span", "id"]

    def get_queryset(self):
        return Rollup.objects.filter(rollups_visible_q(self.request.user))


def register(router: BaseRouter) -> None:
    """Register the roll-ups endpoint on the project's API router."""
    router.register("rollups", RollupViewSet, basename="rollup")
