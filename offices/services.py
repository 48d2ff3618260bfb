"""Writes to regions, offices and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from core.loading import row_upsert
from offices.models import Office, Region, RoleAssignment
from offices.permissions import forget_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from core.loading import LoadReport


def offices_load(*, regions: list[dict], headquarters: dict, report: LoadReport) -> None:
    """Create the regions, each with its regional office, and headquarters; idempotent.

    Called with the strategy's data file when it is loaded (offices/receivers.py).
    """
    for item in regions:
        region = row_upsert(
            Region, report, {"code": item["code"]}, {"city": item["city"], "name": item["name"]}
        )
        row_upsert(
            Office,
            report,
            {"code": f"ro-{item['code']}"},
            {
                "name": f"Regional Office {item['city']}",
                "kind": Office.Kind.REGIONAL,
                "region": region,
            },
        )
    row_upsert(
        Office,
        report,
        {"code": headquarters["code"]},
        {"name": headquarters["name"], "kind": Office.Kind.HEADQUARTERS, "region": None},
    )


@transaction.atomic
def role_grant(
    *, user: AbstractUser, role: str, office: Office | None = None, region: Region | None = None
) -> RoleAssignment:
    """Give a user a role with its scope (idempotent)."""
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role, office=office, region=region
    )
    forget_roles(user)
    return assignment


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
