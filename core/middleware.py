"""Middleware of the whole site: the request id, a 503 page when the database is gone, hostile
input refused at the door, and the API's documented JSON error shape for what happens outside
DRF (unknown paths, unhandled errors)."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception, request_finished
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.requests import request_id_new, request_id_var

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("django.request")

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = "5"


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID if acceptable) for the logs, and send
    it back in X-Request-ID so a person can quote it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_new(request.headers.get("X-Request-ID"))
        # Kept until the response is finished (request_finished below): Django logs a 4xx/5xx
        # response after the middleware returned.
        request_id_var.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def _request_id_forget(**kwargs) -> None:
    request_id_var.set("")


request_finished.connect(_request_id_forget, dispatch_uid="core.request_id_forget")


def _database_lost(exception: BaseException) -> bool:
    """True when the error is the database being unreachable, not a bad query."""
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    # psycopg2 reports a connection cut mid-query as DatabaseError on some paths.
    return isinstance(exception, DatabaseError) and "connection" in str(exception).lower()


def _note_database_lost(sender: object, request: HttpRequest | None = None, **kwargs) -> None:
    exception = sys.exc_info()[1]
    if request is not None and exception is not None and _database_lost(exception):
        request.database_lost = True


got_request_exception.connect(_note_database_lost, dispatch_uid="core.database_lost")


class DatabaseUnavailableMiddleware:
    """Answer 503 (a short page, or JSON under /api/) instead of a 500 traceback when the
    database cannot be reached, and drop the broken connections so the next request opens new
    ones: the site recovers by itself once the database is back, without a restart.

    Outermost, so it also sees errors raised in the other middleware (sessions, sign-in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_lost", False):
            return self._unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if _database_lost(exception):
            return self._unavailable(request)
        return None

    def _unavailable(self, request: HttpRequest) -> HttpResponse:
        logger.error("Database unavailable while serving %s", request.path)
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(DatabaseError):
                if connection.connection is not None and not connection.is_usable():
                    connection.close()
        message = _(
            "The database cannot be reached just now. Nothing you saved before is lost; "
            "please try again in a few seconds."
        )
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": message, "code": "service_unavailable"}, status=503
            )
        else:
            html = render_to_string(
                "503.html",
                {"message": message, "request_id": getattr(request, "request_id", "")},
            )
            response = HttpResponse(html, status=503)
        response["Retry-After"] = RETRY_AFTER
        return response


API_PREFIX = "/api/"
# Longest value of one query-string parameter; ids and filters are far shorter.
MAX_PARAM_LENGTH = 2000
# Whole numbers beyond this are beyond any id or count a database here stores (64 bits).
MAX_WHOLE = 2**63 - 1


def _too_large(text: str) -> bool:
    return text.isascii() and text.isdigit() and (len(text) > 19 or int(text) > MAX_WHOLE)


def request_input_refusal(request: HttpRequest) -> tuple[str, str]:
    """Return the query-string parameter refused and why, or ("", "").

    NUL characters (which PostgreSQL cannot store and nobody types), parameters longer than
    MAX_PARAM_LENGTH and all-digit values beyond a 64-bit integer would otherwise reach
    queries and fail there (a 500); here they are a 400 with a message.
    """
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if "\x00" in value:
                return key[:50], _("The address holds a NUL character.")
            if len(value) > MAX_PARAM_LENGTH:
                return key[:50], _("This parameter is longer than %(n)s characters.") % {
                    "n": MAX_PARAM_LENGTH
                }
            if _too_large(value):
                return key[:50], _("This number is too large to mean anything here.")
    return "", ""


def api_error(detail: str, code: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"detail": str(detail), "code": code, **extra}, status=status)


class RequestGuardMiddleware:
    """Refuse hostile query strings (400), and answer under /api/ in the API's JSON error
    shape when Django (not DRF) produces the error: unknown paths (404), bad requests (400),
    unhandled exceptions (500, logged as Django logs them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        if any(_too_large(part) for part in request.path.split("/")):
            # An id in the path beyond any stored one: no such row (not a failed query).
            if is_api:
                return api_error(_("Not found."), "not_found", 404)
            raise Http404(_("Not found."))
        name, refusal = request_input_refusal(request)
        if refusal:
            if is_api:
                errors = {name or "non_field_errors": [refusal]}
                return api_error(_("Invalid input."), "invalid", 400, errors=errors)
            raise BadRequest(f"{name}: {refusal}")  # the project's 400 page
        response = self.get_response(request)
        if is_api and not response.get("Content-Type", "").startswith("application/"):
            if response.status_code == 404:
                return api_error(_("Not found."), "not_found", 404)
            if response.status_code == 400:
                return api_error(_("Bad request."), "bad_request", 400)
            if response.status_code == 403:
                return api_error(_("You do not have permission."), "permission_denied", 403)
            if response.status_code >= 500:
                return api_error(_("A server error occurred."), "server_error", 500)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, BadRequest):
            return api_error(str(exception) or _("Bad request."), "bad_request", 400)
        if isinstance(exception, Http404 | PermissionDenied | SuspiciousOperation):
            return None  # Django answers 404, 403 or 400; __call__ gives it the JSON shape
        if settings.DEBUG_PROPAGATE_EXCEPTIONS:
            return None
        got_request_exception.send(sender=None, request=request)
        request_logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=sys.exc_info(),
            extra={"request": request},
        )
        return api_error(_("A server error occurred."), "server_error", 500)
