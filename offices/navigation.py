"""The pages each role is offered, for the navigation bar and the home page.

Each entry names a URL; entries whose URL does not exist are left out, and each entry says
which roles see it (so no one is shown a link they cannot use). The pages themselves still
check permissions on the server. The navigation bar groups the entries into menus so that
it fits on one line at 1366 px for every role.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from offices.permissions import UserRoles

# The navigation bar's menus, in order.
GROUPS: dict[str, Promise | str] = {
    "reporting": _("Reporting"),
    "results": _("Results"),
    "plans": _("Plans"),
    "manage": _("Manage"),
}


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: Promise | str
    description: Promise | str
    allowed: Callable[[UserRoles], bool]
    group: str = "reporting"


NAVIGATION: list[NavEntry] = [
    NavEntry(
        "reporting:my_reporting",
        _("My reporting"),
        _("Enter and submit your office's indicator updates for an open period."),
        lambda r: r.is_field_staff or r.is_admin,
        group="reporting",
    ),
    NavEntry(
        "reporting:excel",
        _("Excel round-trip"),
        _("Download a pre-filled template, fill it offline, upload it."),
        lambda r: r.is_field_staff or r.is_admin,
        group="reporting",
    ),
    NavEntry(
        "reporting:review_queue",
        _("Review queue"),
        _("Approve or return the updates submitted by offices in your scope."),
        lambda r: r.is_reviewer or r.is_admin,
        group="reporting",
    ),
    NavEntry(
        "reporting:dashboard",
        _("Dashboards"),
        _("Where the strategy stands: outcomes, deliverables, outputs, regions and markers."),
        lambda r: bool(r.roles),
        group="results",
    ),
    NavEntry(
        "reporting:completeness",
        _("Completeness"),
        _("Which offices have reported, for each period, and what arrived late."),
        lambda r: bool(r.roles),
        group="reporting",
    ),
    NavEntry(
        "plans:actions",
        _("Delivery plan"),
        _("The actions that deliver the strategy, their status and due dates."),
        lambda r: bool(r.roles),
        group="plans",
    ),
    NavEntry(
        "plans:resources",
        _("Resources"),
        _("Human and financial resources planned, mobilized and spent."),
        lambda r: bool(r.roles),
        group="plans",
    ),
    NavEntry(
        "reporting:periods",
        _("Reporting periods"),
        _("Open, close, lock and reopen reporting periods."),
        lambda r: r.is_hq_manager,
        group="manage",
    ),
    NavEntry(
        "reporting:exports",
        _("Membership updates"),
        _("Produce the periodic update for member states as PDF, XLSX, CSV or IATI XML."),
        lambda r: r.sees_everything,
        group="results",
    ),
    NavEntry(
        "accounts:api_tokens",
        _("API clients"),
        _("Issue and revoke the API tokens of other systems."),
        lambda r: r.is_hq_manager,
        group="manage",
    ),
    NavEntry(
        "accounts:audit_log",
        _("Audit log"),
        _("Sign-ins, role changes and API tokens: who did what, and when."),
        lambda r: r.is_hq_manager,
        group="manage",
    ),
    NavEntry(
        "admin:index",
        _("Administration"),
        _("Manage the framework, indicators, targets, assignments, offices and people."),
        lambda r: r.is_hq_manager,
        group="manage",
    ),
    NavEntry(
        "api-docs",
        _("API"),
        _("The REST API and its documentation, for other systems."),
        # Machine clients use it with tokens HQ issues; HQ reads its documentation.
        lambda r: r.is_hq_manager,
        group="manage",
    ),
]


def links_for(roles: UserRoles) -> list[dict]:
    """Return the navigation links this user is offered, as dicts with url, label, description."""
    links = []
    for entry in NAVIGATION:
        if not entry.allowed(roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # that part of the application is not installed
        links.append(
            {
                "url": url,
                "label": entry.label,
                "description": entry.description,
                "group": entry.group,
            }
        )
    return links


def nav_menus(links: list[dict], path: str = "") -> list[dict]:
    """Group links_for's links into the navigation bar's menus (the template shows a menu of
    one link as that link), marking the link of the page at `path` and its menu current."""
    menus = []
    for key, label in GROUPS.items():
        items = [
            {**link, "current": bool(path) and path.startswith(link["url"])}
            for link in links
            if link["group"] == key
        ]
        if items:
            current = any(item["current"] for item in items)
            menus.append({"key": key, "label": label, "links": items, "current": current})
    return menus
