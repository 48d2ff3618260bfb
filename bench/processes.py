"""The processes a measurement starts: gunicorn and Celery workers; their peak memory.

Celery: the bench sends its tasks to queues of its own (`bench-<pid>…`), so workers of other
runs or of `make worker` on the same Redis database neither take them nor lose theirs. When
settings.CELERY_TASK_ROUTES exists (long jobs → `long`, quick tasks → `quick`), each routed
queue is renamed `<prefix>-<queue>` and a worker consumes the long queue, another the rest;
otherwise one worker consumes the bench's default queue.
"""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.context import BIN, ROOT, WORKER_TIMEOUT, Context, NotAvailable

LONG_QUEUE = "long"


def peak_rss_mb(pid: int) -> float | None:
    """Return VmHWM (peak resident set) of a live process, in MB."""
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


def gunicorn_start(ctx: Context) -> tuple[subprocess.Popen, int]:
    """Start gunicorn (2 sync workers) on a free port; return it once /healthz answers."""
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
    while http_get(port, "/healthz", {})[0] != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise NotAvailable(f"gunicorn did not start; see {ctx.workdir / 'gunicorn.log'}")
        time.sleep(0.2)
    return process, port


# --- Celery ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuePlan:
    """Where the bench's tasks go and which worker consumes what."""

    routes: object  # settings.CELERY_TASK_ROUTES with the bench's queue names, or None
    default_queue: str
    workers: dict[str, list[str]]  # worker name → the queues it consumes


def _route_renamed(route: object, rename) -> object:
    """Return one route (a task name → options or queue name mapping) with queues renamed."""
    if not isinstance(route, Mapping):
        raise NotAvailable(
            f"CELERY_TASK_ROUTES holds a router ({route!r}) the bench cannot give queues of its own"
        )
    renamed = {}
    for pattern, options in route.items():
        if isinstance(options, str):
            renamed[pattern] = rename(options)
        elif isinstance(options, Mapping) and isinstance(options.get("queue"), str):
            renamed[pattern] = {**options, "queue": rename(options["queue"])}
        else:
            renamed[pattern] = options
    return renamed


def _queues_named(routes: object) -> set[str]:
    found = set()
    for route in routes if isinstance(routes, list | tuple) else [routes]:
        for options in route.values():
            queue = options if isinstance(options, str) else options.get("queue")
            if isinstance(queue, str):
                found.add(queue)
    return found


def queue_plan(*, routes: object, default_queue: str, prefix: str) -> QueuePlan:
    """Return the bench's queues: the routes' queues renamed `<prefix>-<queue>`, a worker for
    the long queue and one for the others (with the default queue); one worker without routes.
    """
    if not routes:
        return QueuePlan(routes=None, default_queue=prefix, workers={"worker": [prefix]})

    def rename(queue: str) -> str:
        return f"{prefix}-{queue}"

    if isinstance(routes, list | tuple):
        renamed: object = [_route_renamed(route, rename) for route in routes]
    else:
        renamed = _route_renamed(routes, rename)
    named = _queues_named(renamed)
    long_queue = rename(LONG_QUEUE)
    quick = sorted((named - {long_queue}) | {rename(default_queue)})
    workers = {"quick": quick}
    if long_queue in named:
        workers["long"] = [long_queue]
    return QueuePlan(routes=renamed, default_queue=rename(default_queue), workers=workers)


def queue_plan_apply(app, prefix: str) -> QueuePlan:
    """Send the app's tasks to the bench's queues (before it sends any); return the plan."""
    from django.conf import settings

    # From the settings, not app.conf: this may run again on an app already renamed.
    plan = queue_plan(
        routes=getattr(settings, "CELERY_TASK_ROUTES", None),
        default_queue=getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery",
        prefix=prefix,
    )
    app.conf.task_routes = plan.routes
    app.conf.task_default_queue = plan.default_queue
    app.amqp.flush_routes()
    for cached in ["router", "default_queue"]:  # cached properties built from the old values
        app.amqp.__dict__.pop(cached, None)
    return plan


def celery_eager(on: bool) -> None:
    from strategy_tracker.celery import app

    app.conf.task_always_eager = on


@dataclass
class Workers:
    plan: QueuePlan
    processes: dict[str, subprocess.Popen]

    def peak_mb(self, name: str) -> float | None:
        return peak_rss_mb(self.processes[name].pid)

    @property
    def export_worker(self) -> str:
        """Return the name of the worker that runs export jobs."""
        return "long" if "long" in self.processes else next(iter(self.processes))

    @property
    def rollup_worker(self) -> str:
        """Return the name of the worker that runs roll-ups."""
        return "quick" if "quick" in self.processes else next(iter(self.processes))


@contextmanager
def celery_workers(ctx: Context, label: str) -> Iterator[Workers]:
    """Start the plan's workers (--pool=solo: one process each) on Redis; stop them after."""
    if not ctx.redis_url:
        raise NotAvailable("REDIS_URL is not set: no broker for a real worker")
    from strategy_tracker.celery import app

    prefix = ctx.env["BENCH_QUEUE_PREFIX"]
    plan = queue_plan_apply(app, prefix)
    celery_eager(False)
    processes: dict[str, subprocess.Popen] = {}
    nodes = {}
    try:
        for name, queues in plan.workers.items():
            nodes[name] = f"{prefix}-{name}@localhost"
            out = (ctx.workdir / f"celery-{label}-{name}.log").open("w")
            processes[name] = subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "bench.celery_app",
                    "worker",
                    "--pool=solo",
                    "--loglevel=WARNING",
                    "--without-mingle",
                    "--without-gossip",
                    "-Q",
                    ",".join(queues),
                    "-n",
                    nodes[name],
                ],
                cwd=ROOT,
                env=ctx.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        for name, node in nodes.items():
            while not app.control.ping(destination=[node], timeout=0.5):
                if processes[name].poll() is not None or time.monotonic() > deadline:
                    raise NotAvailable(
                        f"the Celery worker {name} did not start; see "
                        f"{ctx.workdir / f'celery-{label}-{name}.log'}"
                    )
        yield Workers(plan, processes)
    finally:
        for process in processes.values():
            stop(process)
        celery_eager(not ctx.redis_url)
        queues_delete(ctx.redis_url, [q for queues in plan.workers.values() for q in queues])


def queues_delete(redis_url: str, queues: list[str]) -> None:
    """Drop what is left in the bench's own queues (e.g. a notification not yet sent) and the
    exchange bindings kombu keeps beside them (each queue's exchange is named after it)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for queue in queues:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()
