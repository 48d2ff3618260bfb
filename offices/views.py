from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from offices.navigation import links_for
from offices.permissions import roles_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Say who the user is, which roles they hold, and link to what they may do."""
    return render(request, "offices/home.html", {"home_links": links_for(roles_for(request.user))})
