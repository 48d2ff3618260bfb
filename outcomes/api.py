"""REST API of the strategy and its framework: strategies, outcomes, institutional outputs,
cross-cutting markers and SDG targets. Everyone with a role reads; HQ results managers and
administrators write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets

from core.api import FrameworkViewSetMixin, framework_schema
from outcomes.filters import (
    InstitutionalOutputFilter,
    MarkerFilter,
    OutcomeFilter,
    SdgTargetFilter,
    StrategyFilter,
)
from outcomes.models import InstitutionalOutput, Marker, Outcome, SdgTarget, Strategy
from outcomes.serializers import (
    InstitutionalOutputSerializer,
    MarkerSerializer,
    OutcomeSerializer,
    SdgTargetSerializer,
    StrategySerializer,
)

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter


@extend_schema_view(**framework_schema("strategies", StrategySerializer))
class StrategyViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    """Strategies: the IOM strategy 2019–2023 and any later one beside it."""

    queryset = Strategy.objects.all()
    serializer_class = StrategySerializer
    filterset_class = StrategyFilter
    ordering_fields = ["id", "code", "start_year", "end_year"]
    ordering = ["-start_year", "code", "id"]


class StrategyPartViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    ordering_fields = ["id", "code", "order", "strategy"]
    ordering = ["strategy", "order", "code", "id"]


@extend_schema_view(**framework_schema("outcomes", OutcomeSerializer))
class OutcomeViewSet(StrategyPartViewSet):
    """The strategy's outcomes (a), (b), (c)."""

    queryset = Outcome.objects.all()
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter


@extend_schema_view(**framework_schema("institutional outputs", InstitutionalOutputSerializer))
class InstitutionalOutputViewSet(StrategyPartViewSet):
    """The institutional outputs (a)–(d)."""

    queryset = InstitutionalOutput.objects.all()
    serializer_class = InstitutionalOutputSerializer
    filterset_class = InstitutionalOutputFilter


@extend_schema_view(**framework_schema("cross-cutting markers", MarkerSerializer))
class MarkerViewSet(StrategyPartViewSet):
    """Cross-cutting markers: inequalities, environment and climate change, gender."""

    queryset = Marker.objects.all()
    serializer_class = MarkerSerializer
    filterset_class = MarkerFilter


@extend_schema_view(**framework_schema("SDG targets", SdgTargetSerializer))
class SdgTargetViewSet(FrameworkViewSetMixin, viewsets.ModelViewSet):
    """Targets of the 2030 Agenda that indicators link to."""

    queryset = SdgTarget.objects.all()
    serializer_class = SdgTargetSerializer
    filterset_class = SdgTargetFilter
    ordering_fields = ["id", "code", "goal"]
    ordering = ["goal", "code", "id"]


def register(router: BaseRouter) -> None:
    """Register the framework's endpoints on the project's API router."""
    router.register("strategies", StrategyViewSet, basename="strategy")
    router.register("outcomes", OutcomeViewSet, basename="outcome")
    router.register("outputs", InstitutionalOutputViewSet, basename="output")
    router.register("markers", MarkerViewSet, basename="marker")
    router.register("sdg-targets", SdgTargetViewSet, basename="sdg-target")
