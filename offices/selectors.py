"""Reads of offices, regions and people."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from offices.models import Office, RoleAssignment


def reviewers_for_office(*, office: Office) -> QuerySet:
    """Return the active users who review this office's updates (its region's, or HQ's)."""
    scope = Q(role_assignments__region_id=office.region_id) if office.region_id else Q()
    if office.is_headquarters:
        scope = Q(role_assignments__office__kind__in=[Office.Kind.HEADQUARTERS])
    return (
        get_user_model()
        .objects.filter(
            Q(role_assignments__role=RoleAssignment.Role.REVIEWER) & scope, is_active=True
        )
        .distinct()
        .order_by("username")
    )


def field_staff_for_office(*, office: Office) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(
            role_assignments__role=RoleAssignment.Role.FIELD_STAFF,
            role_assignments__office=office,
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def role_managers() -> QuerySet:
    """Return the active HQ results managers: they give people their roles."""
    return (
        get_user_model()
        .objects.filter(role_assignments__role=RoleAssignment.Role.HQ_MANAGER, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
