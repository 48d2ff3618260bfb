"""The scale benchmark (`make bench SCALE=1`): fill a separate PostgreSQL database, measure, report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/strategy_tracker \
    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/run.py --scale 1

The database is `<name of DATABASE_URL's database>_bench`, dropped and made again on every run
(never the database DATABASE_URL names). Scale grows the number of offices (bench/fill.py).
Each measurement is its own function; one whose piece is missing or fails is recorded as
"not available" with the reason, and the others still run. Figures go to the screen and to
bench/results/scale-<SCALE>.json; when the other scale's file exists, both are printed side by
side (bench/report.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
SETTINGS = "strategy_tracker.settings.dev"  # with DEBUG=false: no debug toolbar, no SQL log
PASSWORD = "bench-Password-2019"  # noqa: S105


class NotAvailable(Exception):
    """The piece a measurement needs does not exist (yet)."""


def log(message: str) -> None:
    print(message, flush=True)


# --- Statistics ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(seconds: list[float]) -> dict:
    """Return n, median, p95 and max in milliseconds."""
    if not seconds:
        return {"n": 0}
    return {
        "n": len(seconds),
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
    }


# --- Database and processes ------------------------------------------------------------------


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


def child_env(bench_url: str, redis_url: str) -> dict[str, str]:
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
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set) of a live process, in MB."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"VmHWM:\s+(\d+) kB", text)
    return round(int(found.group(1)) / 1024, 1) if found else None


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may hold spaces and parentheses: the ppid follows the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Gunicorn kills a worker stuck longer than this; the client gives up a little later.
WORKER_TIMEOUT = 100


def http_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, float]:
    """GET over a fresh loopback connection (gunicorn's sync workers close each one).

    Status 0: no answer in time (or the connection failed).
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WORKER_TIMEOUT + 10)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except OSError:
        return 0, time.perf_counter() - started
    finally:
        conn.close()


# --- The run's context -----------------------------------------------------------------------


@dataclass
class Page:
    key: str
    path: str
    headers: dict[str, str]
    client_kwargs: dict
    user: object


@dataclass
class Context:
    args: argparse.Namespace
    bench_url: str
    redis_url: str
    env: dict[str, str]
    workdir: Path
    strategy: object = None
    reviewer: object = None
    pages: list[Page] = field(default_factory=list)
    pages_missing: dict[str, str] = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    too_slow: set[str] = field(default_factory=set)
    submitted: list[int] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    @property
    def quick(self) -> bool:
        return self.args.quick

    def take_submitted(self, n: int) -> list:
        """Return n submitted updates, picked at random, not handed out before."""
        from reporting.models import IndicatorUpdate

        if not self.submitted:
            ids = list(
                IndicatorUpdate.objects.filter(
                    status=IndicatorUpdate.Status.SUBMITTED, indicator__code__startswith="BENCH."
                ).values_list("pk", flat=True)
            )
            self.rng.shuffle(ids)
            self.submitted = ids
        chosen, self.submitted = self.submitted[:n], self.submitted[n:]
        return list(
            IndicatorUpdate.objects.filter(pk__in=chosen).select_related(
                "indicator", "office", "period"
            )
        )


def django_setup(ctx: Context) -> None:
    os.environ.update(ctx.env)
    if not ctx.redis_url:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def users_make(ctx: Context) -> dict:
    """A field user of one bench office, a reviewer of every region, steering and HQ users."""
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


def pages_make(ctx: Context, users: dict) -> None:
    """Resolve the pages to measure; a URL name that does not exist yet is "not available"."""
    from django.urls import NoReverseMatch, reverse

    from deliverables.models import Indicator

    outcome = ctx.strategy.outcome_set.order_by("pk").first()
    indicator = (
        Indicator.objects.filter(code__startswith="BENCH.", measure="number", cumulative=True)
        .order_by("pk")
        .first()
    )
    steering = {"Cookie": session_cookie(users["bench-steering"])}
    field_user = {"Cookie": session_cookie(users["bench-field"])}
    wanted = [
        ("dashboard_overview", "reporting:dashboard", [], steering, users["bench-steering"]),
        (
            "dashboard_outcome",
            "reporting:dashboard_outcome",
            [outcome.pk],
            steering,
            users["bench-steering"],
        ),
        (
            "dashboard_indicator",
            "reporting:dashboard_indicator",
            [indicator.pk],
            steering,
            users["bench-steering"],
        ),
        ("data_entry", "reporting:my_reporting", [], field_user, users["bench-field"]),
    ]
    for key, name, args, headers, user in wanted:
        try:
            ctx.pages.append(Page(key, reverse(name, args=args), headers, {}, user))
        except NoReverseMatch:
            ctx.pages_missing[key] = f"URL name {name} does not exist"
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=users["bench-hq"])
    auth = {"Authorization": f"Token {token.key}"}
    ctx.pages.append(
        Page(
            "api_updates",
            "/api/v1/updates/?page_size=100",
            auth,
            {"HTTP_AUTHORIZATION": auth["Authorization"]},
            users["bench-hq"],
        )
    )


