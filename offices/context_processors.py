from django.http import HttpRequest

from offices.navigation import links_for
from offices.permissions import roles_for


def roles(request: HttpRequest) -> dict:
    """Expose the signed-in user's roles and navigation links to every template."""
    user_roles = roles_for(request.user)
    return {"user_roles": user_roles, "nav_links": links_for(user_roles)}
