"""Writes to regions, offices and roles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
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
