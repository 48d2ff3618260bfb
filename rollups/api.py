"""REST API of the roll-ups: stored figures per indicator, scope (global, region, headquarters)
and span, and an office's own figures computed on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import LIST_ERRORS, READ_ERRORS, ApiViewMixin
from deliverables.models import Indicator
from offices.permissions import offices_visible, rollups_visible_q
from reporting.models import ReportingPeriod
from rollups.filters import BreakdownFilter, RollupFilter
from rollups.models import Rollup
from rollups.selectors import BREAKDOWN_MEASURES, office_figures
from rollups.serializers import (
    BreakdownSerializer,
    OfficeFigureQuerySerializer,
    OfficeFigureSerializer,
    RollupSerializer,
)

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter


@extend_schema_view(
    list=extend_schema(
        summary="List roll-ups you may see", responses={200: RollupSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(summary="One roll-up", responses={200: RollupSerializer, **READ_ERRORS}),
)
class RollupViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Stored figures per indicator, scope (global; each region; headquarters, the units that
    belong to no region) and span of periods. An office's own figures: /api/v1/office-figures/.

    Everyone with a role reads global figures; a region's for those who may drill into it;
    headquarters' for those who see everything and HQ's reviewers.
    """

    serializer_class = RollupSerializer
    filterset_class = RollupFilter
    ordering_fields = ["id", "computed_at", "progress", "actual", "period__start_date", "scope"]
    ordering = ["indicator_id", "period_id", "scope", "span", "id"]

    def get_queryset(self):
        return Rollup.objects.filter(rollups_visible_q(self.request.user))


@extend_schema_view(
    list=extend_schema(
        summary="List the breakdowns of the roll-ups you may see",
        responses={200: BreakdownSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One roll-up's breakdowns", responses={200: BreakdownSerializer, **READ_ERRORS}
    ),
)
class BreakdownViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """The stored roll-ups' breakdowns by sex, age and population group, with the same filters
    and visibility as /api/v1/rollups/ (plus `dimension`), for the indicators that ask for a
    breakdown. Each dimension says how much of the figure it covers (`covered_total` of
    `total`, `covered_updates` of `updates`): where `complete` is false the parts are not the
    whole. An office's breakdowns come with its figures: /api/v1/office-figures/."""

    serializer_class = BreakdownSerializer
    filterset_class = BreakdownFilter
    ordering_fields = ["id", "computed_at", "period__start_date", "scope"]
    ordering = ["indicator_id", "period_id", "scope", "span", "id"]

    def get_queryset(self):
        return (
            Rollup.objects.filter(rollups_visible_q(self.request.user))
            .filter(indicator__measure__in=BREAKDOWN_MEASURES)
            .exclude(indicator__disaggregations=[])
            .select_related("indicator")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None:
            context["dimension"] = self.request.query_params.get("dimension") or None
        return context


class OfficeFigureViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """An office's own figures per indicator, period and span, computed from its approved (and,
    provisionally, submitted) updates by the roll-ups' own rules. Ask for one office, or for
    one indicator and period across the offices you may see."""

    serializer_class = OfficeFigureSerializer
    filter_backends: list = []

    @extend_schema(
        summary="An office's own figures",
        parameters=[
            OpenApiParameter("office", int, description="The office (its id)."),
            OpenApiParameter("indicator", int, description="The indicator (its id)."),
            OpenApiParameter("period", int, description="The period the figures end at."),
            OpenApiParameter("span", str, enum=list(Rollup.Span.values)),
        ],
        responses={200: OfficeFigureSerializer, **LIST_ERRORS},
    )
    def list(self, request: Request) -> Response:
        query = OfficeFigureQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = query.validated_data
        offices = offices_visible(request.user)
        if "office" in chosen:
            offices = offices.filter(pk=chosen["office"].pk)
        indicators = Indicator.objects.filter(is_active=True)
        if "indicator" in chosen:
            indicators = indicators.filter(pk=chosen["indicator"].pk)
        periods = ReportingPeriod.objects.all()
        if "period" in chosen:
            periods = periods.filter(pk=chosen["period"].pk)
        spans = [chosen["span"]] if "span" in chosen else list(Rollup.Span.values)
        figures = office_figures(
            indicators=indicators, offices=offices, periods=periods, spans=spans
        )
        figures.sort(key=lambda r: (r.office_id, r.indicator_id, r.period_id, r.span))
        page = self.paginate_queryset(figures)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def register(router: BaseRouter) -> None:
    """Register the roll-ups endpoints on the project's API router."""
    router.register("rollups", RollupViewSet, basename="rollup")
    router.register("office-figures", OfficeFigureViewSet, basename="office-figure")
    router.register("breakdowns", BreakdownViewSet, basename="breakdown")
