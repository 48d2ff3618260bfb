"""REST API of reporting periods and indicator updates.

Updates go through the same workflow services as the web forms (reporting.services.workflow),
with the client's `version`:

    POST  /api/v1/updates/                 create a draft           update_save (version 0)
    PATCH /api/v1/updates/{id}/            change a draft/returned  update_save
    POST  /api/v1/updates/{id}/submit/     draft/returned → submitted
    POST  /api/v1/updates/{id}/approve/    submitted → approved
    POST  /api/v1/updates/{id}/return/     submitted → returned (comment required)
    POST  /api/v1/updates/{id}/reopen/     approved → draft (reason required)

Errors (core.api): 400 field errors; 403 not allowed for your role or
office; 404 not visible to you; 409 stale version (with the current row), a status that does not
allow the action, or a closed or locked period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import (
    LIST_ERRORS,
    READ_ERRORS,
    ApiViewMixin,
    FrameworkViewSetMixin,
    api_input,
    errors,
)
from offices.permissions import can_enter_for_office, can_review_update, offices_for_entry
from reporting.filters import PeriodFilter, UpdateFilter
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.updates import updates_visible
from reporting.serializers import (
    ApproveSerializer,
    PeriodSerializer,
    PeriodStateSerializer,
    ReopenSerializer,
    ReturnSerializer,
    StaleVersionSerializer,
    UpdateCreateSerializer,
    UpdatePatchSerializer,
    UpdateSerializer,
    UpdateVersionSerializer,
)
from reporting.services import workflow
from reporting.services.periods import period_set_state
from reporting.services.validation import UpdateValues

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter

STALE = OpenApiResponse(
    response=StaleVersionSerializer,
    description=(
        "Stale version (code stale_version, with the current row), a status that does not "
        "allow this (workflow), or a closed or locked period (period_locked)."
    ),
)
WRITE_ERRORS = {**errors(400, 401, 403, 404), 409: STALE}


@extend_schema_view(
    list=extend_schema(
        summary="List reporting periods", responses={200: PeriodSerializer, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One reporting period", responses={200: PeriodSerializer, **READ_ERRORS}
    ),
)
class PeriodViewSet(FrameworkViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Quarterly reporting periods: open → closed → locked."""

    queryset = ReportingPeriod.objects.all()
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ["id", "start_date", "code", "year", "quarter", "state"]
    ordering = ["start_date", "strategy", "id"]

    @extend_schema(
        summary="Open, close, lock or reopen a period (HQ results managers, administrators)",
        request=PeriodStateSerializer,
        responses={200: PeriodSerializer, **errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def state(self, request: Request, pk: str | None = None) -> Response:
        period = self.get_object()
        data = self._input(PeriodStateSerializer)
        period = period_set_state(
            user=request.user, period=period, state=data["state"], reason=data["reason"]
        )
        return Response(PeriodSerializer(period).data)

    def _input(self, serializer_class: Any) -> dict[str, Any]:
        return api_input(serializer_class, self.request).validated_data


class UpdateSchema(AutoSchema):
    """PATCH of an update validates its body in full (`version` is required), so document it
    as such rather than as drf-spectacular's all-optional "Patched" body."""

    def _get_request_for_media_type(self, serializer, direction="request"):
        method = self.method
        try:
            self.method = "POST" if method == "PATCH" else method
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = method


@extend_schema_view(
    list=extend_schema(
        summary="List the updates you may see",
        responses={200: UpdateSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="One update", responses={200: UpdateSerializer, **READ_ERRORS}),
)
class UpdateViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Indicator updates: what one office reports for one indicator in one period.

    Drafts are seen by their office (and HQ results managers, administrators); submitted,
    approved and returned updates also by reviewers in scope and the steering committee.
    """

    serializer_class = UpdateSerializer
    filterset_class = UpdateFilter
    ordering_fields = [
        "id",
        "status",
        "version",
        "created_at",
        "updated_at",
        "value",
        "period__start_date",
        "office__name",
        "indicator__code",
    ]
    # The primary key serves this order, so a page is read without sorting the whole table.
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema = UpdateSchema()

    def get_queryset(self):
        return updates_visible(user=self.request.user)

    def serialize_current(self, update: IndicatorUpdate) -> dict[str, Any]:
        """The current row, for the body of a 409 on a stale version."""
        return UpdateSerializer(update).data

    def _input(self, serializer_class: Any) -> Any:
        return api_input(serializer_class, self.request)

    def _authorise(self, update: IndicatorUpdate | None, step: str) -> None:
        """Authorisation before validation: a caller without the right gets 403 whatever the
        body holds (the services check again, with the row locked)."""
        user = self.request.user
        if step in {"create", "edit", "submit"}:
            allowed = (
                offices_for_entry(user).exists()
                if update is None
                else can_enter_for_office(user, update.office)
            )
        else:
            allowed = can_review_update(user, update)
        if not allowed:
            raise PermissionDenied(
                _("Your roles do not allow this for %(o)s.") % {"o": update.office}
                if update is not None
                else _("Only field staff enter updates.")
            )

    def _result(self, update: IndicatorUpdate, code: int = status.HTTP_200_OK) -> Response:
        return Response(UpdateSerializer(update).data, status=code)

    @extend_schema(
        summary="Create a draft for your office",
        description=(
            "The indicator must be assigned to the office and the period open. Values are "
            "checked by the measure's rules (400 with field errors); an update that already "
            "exists for the indicator, office and period gives 409 with it."
        ),
        request=UpdateCreateSerializer,
        responses={201: UpdateSerializer, **errors(400, 401, 403), 409: STALE},
    )
    def create(self, request: Request) -> Response:
        self._authorise(None, "create")
        serializer = self._input(UpdateCreateSerializer)
        data = serializer.validated_data
        update = workflow.update_save(
            user=request.user,
            indicator=data["indicator"],
            office=data["office"],
            period=data["period"],
            values=serializer.values(),
            expected_version=0,
        )
        return self._result(update, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a draft or returned update",
        description=(
            "`version` (required) is the version you loaded. Fields left out keep their "
            "values. A newer version gives 409 with the current row."
        ),
        request=UpdatePatchSerializer,
        responses={200: UpdateSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        update = self.get_object()
        self._authorise(update, "edit")
        serializer = self._input(UpdatePatchSerializer)
        saved = workflow.update_save(
            user=request.user,
            indicator=update.indicator,
            office=update.office,
            period=update.period,
            values=serializer.values(UpdateValues.from_update(update)),
            expected_version=serializer.validated_data["version"],
        )
        return self._result(saved)

    @extend_schema(
        summary="Submit a draft or returned update to the reviewers",
        request=UpdateVersionSerializer,
        responses={200: UpdateSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request: Request, pk: str | None = None) -> Response:
        update = self.get_object()
        self._authorise(update, "submit")
        data = self._input(UpdateVersionSerializer).validated_data
        return self._result(
            workflow.update_submit(
                user=request.user, update=update, expected_version=data["version"]
            )
        )

    @extend_schema(
        summary="Approve a submitted update (reviewers in scope)",
        request=ApproveSerializer,
        responses={200: UpdateSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        update = self.get_object()
        self._authorise(update, "review")
        data = self._input(ApproveSerializer).validated_data
        return self._result(
            workflow.update_approve(
                user=request.user,
                update=update,
                expected_version=data["version"],
                comment=data["comment"],
            )
        )

    @extend_schema(
        summary="Return a submitted update to its office with a comment (reviewers in scope)",
        request=ReturnSerializer,
        responses={200: UpdateSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        filter_backends=[],
        pagination_class=None,
    )
    def return_(self, request: Request, pk: str | None = None) -> Response:
        update = self.get_object()
        self._authorise(update, "review")
        data = self._input(ReturnSerializer).validated_data
        return self._result(
            workflow.update_return(
                user=request.user,
                update=update,
                comment=data["comment"],
                expected_version=data["version"],
            )
        )

    @extend_schema(
        summary="Reopen an approved update as a draft, with a reason (reviewers in scope)",
        request=ReopenSerializer,
        responses={200: UpdateSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        update = self.get_object()
        self._authorise(update, "review")
        data = self._input(ReopenSerializer).validated_data
        return self._result(
            workflow.update_reopen(
                user=request.user,
                update=update,
                reason=data["reason"],
                expected_version=data["version"],
            )
        )


def register(router: BaseRouter) -> None:
    """Register the reporting endpoints on the project's API router."""
    router.register("periods", PeriodViewSet, basename="period")
    router.register("updates", UpdateViewSet, basename="update")
