"""Writes to regions, offices and roles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record
from core.loading import row_upsert, translated
from offices.models import Office, Region, RoleAssignment
from offices.permissions import can_manage_role, forget_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AbstractUser, AnonymousUser
    from django.http import HttpRequest

    from core.loading import LoadReport


LANGUAGES = ("en", "fr", "es")


def offices_load(*, regions: list[dict], headquarters: dict, report: LoadReport) -> None:
    """Create the regions, each with its regional office, and headquarters; idempotent.

    Called with the strategy's data file when it is loaded (offices/receivers.py).
    """
    for item in regions:
        text, fill = translated(item, "name", "city")
        region = row_upsert(Region, report, {"code": item["code"]}, text, fill=fill)
        city = {language: item.get(f"city_{language}", item["city"]) for language in LANGUAGES}
        row_upsert(
            Office,
            report,
            {"code": f"ro-{item['code']}"},
            {
                "name_en": f"Regional Office {city['en']}",
                "kind": Office.Kind.REGIONAL,
                "region": region,
            },
            fill={
                "name_fr": f"Bureau régional de {city['fr']}",
                "name_es": f"Oficina Regional de {city['es']}",
            },
        )
    text, fill = translated(headquarters, "name")
    row_upsert(
        Office,
        report,
        {"code": headquarters["code"]},
        {**text, "kind": Office.Kind.HEADQUARTERS, "region": None},
        fill=fill,
    )


def _role_check(actor: AbstractBaseUser | AnonymousUser | None, role: str) -> None:
    if not can_manage_role(actor, role):
        raise PermissionDenied(
            _("Only a superuser may grant or revoke the %(role)s role.")
            % {"role": RoleAssignment.Role(role).label}
            if role == RoleAssignment.Role.ADMINISTRATOR
            else _("Only HQ results managers and administrators manage roles.")
        )


def role_assignment_describe(*, assignment: RoleAssignment) -> dict:
    """What the audit log keeps of a role assignment (plain values: it outlives the row)."""
    return {
        "user": assignment.user.get_username(),
        "role": assignment.role,
        "office": assignment.office.code if assignment.office_id else None,
        "region": assignment.region.code if assignment.region_id else None,
    }


@transaction.atomic
def role_grant(
    *,
    user: AbstractUser,
    role: str,
    office: Office | None = None,
    region: Region | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    source: str = "",
    request: HttpRequest | None = None,
) -> RoleAssignment:
    """Give a user a role with its scope (idempotent); a new role is written to the audit log
    with who gave it and, e.g. "group claim", where it came from."""
    _role_check(actor, role)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, office=office, region=region
    )
    if created:
        details = role_assignment_describe(assignment=assignment)
        if source:
            details["source"] = source
        audit_record(
            actor=actor,
            action=AuditEvent.Action.ROLE_GRANTED,
            target=user.get_username(),
            details=details,
            request=request,
        )
    forget_roles(user)
    return assignment


@transaction.atomic
def role_assignment_save(
    *,
    assignment: RoleAssignment,
    actor: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None = None,
) -> RoleAssignment:
    """Save a new or changed role assignment (the Django admin) and audit what changed.

    Raise PermissionDenied when the actor may not manage the role it had or gets
    (`can_manage_role`: the administrator role is for superusers to give).
    """
    _role_check(actor, assignment.role)
    before = None
    if assignment.pk:
        previous = (
            RoleAssignment.objects.select_related("user", "office", "region")
            .filter(pk=assignment.pk)
            .first()
        )
        if previous is not None:
            _role_check(actor, previous.role)
        before = role_assignment_describe(assignment=previous) if previous else None
    assignment.full_clean()
    assignment.save()
    after = role_assignment_describe(assignment=assignment)
    if before != after:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.ROLE_CHANGED if before else AuditEvent.Action.ROLE_GRANTED,
            target=assignment.user.get_username(),
            details={**after, "before": before} if before else after,
            request=request,
        )
    forget_roles(assignment.user)
    return assignment


@transaction.atomic
def role_revoke(
    *,
    assignment: RoleAssignment,
    actor: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None = None,
) -> None:
    """Take a role away from a person, and audit it."""
    _role_check(actor, assignment.role)
    details = role_assignment_describe(assignment=assignment)
    user = assignment.user
    assignment.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLE_REVOKED,
        target=user.get_username(),
        details=details,
        request=request,
    )
    forget_roles(user)


def user_create(
    *, username: str, password: str, first_name: str = "", last_name: str = "", email: str = ""
) -> AbstractUser:
    """Create a user, or reset the password of an existing one (demo and test data)."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": email},
    )
    user.set_password(password)
    user.save()
    return user


class NewUser(NamedTuple):
    username: str
    first_name: str
    last_name: str


def users_create(*, users: Sequence[NewUser], password: str) -> dict[str, AbstractUser]:
    """Create many users, or reset the names and password of existing ones, by username.

    Demo data: the password is hashed once for all of them (hashing is slow on purpose), and
    each gets the e-mail address `<username>@example.org`.
    """
    hashed = make_password(password)
    user_model = get_user_model()
    usernames = [u.username for u in users]
    existing = {u.username: u for u in user_model.objects.filter(username__in=usernames)}
    new, changed = [], []
    for item in users:
        user = existing.get(item.username)
        if user is None:
            new.append(
                user_model(
                    username=item.username,
                    first_name=item.first_name,
                    last_name=item.last_name,
                    email=f"{item.username}@example.org",
                    password=hashed,
                )
            )
        else:
            user.first_name, user.last_name, user.password = item.first_name, item.last_name, hashed
            changed.append(user)
    user_model.objects.bulk_create(new)
    user_model.objects.bulk_update(changed, ["first_name", "last_name", "password"])
    return {u.username: u for u in user_model.objects.filter(username__in=usernames)}