# --- Measurements ----------------------------------------------------------------------------


def measure_rollup_rebuild(ctx: Context) -> dict:
    """Full rebuild (`rollup_rebuild_full`) against the bare SQL aggregate over the same rows."""
    try:
        from reporting.services.rollups import rollup_rebuild_full
    except ImportError as error:
        raise NotAvailable(f"reporting.services.rollups.rollup_rebuild_full: {error}") from error
    from django.db import connection

    from reporting.models import IndicatorUpdate

    runs = 1 if ctx.quick or ctx.args.scale >= 5 else 3
    seconds, rows, by_scope = [], 0, {}
    for n in range(runs):
        started = time.perf_counter()
        done = rollup_rebuild_full()
        seconds.append(time.perf_counter() - started)
        rows, by_scope = done.rows, done.by_scope
        log(f"  rebuild {n + 1}/{runs}: {seconds[-1]:.2f} s, {rows:,} rows")
    bare = []
    with connection.cursor() as cursor:
        for _n in range(3):
            started = time.perf_counter()
            cursor.execute(
                "SELECT count(*) FROM (SELECT indicator_id, office_id, period_id, sum(value) "
                "FROM reporting_indicatorupdate WHERE status = 'approved' "
                "GROUP BY indicator_id, office_id, period_id) AS grouped"
            )
            cursor.fetchone()
            bare.append(time.perf_counter() - started)
    approved = IndicatorUpdate.objects.filter(status=IndicatorUpdate.Status.APPROVED).count()
    median, floor = statistics.median(seconds), statistics.median(bare)
    plan = [] if ctx.quick or ctx.args.scale >= 5 else rebuild_explain(ctx)
    return {
        "explain_first_chunk": plan,
        "runs": [round(s, 3) for s in seconds],
        "median_s": round(median, 3),
        "rows": rows,
        "by_scope": by_scope,
        "approved_updates": approved,
        "bare_sql_s": round(floor, 3),
        "ratio_to_bare_sql": round(median / floor, 1) if floor else None,
        "note": "bare SQL = SELECT indicator_id, office_id, period_id, sum(value) over approved "
        "updates GROUP BY the three, counted server-side (median of 3)",
    }


def rebuild_explain(ctx: Context) -> list[str]:
    """EXPLAIN ANALYZE the rebuild's statement for its first chunk of indicators (rolled back),
    to show where the time goes; written beside the logs too."""
    from django.db import connection, transaction

    from deliverables.models import Indicator
    from reporting.services import rollups

    ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))[
        : rollups.REBUILD_CHUNK
    ]
    sql = rollups.rollup_insert_sql(
        vendor=connection.vendor,
        ind_filter="i.id BETWEEN %(first)s AND %(last)s",
        win_filter="1 = 1",
    )
    params = rollups._params({"first": ids[0], "last": ids[-1]})
    with transaction.atomic(), connection.cursor() as cursor:
        rollups._lock_indicators(ids)
        cursor.execute("DELETE FROM reporting_rollup WHERE indicator_id = ANY(%s)", [ids])
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    (ctx.workdir / "rebuild-explain.txt").write_text("\n".join(plan) + "\n")
    log(f"  EXPLAIN ANALYZE of the first chunk: {ctx.workdir / 'rebuild-explain.txt'}")
    return plan


def celery_eager(on: bool) -> None:
    from strategy_tracker.celery import app

    app.conf.task_always_eager = on


