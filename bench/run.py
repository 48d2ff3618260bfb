"""The scale benchmark (`make bench SCALE=1`): fill a separate PostgreSQL database, measure, report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/strategy_tracker \
    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/run.py --scale 1

The database is `<name of DATABASE_URL's database>_bench`, dropped and made again on every run
(never the database DATABASE_URL names). Scale grows the number of offices (bench/fill.py).
Each measurement runs on its own; one that cannot run here (no Redis, a process that did not
start) or fails is recorded as "not available" with the reason, and the others still run.
Figures go to the screen and to bench/results/scale-<SCALE>.json; when the other scale's file
exists, both are printed side by side (bench/report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.context import RESULTS, Context, guarded, loadavg, log  # noqa: E402
from bench.prepare import (  # noqa: E402
    bench_database,
    child_env,
    database_exists,
    database_recreate,
    django_setup,
    pages_make,
    users_make,
)

Step = Callable[[Context, dict], None]


def steps() -> dict[str, Step]:
    """Return the steps in their order (the measurement modules need Django set up)."""
    from bench.measure_approvals import (
        measure_approval_during_export,
        measure_approval_to_dashboard,
    )
    from bench.measure_exports import measure_exports, measure_memory
    from bench.measure_rollups import measure_rollup_incremental, measure_rollup_rebuild
    from bench.measure_web import measure_web

    def rebuild(ctx: Context, results: dict) -> None:
        results["rollup_rebuild"] = guarded(
            "full roll-up rebuild and its floor", lambda: measure_rollup_rebuild(ctx)
        )

    def incremental(ctx: Context, results: dict) -> None:
        results["rollup_incremental"] = guarded(
            "incremental roll-up after one approval", lambda: measure_rollup_incremental(ctx)
        )

    def celery(ctx: Context, results: dict) -> None:
        results["approval_to_dashboard"] = guarded(
            "approval → dashboard through Celery on Redis",
            lambda: measure_approval_to_dashboard(ctx),
        )
        results["approval_during_export"] = guarded(
            "approval → dashboard while a membership update PDF export runs",
            lambda: measure_approval_during_export(ctx),
        )

    def web(ctx: Context, results: dict) -> None:
        measured = guarded("pages and mixed load through gunicorn", lambda: measure_web(ctx))
        if measured.get("available"):
            results["pages"] = {"available": True, **measured["pages"]}
            results["mixed_load"] = {"available": True, **measured["mixed_load"]}
        else:
            results["pages"] = results["mixed_load"] = measured

    def exports(ctx: Context, results: dict) -> None:
        results["exports"] = guarded("membership update exports", lambda: measure_exports(ctx))

    def memory(ctx: Context, results: dict) -> None:
        previous = results.get("memory", {})
        if previous.get("available"):  # a rerun of some steps: keep the other steps' figures
            kept = {k: v for k, v in previous.items() if k.endswith("_mb")}
            ctx.memory = {**kept, **ctx.memory}
        results["memory"] = guarded("peak memory", lambda: measure_memory(ctx))

    return {
        "rebuild": rebuild,
        "incremental": incremental,
        "celery": celery,
        "web": web,
        "exports": exports,
        "memory": memory,
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
        "the existing results file; implies --reuse (peak memory is gathered again each time)",
    )
    return parser.parse_args(argv)


def data_prepare(ctx: Context, reuse: bool) -> dict:
    """Fill the bench database (or reuse it); make the users and pages; return the counts."""
    from bench.fill import bench_fill
    from offices.models import Office
    from outcomes.models import Strategy
    from reporting.models import IndicatorUpdate

    if reuse and Office.objects.filter(code__startswith="bench-co-").exists():
        log("== data: reusing the filled database")
        data = {
            "offices": Office.objects.filter(code__startswith="bench-co-").count(),
            "updates": IndicatorUpdate.objects.count(),
            "reused": True,
        }
    else:
        log("== data: fill with COPY")
        data = bench_fill(scale=ctx.args.scale, log=log)
    log(f"  {data}")
    ctx.strategy = Strategy.objects.order_by("pk").first()
    ctx.users = users_make()
    ctx.pages = pages_make(ctx)
    return data


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
    env = child_env(bench_url, redis_url, workdir)
    # The bench's own Celery queues (bench/processes.py), unique to this run.
    env["BENCH_QUEUE_PREFIX"] = f"bench-{os.getpid()}"
    ctx = Context(args, bench_url, redis_url, env, workdir)
    started = time.perf_counter()
    results: dict = {
        "scale": args.scale,
        "quick": args.quick,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_at_start": loadavg(),
            "python": platform.python_version(),
        },
        "database": bench_name,
    }
    log(f"Benchmark at scale {scale_label(args.scale)} in database {bench_name}; logs in {workdir}")

    only = {step.strip() for step in args.only.split(",") if step.strip()}
    known = {"rebuild", "incremental", "celery", "web", "exports"}
    if only - known:
        print(
            f"Unknown steps {sorted(only - known)}; choose from {', '.join(sorted(known))}.",
            file=sys.stderr,
        )
        return 2
    if only:
        args.reuse, only = True, only | {"memory"}
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
    results["data"] = data_prepare(ctx, reuse)

    path = args.results_dir / f"scale-{scale_label(args.scale)}.json"
    if only and path.exists():
        previous = json.loads(path.read_text())
        previous.setdefault("reruns", []).append(
            {"steps": sorted(only), "at": results["started_at"], "machine": results["machine"]}
        )
        results = previous
    for name, step in steps().items():
        if not only or name in only:
            step(ctx, results)
    if only and results.get("reruns"):
        results["reruns"][-1]["machine"]["loadavg_at_end"] = loadavg()
        results["reruns"][-1]["seconds"] = round(time.perf_counter() - started, 1)
    else:
        results["machine"]["loadavg_at_end"] = loadavg()
        results["seconds_total"] = round(time.perf_counter() - started, 1)

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
