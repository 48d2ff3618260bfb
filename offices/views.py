from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from offices.navigation import links_for
from offices.permissions import roles_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Say who the user is, which roles they hold, and link to what they may do."""
    return render(request, "offices/home.html", {"home_links": links_for(roles_for(request.user))})


def healthz(request: HttpRequest) -> JsonResponse:
    """Report that the app is up and its database answers (for the load balancer and compose)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