def measure_rollup_incremental(ctx: Context) -> dict:
    """Approve N submitted updates through `update_approve`, tasks eager (in this process), and
    time, separately, `rollup_recompute` of the same (indicator, period) right after."""
    try:
        from reporting.services.rollups import rollup_recompute
        from reporting.services.workflow import update_approve
    except ImportError as error:
        raise NotAvailable(str(error)) from error
    n = 10 if ctx.quick else 50
    updates = ctx.take_submitted(n)
    if len(updates) < n:
        raise NotAvailable(f"only {len(updates)} submitted updates to approve")
    celery_eager(True)
    approval, recompute, rows = [], [], []
    budget_at = time.perf_counter() + ctx.args.budget
    try:
        for update in updates:
            if len(recompute) >= 10 and time.perf_counter() > budget_at:
                break  # a slow recomputation at a large scale: keep the run bounded
            started = time.perf_counter()
            update_approve(user=ctx.reviewer, update=update)
            approval.append(time.perf_counter() - started)
            started = time.perf_counter()
            rows.append(rollup_recompute(indicator=update.indicator, period=update.period))
            recompute.append(time.perf_counter() - started)
    finally:
        celery_eager(not ctx.redis_url)
    return {
        "recompute": summary(recompute),
        "approval_total": summary(approval),
        "rows_per_recompute_median": statistics.median(rows),
        "stopped_by_time_budget": len(recompute) < n,
        "note": "recompute = rollup_recompute(indicator, period) alone; approval_total = "
        "update_approve with its on-commit tasks (roll-up recompute and notification) run "
        "eagerly in the same process",
    }


def measure_approval_to_dashboard(ctx: Context) -> dict:
    """A real Celery worker on Redis: approve, then poll the global Rollup row until it changes."""
    if not ctx.redis_url:
        raise NotAvailable("REDIS_URL is not set: no broker for a real worker")
    from reporting.models import Rollup
    from reporting.services.workflow import update_approve
    from strategy_tracker.celery import app

    n = 10 if ctx.quick else 30
    updates = ctx.take_submitted(n)
    if len(updates) < n:
        raise NotAvailable(f"only {len(updates)} submitted updates to approve")
    celery_eager(False)
    # A queue of our own: other workers on the same Redis database neither take our tasks nor
    # lose theirs (no purge).
    queue = f"bench-{os.getpid()}"
    app.conf.task_default_queue = queue
    node = f"{queue}@localhost"
    worker_log = ctx.workdir / "celery-worker.log"
    with worker_log.open("w") as out:
        worker = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "strategy_tracker",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-mingle",
                "--without-gossip",
                "-Q",
                queue,
                "-n",
                node,
            ],
            cwd=ROOT,
            env=ctx.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise NotAvailable(f"the Celery worker did not start; see {worker_log}")
        seconds, timeouts = [], 0
        budget_at = time.perf_counter() + ctx.args.budget
        for update in updates:
            if len(seconds) >= 10 and time.perf_counter() > budget_at:
                break  # keep the run bounded at a large scale
            row = Rollup.objects.filter(
                indicator_id=update.indicator_id,
                period_id=update.period_id,
                span=Rollup.Span.PERIOD,
                scope=Rollup.Scope.GLOBAL,
            )
            before = row.values_list("computed_at", flat=True).first()
            started = time.perf_counter()
            update_approve(user=ctx.reviewer, update=update)
            while row.values_list("computed_at", flat=True).first() == before:
                if time.perf_counter() - started > 15:
                    timeouts += 1
                    break
                time.sleep(0.005)
            else:
                seconds.append(time.perf_counter() - started)
            # Let the worker finish the notification task before the next approval.
            time.sleep(0.05)
        ctx.memory["celery_worker_mb"] = peak_rss_mb(worker.pid)
    finally:
        stop(worker)
        celery_eager(not ctx.redis_url)
        queue_delete(ctx.redis_url, queue)
    return {
        **summary(seconds),
        "timeouts": timeouts,
        "stopped_by_time_budget": len(seconds) + timeouts < n,
        "note": "update_approve in this process → on commit → Redis → celery worker "
        "(--pool=solo) → rollup_recompute; polled the global Rollup row every 5 ms until its "
        "computed_at changed",
    }


