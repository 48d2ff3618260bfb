from django.http import HttpRequest

from offices.navigation import links_for, nav_menus
from offices.permissions import roles_for


def roles(request: HttpRequest) -> dict:
    """Expose the signed-in user's roles and navigation links to every template."""
    user_roles = roles_for(request.user)
    links = links_for(user_roles)
    return {
        "user_roles": user_roles,
        "nav_links": links,
        "nav_menus": nav_menus(links, request.path),
    }
