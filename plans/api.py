"""REST API of the delivery plan and the resource mobilization plan.

/api/v1/actions/                  actions (CRUD)
/api/v1/resources/                totals of both resource plans (read), with links to:
/api/v1/resources/human/          human resource allocations, FTE (CRUD)
/api/v1/resources/financial/      financial resource allocations, USD (CRUD)
/api/v1/delivery-plan-versions/   published versions (read; POST publishes; compare)

Serializers (plans/serializers.py) check types and shapes; the services check the rules and
rights. Errors have the shape and status codes of every endpoint (core.api):
a rule broken gives 400 with field errors; a row outside the user's scope gives 403; a row
still used by others (delete) gives 409.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.api import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    LIST_ERRORS,
    READ_ERRORS,
    UPDATE_ERRORS,
    ApiViewMixin,
    errors,
)
from offices.permissions import (
    can_edit_plan_for_office,
    can_edit_plans,
    can_publish_delivery_plan,
    can_read_plans,
)
from plans import selectors, services
from plans.filters import ActionApiFilter, FinancialResourceFilter, HumanResourceFilter
from plans.models import DeliveryPlanVersion, FinancialResource
from plans.serializers import (
    ActionSerializer,
    ComparisonSerializer,
    FinancialResourceSerializer,
    HumanResourceSerializer,
    ResourceSummarySerializer,
    VersionDetailSerializer,
    VersionSerializer,
)

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter


# --- Permissions -----------------------------------------------------------------------------


class PlanPermission(permissions.BasePermission):
    """Everyone with a role reads; writers need edit rights on the row's office."""

    message = _("You hold no role in the tracker.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not can_read_plans(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not can_edit_plans(request.user):
            self.message = gettext("You may not edit the delivery or resource plans.")
            return False
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not can_edit_plan_for_office(request.user, obj.office):
            self.message = gettext("You may not edit the plans of this office.")
            return False
        return True


class VersionPermission(permissions.BasePermission):
    """Everyone with a role reads versions; HQ results managers publish them."""

    message = _("You hold no role in the tracker.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not can_read_plans(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not can_publish_delivery_plan(request.user):
            self.message = gettext("Only HQ results managers publish the delivery plan.")
            return False
        return True


# --- Documented responses --------------------------------------------------------------------


def plan_row_schema(name: str, serializer: Any, **summaries: str) -> dict[str, Any]:
    """The extend_schema_view arguments documenting a plan row viewset's operations."""
    defaults = {
        "list": f"List the {name}",
        "retrieve": f"One of the {name}",
        "create": f"Add to the {name} (in an office within your scope)",
        "update": f"Replace one of the {name} (in an office within your scope)",
        "partial_update": f"Change one of the {name} (in an office within your scope)",
        "destroy": f"Delete one of the {name} (in an office within your scope)",
    }
    summary = {**defaults, **summaries}
    return {
        "list": extend_schema(summary=summary["list"], responses={200: serializer, **LIST_ERRORS}),
        "retrieve": extend_schema(
            summary=summary["retrieve"], responses={200: serializer, **READ_ERRORS}
        ),
        "create": extend_schema(
            summary=summary["create"], responses={201: serializer, **CREATE_ERRORS}
        ),
        "update": extend_schema(
            summary=summary["update"], responses={200: serializer, **UPDATE_ERRORS}
        ),
        "partial_update": extend_schema(
            summary=summary["partial_update"], responses={200: serializer, **UPDATE_ERRORS}
        ),
        "destroy": extend_schema(
            summary=summary["destroy"], responses={204: None, **DELETE_ERRORS}
        ),
    }


# --- Viewsets --------------------------------------------------------------------------------


class PlanRowViewSet(ApiViewMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, PlanPermission]
    service_delete: Any = None
    instance_name = ""

    def perform_destroy(self, instance: Any) -> None:
        with transaction.atomic():
            self.service_delete(**{self.instance_name: instance}, user=self.request.user)


@extend_schema_view(
    **plan_row_schema(
        "actions of the delivery plan",
        ActionSerializer,
        destroy="Remove an action (published versions keep it)",
    )
)
class ActionViewSet(PlanRowViewSet):
    """Actions of the delivery plan, each serving one deliverable or institutional output."""

    serializer_class = ActionSerializer
    filterset_class = ActionApiFilter
    ordering_fields = ["due_date", "start_date", "title", "status", "updated_at"]
    ordering = ["due_date", "title", "id"]
    service_delete = staticmethod(services.action_delete)
    instance_name = "action"

    def get_queryset(self):
        return selectors.action_list(today=timezone.localdate())


class ResourceAllocationViewSet(PlanRowViewSet):
    # (No docstring: each kind's is its endpoint's description.)
    service_delete = staticmethod(services.allocation_delete)
    instance_name = "allocation"

    def get_queryset(self):
        return selectors.allocation_list(model=self.get_serializer_class().Meta.model)


@extend_schema_view(**plan_row_schema("human resource allocations (FTE)", HumanResourceSerializer))
class HumanResourceViewSet(ResourceAllocationViewSet):
    """Staff time (FTE) by office, per deliverable or institutional output and year."""

    serializer_class = HumanResourceSerializer
    filterset_class = HumanResourceFilter
    ordering_fields = ["year", "fte_planned", "fte_actual", "updated_at"]
    ordering = ["year", "id"]


@extend_schema_view(
    **plan_row_schema("financial resource allocations (USD)", FinancialResourceSerializer)
)
class FinancialResourceViewSet(ResourceAllocationViewSet):
    """US dollars by funding source, per deliverable or institutional output and year."""

    serializer_class = FinancialResourceSerializer
    filterset_class = FinancialResourceFilter
    ordering_fields = ["year", "source", "amount_planned", "amount_mobilized", "amount_spent"]
    ordering = ["year", "source", "id"]


class ResourceSummaryViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Totals of the resource mobilization plan, summed in the database."""

    permission_classes = [permissions.IsAuthenticated, PlanPermission]
    queryset = FinancialResource.objects.none()
    filterset_class = FinancialResourceFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = None
    serializer_class = ResourceSummarySerializer

    @extend_schema(
        summary="Totals of the resource plan by outcome, region, source and year",
        responses={200: ResourceSummarySerializer, **LIST_ERRORS},
    )
    def list(self, request: Request) -> Response:
        financial = self.filter_queryset(selectors.financial_resource_list())
        human_filter = HumanResourceFilter(
            request.query_params, queryset=selectors.human_resource_list(), request=request
        )
        if not human_filter.is_valid():
            raise serializers.ValidationError(human_filter.errors)
        human = human_filter.qs
        data = {
            "human_url": reverse("resource-human-list", request=request),
            "financial_url": reverse("resource-financial-list", request=request),
            "financial": {
                "total": selectors.financial_grand_total(resources=financial),
                **{
                    f"by_{by}": selectors.financial_totals(resources=financial, by=by)
                    for by in ("outcome", "region", "source", "year")
                },
            },
            "human": {
                "total": selectors.human_grand_total(resources=human),
                **{
                    f"by_{by}": selectors.human_totals(resources=human, by=by)
                    for by in ("outcome", "region", "year")
                },
            },
        }
        return Response(ResourceSummarySerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="List the published versions of the delivery plan",
        responses={200: VersionSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One published version, with its actions",
        responses={200: VersionDetailSerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Publish the delivery plan as it stands (HQ only)",
        responses={201: VersionSerializer, **CREATE_ERRORS},
    ),
)
class DeliveryPlanVersionViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Published versions of the delivery plan; each keeps a snapshot of every action."""

    permission_classes = [permissions.IsAuthenticated, VersionPermission]
    filterset_fields = ["strategy"]
    ordering_fields = ["number", "published_at"]
    ordering = ["-number"]

    def get_queryset(self):
        versions = DeliveryPlanVersion.objects.select_related("published_by").order_by(
            "strategy", "-number"
        )
        if self.action == "retrieve":
            return versions.prefetch_related("snapshots__deliverable__outcome", "snapshots__output")
        return versions.annotate(actions_count=Count("snapshots"))

    def get_serializer_class(self):
        return VersionDetailSerializer if self.action == "retrieve" else VersionSerializer

    @extend_schema(
        summary="Compare this version with another: added, changed and dropped actions",
        parameters=[
            OpenApiParameter(
                "with",
                OpenApiTypes.INT,
                required=True,
                description="The id of the other version of the same strategy.",
            )
        ],
        responses={200: ComparisonSerializer, **errors(400, 401, 403, 404)},
    )
    @route(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def compare(self, request: Request, pk: str | None = None) -> Response:
        version = self.get_object()
        other_id = request.query_params.get("with", "")
        if not (other_id.isascii() and other_id.isdigit()):
            raise serializers.ValidationError(
                {"with": [gettext("Give the id of the version to compare with.")]}
            )
        other = get_object_or_404(
            DeliveryPlanVersion, pk=int(other_id), strategy_id=version.strategy_id
        )
        older, newer = sorted([version, other], key=lambda v: v.number)
        comparison = selectors.delivery_plan_compare(older=older, newer=newer)
        return Response(ComparisonSerializer(comparison).data)


def register(router: BaseRouter) -> None:
    """Register the plans' endpoints on the project's API router."""
    router.register("actions", ActionViewSet, basename="action")
    router.register("resources/human", HumanResourceViewSet, basename="resource-human")
    router.register("resources/financial", FinancialResourceViewSet, basename="resource-financial")
    router.register("resources", ResourceSummaryViewSet, basename="resource-summary")
    router.register(
        "delivery-plan-versions", DeliveryPlanVersionViewSet, basename="delivery-plan-version"
    )
