"""Middleware of the whole site: the request id, and a 503 page when the database is gone."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable

from django.core.signals import got_request_exception, request_finished
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.requests import request_id_new, request_id_var

logger = logging.getLogger(__name__)

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