def queue_delete(redis_url: str, queue: str) -> None:
    """Drop what is left in the bench's own queue (e.g. a notification not yet sent)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete(queue)
    client.close()


def measure_queries(ctx: Context) -> dict:
    """SQL queries per request, in this process (test Client + CaptureQueriesContext)."""
    from django.db import OperationalError, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in ctx.pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if "Cookie" in page.headers:
            client.force_login(page.user)
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {WORKER_TIMEOUT * 1000}")
        try:
            client.get(page.path, **page.client_kwargs)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.path, **page.client_kwargs)
        except OperationalError as error:
            counts[page.key] = {"queries": "n/a", "error": f"{error}"[:300]}
            continue
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        counts[page.key] = {
            "queries": len(captured),
            "status": response.status_code,
            "slowest_sql": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:400]} for q in slowest
            ],
        }
    return counts


def gunicorn_start(ctx: Context) -> tuple[subprocess.Popen, int]:
    port = free_port()
    out = (ctx.workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "strategy_tracker.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            str(WORKER_TIMEOUT),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ctx.env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if http_get(port, "/healthz", {})[0] == 200:
                return process, port
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise NotAvailable(f"gunicorn did not start; see {ctx.workdir / 'gunicorn.log'}")
        time.sleep(0.2)


def measure_pages(ctx: Context, port: int, queries: dict) -> dict:
    n = 10 if ctx.quick else 60
    results: dict = {}
    for key, reason in ctx.pages_missing.items():
        results[key] = {"available": False, "reason": reason}
    for page in ctx.pages:
        statuses: dict[str, int] = {}
        for _warm in range(3):
            status, elapsed = http_get(port, page.path, page.headers)
            if status == 0 or elapsed > 1:
                break  # a slow page is warm after one request
        if status == 0:
            results[page.key] = {
                "available": False,
                "reason": f"no answer within {WORKER_TIMEOUT} s (gunicorn's worker timeout)",
                "queries": queries.get(page.key, {}).get("queries", "n/a"),
            }
            ctx.too_slow.add(page.key)
            log(f"  {page.key}: {results[page.key]['reason']}")
            continue
        seconds = []
        budget_at = time.perf_counter() + ctx.args.budget / 2
        for _n in range(n):
            if len(seconds) >= 10 and time.perf_counter() > budget_at:
                break  # a page of several seconds at a large scale: keep the run bounded
            status, elapsed = http_get(port, page.path, page.headers)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            seconds.append(elapsed)
        results[page.key] = {
            "path": page.path,
            **summary(seconds),
            "statuses": statuses,
            "stopped_by_time_budget": len(seconds) < n,
            "queries": queries.get(page.key, {}).get("queries", "n/a"),
            "slowest_sql_in_process": queries.get(page.key, {}).get("slowest_sql", []),
        }
        log(
            f"  {page.key}: median {results[page.key]['median_ms']} ms, p95 "
            f"{results[page.key]['p95_ms']} ms, {results[page.key]['queries']} queries, {statuses}"
        )
    return results


def measure_mixed_load(ctx: Context, port: int) -> dict:
    """Threads, each GET after GET over a weighted mix of the pages, for a fixed time."""
    weights = {
        "dashboard_overview": 3,
        "dashboard_outcome": 2,
        "dashboard_indicator": 2,
        "data_entry": 2,
        "api_updates": 1,
    }
    pages = [p for p in ctx.pages if p.key in weights and p.key not in ctx.too_slow]
    concurrency, duration = ctx.args.concurrency, (4 if ctx.quick else ctx.args.duration)
    lock = threading.Lock()
    done: list[tuple[str, int, float]] = []
    stop_at = time.monotonic() + duration

    def run(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            page = rng.choices(pages, [weights[p.key] for p in pages])[0]
            try:
                status, elapsed = http_get(port, page.path, page.headers)
            except OSError:
                status, elapsed = 0, 0.0
            with lock:
                done.append((page.key, status, elapsed))

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(k,)) for k in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    ok = [e for _k, s, e in done if s == 200]
    by_page = {key: summary([e for k, s, e in done if k == key and s == 200]) for key in weights}
    return {
        "concurrency": concurrency,
        "duration_s": round(wall, 1),
        "requests": len(done),
        "rps": round(len(ok) / wall, 1),
        **{k: v for k, v in summary(ok).items() if k != "n"},
        "errors": len(done) - len(ok),
        "by_page": by_page,
        "weights": weights,
        "left_out_too_slow": sorted(ctx.too_slow),
    }


def measure_web(ctx: Context) -> dict:
    """Pages and mixed load against gunicorn (2 sync workers), with its workers' peak memory."""
    queries = {}
    try:
        queries = measure_queries(ctx)
    except Exception as error:  # recorded; the latencies still count
        queries = {"error": repr(error)}
    process, port = gunicorn_start(ctx)
    try:
        pages = measure_pages(ctx, port, queries)
        load = measure_mixed_load(ctx, port)
        workers = {pid: peak_rss_mb(pid) for pid in children_of(process.pid)}
        peaks = [mb for mb in workers.values() if mb is not None]
        ctx.memory["web_worker_max_mb"] = max(peaks) if peaks else None
        ctx.memory["web_workers_mb"] = peaks
        ctx.memory["web_master_mb"] = peak_rss_mb(process.pid)
    finally:
        stop(process)
    return {"pages": pages, "mixed_load": load}


