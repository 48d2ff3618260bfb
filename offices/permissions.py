"""Who may do what, in one place: every view, API endpoint, admin page and selector asks here.

Roles and scopes (docs/domain.md): field staff act for one office; a reviewer for a region (or
for headquarters); the steering committee reads everything; HQ results managers manage the
framework and periods; administrators may do all.

Two kinds of rule, named alike: `can_<do>_<what>(user, …)` answers "may this user do this (to
this row)?"; `<rows>_visible(user)` / `<rows>_for_<purpose>(user)` return the rows a user may
see or act on (a queryset, or a `…_q` filter for rows joined elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission

from offices.models import Office, Region, RoleAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


Role = RoleAssignment.Role


class OfficeReport(Protocol):
    """What the rules below read of an indicator update (reporting's model, which sits above)."""

    office_id: int
    office: Office
    status: str


_CACHE_ATTR = "_strategy_tracker_roles"


@dataclass(frozen=True)
class UserRoles:
    """The roles one user holds, with their scopes, read once per request."""

    roles: frozenset[str] = frozenset()
    field_office_ids: frozenset[int] = frozenset()
    reviewer_region_ids: frozenset[int] = frozenset()
    reviewer_office_ids: frozenset[int] = frozenset()  # headquarters reviewers
    assignments: tuple[RoleAssignment, ...] = field(default=())

    @property
    def is_admin(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    @property
    def is_hq_manager(self) -> bool:
        """HQ results managers and administrators manage the framework, periods and exports."""
        return self.is_admin or Role.HQ_MANAGER in self.roles

    @property
    def sees_everything(self) -> bool:
        return self.is_hq_manager or Role.STEERING in self.roles

    @property
    def is_reviewer(self) -> bool:
        return Role.REVIEWER in self.roles

    @property
    def is_field_staff(self) -> bool:
        return Role.FIELD_STAFF in self.roles

    @property
    def reviews_headquarters(self) -> bool:
        return bool(self.reviewer_office_ids)


def roles_for(user: AbstractBaseUser | AnonymousUser) -> UserRoles:
    """Return the user's roles, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return UserRoles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    assignments = tuple(RoleAssignment.objects.filter(user=user).select_related("office", "region"))
    roles = {a.role for a in assignments}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    result = UserRoles(
        roles=frozenset(roles),
        field_office_ids=frozenset(a.office_id for a in assignments if a.role == Role.FIELD_STAFF),
        reviewer_region_ids=frozenset(
            a.region_id for a in assignments if a.role == Role.REVIEWER and a.region_id
        ),
        reviewer_office_ids=frozenset(
            a.office_id for a in assignments if a.role == Role.REVIEWER and a.office_id
        ),
        assignments=assignments,
    )
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_roles(user: AbstractBaseUser) -> None:
    """Drop the cached roles (after a role assignment changes)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- Offices ---------------------------------------------------------------------------------


def _review_scope_q(roles: UserRoles) -> Q:
    """Return a filter on offices inside a reviewer's scope."""
    q = Q(pk__in=[])
    if roles.reviewer_region_ids:
        q |= Q(region_id__in=roles.reviewer_region_ids)
    if roles.reviewer_office_ids:
        q |= Q(kind__in=[Office.Kind.HEADQUARTERS, Office.Kind.HQ_DEPARTMENT])
    return q


def offices_visible(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Office]:
    """Return the offices whose reporting this user may see."""
    roles = roles_for(user)
    offices = Office.objects.all()
    if roles.sees_everything:
        return offices
    q = Q(pk__in=roles.field_office_ids) | _review_scope_q(roles)
    return offices.filter(q)


def offices_for_entry(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Office]:
    """Return the offices this user may enter updates for (field staff; administrators)."""
    roles = roles_for(user)
    if roles.is_admin:
        return Office.objects.all()
    return Office.objects.filter(pk__in=roles.field_office_ids)


def offices_for_review(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Office]:
    """Return the offices whose updates this user may approve, return or reopen."""
    roles = roles_for(user)
    if roles.is_admin:
        return Office.objects.all()
    return Office.objects.filter(_review_scope_q(roles))


def _office_in_review_scope(roles: UserRoles, office: Office) -> bool:
    if roles.is_admin:
        return True
    if office.region_id and office.region_id in roles.reviewer_region_ids:
        return True
    return office.is_headquarters and roles.reviews_headquarters


# --- Indicator updates -----------------------------------------------------------------------


def updates_visible_q(user: AbstractBaseUser | AnonymousUser) -> Q:
    """Return a filter on IndicatorUpdate rows this user may see.

    Drafts stay inside their office (and with HQ managers and administrators); reviewers and
    the steering committee see what has been submitted.
    """
    roles = roles_for(user)
    if roles.is_hq_manager:
        return Q()
    own_office = Q(office_id__in=roles.field_office_ids)
    not_draft = ~Q(status="draft")
    q = own_office
    if Role.STEERING in roles.roles:
        q |= not_draft
    if roles.is_reviewer:
        region_q = Q(office__region_id__in=roles.reviewer_region_ids)
        if roles.reviews_headquarters:
            region_q |= Q(office__kind__in=[Office.Kind.HEADQUARTERS, Office.Kind.HQ_DEPARTMENT])
        q |= region_q & not_draft
    return q if q != Q() else Q(pk__in=[])


def can_view_update(user: AbstractBaseUser | AnonymousUser, update: OfficeReport) -> bool:
    roles = roles_for(user)
    if roles.is_hq_manager or update.office_id in roles.field_office_ids:
        return True
    if update.status == "draft":
        return False
    return Role.STEERING in roles.roles or _office_in_review_scope(roles, update.office)


def can_enter_for_office(user: AbstractBaseUser | AnonymousUser, office: Office) -> bool:
    roles = roles_for(user)
    return roles.is_admin or office.pk in roles.field_office_ids


def can_review_update(user: AbstractBaseUser | AnonymousUser, update: OfficeReport) -> bool:
    """May this user approve, return or reopen this update?"""
    return _office_in_review_scope(roles_for(user), update.office)


def can_approve_update(
    user: AbstractBaseUser | AnonymousUser, update: OfficeReport, *, authors: frozenset[int]
) -> bool:
    """May this user approve this update? THE rule of every channel (page, bulk, API, admin).

    A reviewer in scope who is none of its `authors` (whoever submitted it or last changed
    its values: `reporting.selectors.updates.update_authors`): separation of duties, whatever
    roles the user holds (DOMAIN.md, "Reporting").
    """
    return can_review_update(user, update) and getattr(user, "pk", None) not in authors


def can_manage_framework(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Framework, indicators, targets, assignments, periods and exports."""
    return roles_for(user).is_hq_manager


def can_read_dashboards(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Everyone with a role reads dashboards, each within their scope."""
    return bool(roles_for(user).roles)


def can_export(user: AbstractBaseUser | AnonymousUser) -> bool:
    roles = roles_for(user)
    return roles.sees_everything


# --- Delivery plan and resource mobilization plan --------------------------------------------


def can_read_plans(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Everyone with a role reads the whole delivery and resource plans (an internal plan)."""
    return bool(roles_for(user).roles)


def offices_for_plan_edit(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Office]:
    """Return the offices whose actions and resources this user may create and edit.

    HQ results managers and administrators: every office; field staff: their office;
    reviewers: the offices they review (a region's, or headquarters').
    """
    roles = roles_for(user)
    if roles.is_hq_manager:
        return Office.objects.all()
    return Office.objects.filter(Q(pk__in=roles.field_office_ids) | _review_scope_q(roles))


def can_edit_plans(user: AbstractBaseUser | AnonymousUser) -> bool:
    """May this user edit at least some actions or resources (to offer the "add" buttons)?"""
    roles = roles_for(user)
    return roles.is_hq_manager or roles.is_field_staff or roles.is_reviewer


def can_edit_plan_for_office(user: AbstractBaseUser | AnonymousUser, office: Office | None) -> bool:
    """May this user create or edit an action or resource of this office?

    Rows without an office (global financial allocations) are for HQ results managers only.
    """
    roles = roles_for(user)
    if roles.is_hq_manager:
        return True
    if office is None:
        return False
    return office.pk in roles.field_office_ids or _office_in_review_scope(roles, office)


def can_publish_delivery_plan(user: AbstractBaseUser | AnonymousUser) -> bool:
    """HQ publishes versions of the delivery plan."""
    return roles_for(user).is_hq_manager


# --- Dashboards and completeness -------------------------------------------------------------


def can_see_office_drafts(user: AbstractBaseUser | AnonymousUser, office_id: int) -> bool:
    """May this user see this office's drafts (its own field staff, HQ managers, admins)?

    The same rule as `updates_visible_q`, for pages that only count updates.
    """
    roles = roles_for(user)
    return roles.is_hq_manager or office_id in roles.field_office_ids


def regions_visible(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Region]:
    """Return the regions whose regional figures and offices this user may drill into.

    Everyone with a role reads the global figures; a region's breakdown is for those who see
    everything and for that region's reviewers (field staff see their own office only).
    """
    roles = roles_for(user)
    if roles.sees_everything:
        return Region.objects.all()
    return Region.objects.filter(pk__in=roles.reviewer_region_ids)


# --- Review queue ----------------------------------------------------------------------------


def can_use_review_queue(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Reviewers (each sees their scope) and administrators use the review queue."""
    roles = roles_for(user)
    return roles.is_reviewer or roles.is_admin


# --- Roll-ups (REST API) ---------------------------------------------------------------------


def rollups_visible_q(user: AbstractBaseUser | AnonymousUser) -> Q:
    """Return a filter on stored Rollup rows this user may see.

    Global figures for everyone with a role; a region's for those who may drill into it
    (`regions_visible`); headquarters' for those who see everything and HQ's reviewers. (An
    office's own figures are computed on request for those who see the office:
    `offices_visible`.)
    """
    roles = roles_for(user)
    if not roles.roles:
        return Q(pk__in=[])
    if roles.sees_everything:
        return Q()
    q = Q(scope="global") | Q(scope="region", region__in=regions_visible(user))
    if roles.reviews_headquarters:
        q |= Q(scope="hq")
    return q


# --- The REST API ----------------------------------------------------------------------------


class ApiPermission(BasePermission):
    """Every API request (settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]): signed in and
    holding at least one role (each role then sees its own scope). On the framework's endpoints
    (views with `framework_resource = True`) only HQ results managers and administrators write.
    """

    message = gettext_lazy("You hold no role in the tracker.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if not can_read_dashboards(request.user):
            return False
        if request.method in SAFE_METHODS or not getattr(view, "framework_resource", False):
            return True
        if not can_manage_framework(request.user):
            self.message = gettext_lazy(
                "Only HQ results managers and administrators change the framework."
            )
            return False
        return True


# --- Accounts: machine-client API tokens and the audit log -----------------------------------


def can_manage_api_tokens(user: AbstractBaseUser | AnonymousUser) -> bool:
    """HQ results managers and administrators issue and revoke API tokens for machine clients."""
    return roles_for(user).is_hq_manager


def can_read_audit_log(user: AbstractBaseUser | AnonymousUser) -> bool:
    """HQ results managers and administrators read the audit log."""
    return roles_for(user).is_hq_manager


def api_token_allows_method(*, scope: str, method: str) -> bool:
    """A read-only API token may only read (GET, HEAD, OPTIONS); a write token may also write
    (within its office, which its client's field-staff role decides)."""
    return scope == "write" or method.upper() in {"GET", "HEAD", "OPTIONS"}


# --- Role management ------------------------------------------------------------------------


def can_manage_role(user: AbstractBaseUser | AnonymousUser | None, role: str) -> bool:
    """May this person grant, change or revoke an assignment of this role?

    The administrator role (which sees every office's drafts and may do all) is given and
    taken by superusers only; the other roles by HQ results managers and administrators.
    `None` is the application itself (demo data, a group claim, an API token's client role).
    """
    if user is None:
        return True
    if role == Role.ADMINISTRATOR:
        return bool(getattr(user, "is_superuser", False) and user.is_active)
    return roles_for(user).is_hq_manager


# --- The Django admin -------------------------------------------------------------------------

# Rows only the application writes: through its workflow services (a period's state, an
# update's status and version, its history and the roll-ups it moves) or as records of what
# happened. The admin shows them read-only to everyone, superusers too; their changes are made
# on the pages (or by the admin actions that call the same services).
ADMIN_READ_ONLY_MODELS = frozenset(
    {
        "reporting.indicatorupdate",
        "reporting.updateevidence",
        "reporting.reportingperiod",
        "rollups.rollup",
        "jobs.job",
        "audit.auditevent",
        "accounts.apitoken",
        "plans.deliveryplanversion",
        "plans.actionsnapshot",
    }
)
# Who may sign in and with which powers (users, groups, model permissions, API keys, lockouts):
# superusers only, so no one else can make themselves or anyone else more than they are.
ADMIN_SUPERUSER_APPS = frozenset({"auth", "authtoken", "axes"})
ADMIN_ACTIONS = frozenset({"view", "add", "change", "delete"})


def can_use_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff who are still active may open the Django admin (each page then asks below)."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


def admin_allows(user: AbstractBaseUser | AnonymousUser, *, model_label: str, action: str) -> bool:
    """THE admin policy: may this user `action` (view, add, change, delete) rows of the model
    (`app_label.model_name`) in the Django admin? Every registered ModelAdmin asks here
    (strategy_tracker.admin_site) besides its own model permissions.
    """
    if action not in ADMIN_ACTIONS or not can_use_admin(user):
        return False
    app_label, _dot, model_name = model_label.lower().partition(".")
    if app_label in ADMIN_SUPERUSER_APPS:
        return bool(user.is_superuser)
    if action == "view":
        return True
    if model_label.lower() in ADMIN_READ_ONLY_MODELS or model_name.startswith("historical"):
        return False
    return bool(user.is_superuser) or roles_for(user).is_hq_manager


# Roles a group claim of the identity provider may pre-fill. Never administrator: that is
# decided in the tracker (superuser) only.
ROLES_FROM_GROUP_CLAIM = frozenset(
    {Role.FIELD_STAFF, Role.REVIEWER, Role.STEERING, Role.HQ_MANAGER}
)


def role_may_come_from_group_claim(role: str) -> bool:
    return role in ROLES_FROM_GROUP_CLAIM
