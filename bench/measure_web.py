"""Pages through gunicorn over HTTP, SQL queries per page (in-process), a mixed read load."""

from __future__ import annotations

import random
import threading
import time

from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.context import WORKER_TIMEOUT, Context, log, summary
from bench.processes import children_of, gunicorn_start, http_get, peak_rss_mb, stop


def measure_queries(ctx: Context) -> dict:
    """SQL queries per request, in this process (test Client + CaptureQueriesContext)."""
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


def measure_pages(ctx: Context, port: int, queries: dict) -> dict:
    """GET each page N times after warming it up: median, p95, statuses and its SQL queries."""
    n = 10 if ctx.quick else 60
    results: dict = {}
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
            status, elapsed = http_get(port, page.path, page.headers)
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