def measure_exports(ctx: Context) -> dict:
    """The membership update for the whole strategy, XLSX and PDF, by its management command
    in a process of its own (time as the command reports it, plus the process's peak memory)."""
    if not (ROOT / "reporting/management/commands/export_membership_update.py").exists():
        raise NotAvailable("no export_membership_update command")
    from reporting.models import ReportingPeriod

    periods = list(ReportingPeriod.objects.filter(strategy=ctx.strategy).order_by("start_date"))
    results = {}
    for fmt in ["xlsx", "pdf"]:
        output = ctx.workdir / f"membership-update.{fmt}"
        stdout = ctx.workdir / f"export-{fmt}.log"
        command = [
            sys.executable,
            "manage.py",
            "export_membership_update",
            "--from",
            periods[0].code,
            "--to",
            periods[-1].code,
            "--format",
            fmt,
            "--output",
            str(output),
        ]
        started = time.perf_counter()
        with stdout.open("w") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=ctx.env, stdout=out, stderr=subprocess.STDOUT
            )
            _pid, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        text = stdout.read_text()
        if process.returncode != 0:
            results[fmt] = {"available": False, "reason": text.strip()[-500:]}
            continue
        found = re.search(r"in ([\d.]+) s", text)
        results[fmt] = {
            "seconds": float(found.group(1)) if found else round(wall, 2),
            "process_wall_s": round(wall, 2),
            "bytes": output.stat().st_size,
            "range": f"{periods[0].code} – {periods[-1].code}",
        }
        ctx.memory[f"export_{fmt}_mb"] = round(usage.ru_maxrss / 1024, 1)
        log(f"  {fmt}: {results[fmt]}")
    return results


def measure_memory(ctx: Context) -> dict:
    import resource

    ctx.memory["bench_process_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    return {
        **ctx.memory,
        "note": "VmHWM of gunicorn workers after the page and load runs, of the Celery worker "
        "after the approvals; ru_maxrss of each export process",
    }


def guarded(name: str, fn: Callable[[], dict]) -> dict:
    """Run one measurement; what is missing or fails becomes {"available": False, ...}."""
    log(f"\n== {name}")
    started = time.perf_counter()
    try:
        result = fn()
    except NotAvailable as reason:
        log(f"  not available: {reason}")
        return {"available": False, "reason": str(reason)}
    except Exception as error:  # one broken piece must not stop the others
        traceback.print_exc()
        return {"available": False, "reason": f"failed: {error!r}"[:1000]}
    log(f"  ({time.perf_counter() - started:.1f} s)")
    return {"available": True, **result}


# --- Main ------------------------------------------------------------------------------------


def step_web(ctx: Context, results: dict) -> None:
    web = guarded("pages and mixed load through gunicorn", lambda: measure_web(ctx))
    if web.get("available"):
        results["pages"] = {"available": True, **web["pages"]}
        results["mixed_load"] = {"available": True, **web["mixed_load"]}
    else:
        results["pages"] = results["mixed_load"] = web
    if results.get("memory", {}).get("available"):
        results["memory"].update(ctx.memory)  # a rerun of this step alone


def step_exports(ctx: Context, results: dict) -> None:
    results["exports"] = guarded("membership update exports", lambda: measure_exports(ctx))
    results["memory"] = guarded("peak memory", lambda: measure_memory(ctx))


STEPS: dict[str, Callable[[Context, dict], None]] = {
    "rebuild": lambda ctx, r: r.update(
        rollup_rebuild=guarded("full roll-up rebuild", lambda: measure_rollup_rebuild(ctx))
    ),
    "incremental": lambda ctx, r: r.update(
        rollup_incremental=guarded(
            "incremental roll-up after one approval", lambda: measure_rollup_incremental(ctx)
        )
    ),
    "celery": lambda ctx, r: r.update(
        approval_to_dashboard=guarded(
            "approval → dashboard through Celery on Redis",
            lambda: measure_approval_to_dashboard(ctx),
        )
    ),
    "web": step_web,
    "exports": step_exports,
}


