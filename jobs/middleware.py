"""Tell the person when their change is saved but its background work had to wait for the
broker (jobs.outbox): nothing is lost, the dashboards catch up when the broker is back."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from jobs.outbox import deferred_var

HEADER = "X-Background-Deferred"


class DeferredWorkMiddleware:
    """After MessageMiddleware in MIDDLEWARE, so the message it adds is stored with the
    response (a redirect shows it on the next page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        deferred: list[str] = []
        token = deferred_var.set(deferred)
        try:
            response = self.get_response(request)
        finally:
            deferred_var.reset(token)
        if deferred:
            response[HEADER] = str(len(deferred))
            if hasattr(request, "_messages"):
                messages.warning(
                    request,
                    _(
                        "Saved. The background service is unreachable just now, so dashboards "
                        "and exports will catch up within a few minutes of it coming back; "
                        "nothing is lost."
                    ),
                )
        return response
