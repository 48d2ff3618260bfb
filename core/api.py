"""What every REST endpoint of the tracker shares: the error shape, how service exceptions become
HTTP status codes and the documented error responses (who may call an endpoint is decided in
offices.permissions).

Error bodies always look like `{"detail": str, "code": str, "errors": {field: [messages]}}`
(`errors` only for 400) and, for a stale version, `{"current": {...}}` with the newer row.

Status codes:
- 400 bad input: unknown fields, bad JSON, bad filter values, a rule of the values broken;
- 401 no credentials (or a bad token); 403 a role that may not do this;
- 404 not found, or outside what the user may see;
- 409 the request conflicts with the current state: another writer saved first (stale
  `version`), the update's status does not allow the action, the period is closed or locked,
  or the row is still used by others (delete) or would duplicate one (unique fields).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ConflictError, StaleVersionError
from core.parsers import LimitedJSONParser

# --- Error bodies ----------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {},
        "description": "Field name (or `non_field_errors`) to a list of messages.",
    }
)
class FieldErrorsField(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField(help_text=gettext_lazy("What went wrong, for a person."))
    code = serializers.CharField(
        help_text=gettext_lazy(
            "A stable code: invalid, parse_error, not_authenticated, authentication_failed, "
            "permission_denied, not_found, stale_version, workflow, period_locked, conflict, …"
        )
    )
    errors = FieldErrorsField(
        required=False, help_text=gettext_lazy("400 only: the messages of each field.")
    )


def error_body(detail: Any, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, **extra}


def _field_errors(data: Any) -> dict[str, Any]:
    if isinstance(data, dict):
        return data
    if isinstance(data, list):
        return {"non_field_errors": data}
    return {"non_field_errors": [str(data)]}


def _django_validation_errors(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        errors = exc.message_dict
        if NON_FIELD_ERRORS in errors:
            errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
        return errors
    return {"non_field_errors": exc.messages}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn service exceptions and DRF's own into the documented status codes and bodies."""
    if isinstance(exc, StaleVersionError):
        view = context.get("view")
        serialize = getattr(view, "serialize_current", None)
        current = serialize(exc.current) if serialize else {"id": exc.current.pk}
        return Response(
            error_body(
                _(
                    "Someone else changed this update since you loaded it (now version "
                    "%(v)s). Your changes were not saved: compare with the current values."
                )
                % {"v": exc.current.version},
                "stale_version",
                current_version=exc.current.version,
                current=current,
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ConflictError):
        return Response(error_body(exc.message, exc.code), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body(_("Invalid input."), "invalid", errors=_django_validation_errors(exc)),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ProtectedError | RestrictedError):
        return Response(
            error_body(_("This row is still used by other rows and cannot be deleted."), "in_use"),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            error_body(_("This would conflict with rows that already exist."), "conflict"),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(_("Invalid input."), "invalid", errors=_field_errors(exc.detail))
    else:
        detail = exc.detail if not isinstance(exc.detail, list | dict) else exc.default_detail
        code = getattr(detail, "code", None) or exc.default_code
        response.data = error_body(detail, str(code))
    return response


# --- Input -----------------------------------------------------------------------------------


def unknown_fields(serializer: serializers.BaseSerializer) -> dict[str, list[str]]:
    """Return an error for each body field the serializer does not take (misspelt or
    read-only ones): the API documentation promises 400 for them, not silence."""
    data = getattr(serializer, "initial_data", None)
    if not isinstance(data, dict) or getattr(serializer, "many", False):
        return {}
    writable = {name for name, f in serializer.fields.items() if not f.read_only}
    unknown = sorted(str(key) for key in data if key not in writable)
    return {name: [_("Unknown or read-only field.")] for name in unknown[:20]}


def unknown_fields_refuse(serializer: serializers.BaseSerializer) -> None:
    """Raise ValidationError (400) for unknown body fields (ApiViewMixin.get_serializer)."""
    errors = unknown_fields(serializer)
    if errors:
        raise exceptions.ValidationError(errors)


def api_input(serializer_class: Any, request: Any, **kwargs: Any) -> serializers.Serializer:
    """Return the validated serializer of a request body; 400 with every field's errors,
    unknown fields included."""
    serializer = serializer_class(data=request.data, **kwargs)
    valid = serializer.is_valid()
    errors = {**(serializer.errors if not valid else {}), **unknown_fields(serializer)}
    if errors:
        raise exceptions.ValidationError(errors)
    return serializer


# --- Views -----------------------------------------------------------------------------------


class ApiViewMixin:
    """The authentication classes of REST_FRAMEWORK (tokens before the session, so a missing
    credential is 401), JSON bodies, our error shape, and each write in its own transaction so
    a failed one leaves nothing behind."""

    parser_classes = [LimitedJSONParser]
    # Who may call it: settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] (offices.permissions).

    def get_exception_handler(self):
        return api_exception_handler

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            unknown_fields_refuse(serializer)
        return serializer

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()


class FrameworkViewSetMixin(ApiViewMixin):
    """The framework's endpoints: everyone with a role reads, HQ results managers write."""

    framework_resource = True


# --- Documented responses --------------------------------------------------------------------

_ERROR_TEXT = {
    400: "Bad input: field errors, bad JSON or bad filter values.",
    401: "No credentials, or a bad token.",
    403: "Your roles do not allow this.",
    404: "Not found, or outside what you may see.",
    409: "Conflicts with the current state (status, period, version, or rows in use).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_ERROR_TEXT[code])
        for code in codes
    }


LIST_ERRORS = errors(400, 401, 403, 404)
READ_ERRORS = errors(401, 403, 404)
CREATE_ERRORS = errors(400, 401, 403, 409)
UPDATE_ERRORS = errors(400, 401, 403, 404, 409)
DELETE_ERRORS = errors(401, 403, 404, 409)


def framework_schema(name: str, serializer: Any) -> dict[str, Any]:
    """The extend_schema_view arguments documenting a framework ModelViewSet's operations."""
    return {
        "list": extend_schema(summary=f"List {name}", responses={200: serializer, **LIST_ERRORS}),
        "retrieve": extend_schema(
            summary=f"One of the {name}", responses={200: serializer, **READ_ERRORS}
        ),
        "create": extend_schema(
            summary=f"Add to the {name} (HQ results managers, administrators)",
            responses={201: serializer, **CREATE_ERRORS},
        ),
        "update": extend_schema(
            summary=f"Replace one of the {name} (HQ, administrators)",
            responses={200: serializer, **UPDATE_ERRORS},
        ),
        "partial_update": extend_schema(
            summary=f"Change one of the {name} (HQ, administrators)",
            responses={200: serializer, **UPDATE_ERRORS},
        ),
        "destroy": extend_schema(
            summary=f"Delete one of the {name} (HQ, administrators)",
            responses={204: None, **DELETE_ERRORS},
        ),
    }