def scale_label(scale: float) -> str:
    return f"{scale:g}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 180 offices (216,000 updates)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if filled")
    parser.add_argument("--concurrency", type=int, default=4, help="mixed load threads")
    parser.add_argument("--duration", type=int, default=20, help="mixed load seconds")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    parser.add_argument(
        "--database", default="", help="bench database name (default: <DATABASE_URL name>_bench)"
    )
    parser.add_argument(
        "--budget",
        type=int,
        default=300,
        help="seconds after which a repeated measurement stops (at least 10 repetitions; "
        "pages get half each)",
    )
    parser.add_argument("--compare", action="store_true", help="only print scale 1 beside 10")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated steps to run again (rebuild,incremental,celery,web,exports) into "
        "the existing results file; implies --reuse",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        return report.main([])
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://", "postgis://")):
        print(
            "bench/run.py needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            "(the benchmark makes its own database, <name>_bench, beside it). SQLite is not "
            "supported: its figures would say nothing about production.",
            file=sys.stderr,
        )
        return 2
    redis_url = os.environ.get("REDIS_URL", "")
    bench_name, bench_url, keywords = bench_database(url, args.database)
    workdir = Path(tempfile.mkdtemp(prefix="strategy-tracker-bench-"))
    ctx = Context(args, bench_url, redis_url, child_env(bench_url, redis_url), workdir)
    started = time.perf_counter()
    results: dict = {
        "scale": args.scale,
        "quick": args.quick,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
        "database": bench_name,
    }
    log(f"Benchmark at scale {scale_label(args.scale)} in database {bench_name}; logs in {workdir}")

    only = {step.strip() for step in args.only.split(",") if step.strip()}
    unknown = only - set(STEPS)
    if unknown:
        print(f"Unknown steps {sorted(unknown)}; choose from {', '.join(STEPS)}.", file=sys.stderr)
        return 2
    if only:
        args.reuse = True
    reuse = args.reuse and database_exists(bench_name, keywords)
    if not reuse:
        log("== database: drop, create, migrate")
        database_recreate(bench_name, keywords)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=ctx.env,
        check=True,
    )
    django_setup(ctx)
    from bench.fill import bench_fill
    from offices.models import Office
    from outcomes.models import Strategy
    from reporting.models import IndicatorUpdate

    if reuse and Office.objects.filter(code__startswith="bench-co-").exists():
        log("== data: reusing the filled database")
        results["data"] = {
            "offices": Office.objects.filter(code__startswith="bench-co-").count(),
            "updates": IndicatorUpdate.objects.count(),
            "reused": True,
        }
    else:
        log("== data: fill with COPY")
        results["data"] = bench_fill(scale=args.scale, log=log)
    log(f"  {results['data']}")
    ctx.strategy = Strategy.objects.order_by("pk").first()
    users = users_make(ctx)
    ctx.reviewer = users["bench-reviewer"]
    pages_make(ctx, users)

    path = args.results_dir / f"scale-{scale_label(args.scale)}.json"
    if only and path.exists():
        previous = json.loads(path.read_text())
        previous.setdefault("reruns", []).append(
            {
                "steps": sorted(only),
                "at": results["started_at"],
                "loadavg_at_start": results["machine"]["loadavg_at_start"],
            }
        )
        results = previous
    for step in STEPS:
        if not only or step in only:
            STEPS[step](ctx, results)
    if only and results.get("reruns"):
        results["reruns"][-1]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        results["reruns"][-1]["seconds"] = round(time.perf_counter() - started, 1)
    else:
        results["seconds_total"] = round(time.perf_counter() - started, 1)
        results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]

    args.results_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    log("")
    log(report.table(results))
    log(f"\nWrote {path} ({round(time.perf_counter() - started, 1)} s).")
    other = {"1": "10", "10": "1"}.get(scale_label(args.scale))
    if other and (args.results_dir / f"scale-{other}.json").exists():
        pair = sorted([path, args.results_dir / f"scale-{other}.json"], key=lambda p: len(p.name))
        log("")
        log(report.compare(*[json.loads(p.read_text()) for p in pair]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
