"""Before measuring: the bench database, the environment of its processes, users and pages."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from bench.context import PASSWORD, ROOT, SECRET_KEY, SETTINGS, Context, Page


def bench_database(url: str, chosen: str = "") -> tuple[str, str, dict]:
    """Return (bench database name, its URL, connection keywords for the maintenance db)."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "postgres"
    bench_name = chosen or f"{name}_bench"
    if bench_name == name:
        raise SystemExit("The bench database must not be the one DATABASE_URL names.")
    bench_url = urlunparse(parsed._replace(path=f"/{bench_name}"))
    keywords = {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": parsed.username or "postgres",
        "password": parsed.password or "",
        "dbname": "postgres",
    }
    return bench_name, bench_url, keywords


def database_recreate(name: str, keywords: dict) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(**keywords)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def database_exists(name: str, keywords: dict) -> bool:
    import psycopg2

    conn = psycopg2.connect(**keywords)
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    conn.close()
    return found


def child_env(bench_url: str, redis_url: str, workdir: Path) -> dict[str, str]:
    """Return the environment of this process's Django and of every process it starts."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=bench_url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        CONN_MAX_AGE="60",
        # Export jobs save their files here, not in the worktree's media/.
        MEDIA_ROOT=str(workdir / "media"),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def django_setup(ctx: Context) -> None:
    os.environ.update(ctx.env)
    if not ctx.redis_url:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def users_make() -> dict:
    """Return a field user of one bench office, a reviewer of every region, steering and HQ."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from offices.models import Office, Region, RoleAssignment

    Role = RoleAssignment.Role
    User = get_user_model()
    password = make_password(PASSWORD)
    made = {}
    for name in ["bench-field", "bench-reviewer", "bench-steering", "bench-hq"]:
        made[name], _created = User.objects.get_or_create(
            username=name, defaults={"password": password, "email": f"{name}@example.org"}
        )
    office = Office.objects.filter(code="bench-co-0").first()
    RoleAssignment.objects.get_or_create(
        user=made["bench-field"], role=Role.FIELD_STAFF, office=office
    )
    for region in Region.objects.all():
        RoleAssignment.objects.get_or_create(
            user=made["bench-reviewer"], role=Role.REVIEWER, region=region
        )
    RoleAssignment.objects.get_or_create(user=made["bench-steering"], role=Role.STEERING)
    RoleAssignment.objects.get_or_create(user=made["bench-hq"], role=Role.HQ_MANAGER)
    return made


def session_cookie(user) -> str:
    """Make a logged-in session for the user in the bench database; return the Cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.LocalPasswordBackend"  # password sign-in
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def pages_make(ctx: Context) -> list[Page]:
    """Return the pages to measure: dashboards, data entry and the updates API."""
    from django.urls import reverse
    from rest_framework.authtoken.models import Token

    from deliverables.models import Indicator

    outcome = ctx.strategy.outcome_set.order_by("pk").first()
    indicator = (
        Indicator.objects.filter(code__startswith="BENCH.", measure="number", cumulative=True)
        .order_by("pk")
        .first()
    )
    steering, field_user = ctx.users["bench-steering"], ctx.users["bench-field"]
    as_steering = {"Cookie": session_cookie(steering)}
    as_field = {"Cookie": session_cookie(field_user)}
    hq = ctx.users["bench-hq"]
    token, _created = Token.objects.get_or_create(user=hq)
    auth = {"Authorization": f"Token {token.key}"}
    return [
        Page("dashboard_overview", reverse("reporting:dashboard"), as_steering, {}, steering),
        Page(
            "dashboard_outcome",
            reverse("reporting:dashboard_outcome", args=[outcome.pk]),
            as_steering,
            {},
            steering,
        ),
        Page(
            "dashboard_indicator",
            reverse("reporting:dashboard_indicator", args=[indicator.pk]),
            as_steering,
            {},
            steering,
        ),
        Page(
            "dashboard_markers", reverse("reporting:dashboard_markers"), as_steering, {}, steering
        ),
        Page("data_entry", reverse("reporting:my_reporting"), as_field, {}, field_user),
        Page(
            "api_updates",
            "/api/v1/updates/?page_size=100",
            auth,
            {"HTTP_AUTHORIZATION": auth["Authorization"]},
            hq,
        ),
        Page(
            "api_breakdowns",
            "/api/v1/breakdowns/?page_size=100",
            auth,
            {"HTTP_AUTHORIZATION": auth["Authorization"]},
            hq,
        ),
    ]
