"""Health endpoints for load balancers, compose, honcho's users and CI.

/healthz: liveness, the process answers (no database: a database outage must not get the web
processes restarted, they recover by themselves). /readyz: ready to serve, with each check —
the database answers, every migration is applied, Redis answers (when REDIS_URL is set) and a
Celery worker answers a ping (when a broker is in use); 503 if any fails.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from strategy_tracker.celery import app as celery_app

PING_TIMEOUT = 2.0  # seconds a worker has to answer


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "answers"


def _migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if missing:
        raise RuntimeError(f"{len(missing)} migration(s) not applied")
    return "all applied"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not used (REDIS_URL unset)"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "answers"


def _worker() -> str:
    if celery_app.conf.task_always_eager:
        return "not used (tasks run in the web process)"
    replies = celery_app.control.ping(timeout=PING_TIMEOUT)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return ", ".join(sorted(name for reply in replies for name in reply))


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "migrations": _migrations,
    "redis": _redis,
    "worker": _worker,
}


def _run(check: Callable[[], str]) -> dict:
    try:
        return {"ok": True, "detail": check()}
    except Exception as error:  # any failure is "not ready", with its kind
        # The error's kind and text, never a connection string (they carry passwords).
        text = str(error).split("\n", 1)[0][:200]
        for url in (settings.REDIS_URL, settings.CELERY_BROKER_URL):
            if url:
                text = text.replace(url, "…")
        return {"ok": False, "detail": f"{type(error).__name__}: {text}"}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves requests."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: every check with its result; 200 when all pass, else 503."""
    results = {name: _run(check) for name, check in CHECKS.items()}
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
