"""REST API of deliverables, indicators (with their yearly targets) and assignments.

Everyone with a role reads deliverables and indicators; assignments are read within the
offices the user may see. HQ results managers and administrators write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets

from core.api import FrameworkViewSetMixin, framework_schema
from deliverables import services
from deliverables.filters import AssignmentFilter, DeliverableFilter, IndicatorFilter
from deliverables.models import Assignment, Deliverable, Indicator, IndicatorTarget
from deliverables.serializers import (
    AssignmentSerializer,
    DeliverableSerializer,
    IndicatorSerializer,
)
from offices.permissions import offices_visible

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter


@extend_schema_view(**framework_schema("deliverables", DeliverableSerializer))
class DeliverableViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    """Deliverables of each outcome, e.g. (a)(ii) pathways for safe and regular migration."""

    queryset = Deliverable.objects.select_related("outcome")
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    ordering_fields = ["id", "code", "order", "outcome"]
    ordering = ["outcome__order", "order", "code", "id"]


@extend_schema_view(**framework_schema("indicators", IndicatorSerializer))
class IndicatorViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    """Indicators with their baseline and yearly targets (global, or an office's own)."""

    queryset = Indicator.objects.prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year", "office_id", "id")),
        "markers",
        "priorities",
        "sdg_targets",
        "gcm_objectives",
    ).select_related("deliverable__outcome", "output")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["id", "code", "name", "measure", "strategy"]
    ordering = ["strategy", "code", "id"]

    def perform_destroy(self, instance: Indicator) -> None:
        services.indicator_delete(user=self.request.user, indicator=instance)


@extend_schema_view(**framework_schema("assignments", AssignmentSerializer))
class AssignmentViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    """Which offices report on which indicators; read within the offices you may see."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["id", "indicator", "office", "is_active"]
    ordering = ["office__name", "indicator__code", "id"]

    def get_queryset(self):
        return Assignment.objects.filter(office__in=offices_visible(self.request.user))

    def perform_destroy(self, instance: Assignment) -> None:
        services.assignment_delete(user=self.request.user, assignment=instance)


def register(router: BaseRouter) -> None:
    """Register the deliverables' endpoints on the project's API router."""
    router.register("deliverables", DeliverableViewSet, basename="deliverable")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("assignments", AssignmentViewSet, basename="assignment")
