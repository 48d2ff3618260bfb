"""The scale benchmark keeps working: `bench/run.py` at a tiny scale, end to end.

The run needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); it makes its own database,
`<name>_bench`, and its own Celery queues, so it does not disturb the test database or other
workers. Its queue plan and report are checked without them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from bench.context import NotAvailable
from bench.processes import queue_plan
from bench.report import table

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    "data",
    "rollup_rebuild",
    "rollup_incremental",
    "approval_to_dashboard",
    "approval_during_export",
    "pages",
    "mixed_load",
    "exports",
    "memory",
]

pytestmark = pytest.mark.bench
MISSING = [
    what
    for what, present in [
        (
            "PostgreSQL (DATABASE_URL=postgres://...)",
            os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        ),
        ("Redis for its Celery worker (REDIS_URL=redis://...)", bool(os.environ.get("REDIS_URL"))),
    ]
    if not present
]


@pytest.mark.skipif(bool(MISSING), reason="the benchmark needs " + " and ".join(MISSING))
def test_bench_run_tiny_scale_writes_every_measurement(tmp_path):
    # Given PostgreSQL and Redis
    # When the benchmark runs at scale 0.02 with few repetitions (as in CI)
    done = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            "bench/run.py",
            "--scale",
            "0.02",
            "--quick",
            "--results-dir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # a safety net for a stuck run (about 2 minutes on an idle machine)
        check=False,
    )

    # Then it succeeds and writes every section, each measured, the rebuild's plan included
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "scale-0.02.json").read_text())
    assert set(SECTIONS) <= set(results)
    missing = {k: results[k].get("reason") for k in SECTIONS if not results[k].get("available", 1)}
    assert missing == {}
    assert results["data"]["updates"] == 4 * 60 * 20
    for page in ["dashboard_overview", "dashboard_outcome", "dashboard_indicator"]:
        assert results["pages"][page]["statuses"] == {"200": 10}
    assert results["pages"]["data_entry"]["statuses"] == {"200": 10}
    assert results["pages"]["api_updates"]["statuses"] == {"200": 10}
    assert results["approval_to_dashboard"]["n"] == 10
    during = results["approval_during_export"]
    assert during["n"] >= 1
    assert during["export_jobs"] >= 1
    plan = queue_plan(
        routes=getattr(settings, "CELERY_TASK_ROUTES", None), default_queue="celery", prefix="b"
    )
    assert set(during["workers"]) == set(plan.workers)
    assert results["exports"]["xlsx"]["bytes"] > 0
    assert results["exports"]["pdf"]["bytes"] > 0
    assert "Full roll-up rebuild" in done.stdout
    rebuild = results["rollup_rebuild"]
    assert rebuild["ratio_to_grouping_sets"] > 0
    assert rebuild["explain_first_chunk"][0].startswith("Insert on reporting_rollup")
    assert any(line.startswith("Execution Time:") for line in rebuild["explain_first_chunk"])
    assert "Full rebuild ÷ bare GROUPING SETS aggregate" in done.stdout
    assert results["machine"]["cpus"] >= 1
    assert len(results["machine"]["loadavg_at_end"]) == 3


def test_bench_run_refuses_sqlite(tmp_path):
    # Given a SQLite DATABASE_URL
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    # When the benchmark starts
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "bench/run.py", "--scale", "0.02", "--results-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # Then it refuses with a clear message and writes nothing
    assert done.returncode == 2
    assert "needs PostgreSQL" in done.stderr
    assert list(tmp_path.glob("*.json")) == []


def test_queue_plan_without_routes_is_one_worker_on_the_bench_queue():
    # Given no task routes
    # When the bench plans its queues
    plan = queue_plan(routes=None, default_queue="celery", prefix="bench-1")

    # Then every task goes to the bench's own queue, consumed by one worker
    assert plan.routes is None
    assert plan.default_queue == "bench-1"
    assert plan.workers == {"worker": ["bench-1"]}


def test_queue_plan_with_routes_gives_long_and_quick_their_own_workers():
    # Given routes of long jobs and quick tasks, as options and as a bare queue name
    routes = {
        "jobs.tasks.job_run_task": {"queue": "long", "priority": 1},
        "rollups.tasks.*": {"queue": "quick"},
        "reporting.tasks.notification_send_task": "quick",
    }

    # When the bench plans its queues
    plan = queue_plan(routes=routes, default_queue="celery", prefix="bench-1")

    # Then the routes keep their shape on the bench's queue names, one worker per kind
    assert plan.routes == {
        "jobs.tasks.job_run_task": {"queue": "bench-1-long", "priority": 1},
        "rollups.tasks.*": {"queue": "bench-1-quick"},
        "reporting.tasks.notification_send_task": "bench-1-quick",
    }
    assert plan.default_queue == "bench-1-celery"
    assert plan.workers == {"quick": ["bench-1-celery", "bench-1-quick"], "long": ["bench-1-long"]}


def test_queue_plan_reads_a_list_of_routes():
    # Given routes as a list of mappings
    routes = [{"jobs.tasks.*": {"queue": "long"}}, {"rollups.tasks.*": {"queue": "quick"}}]

    # When the bench plans its queues
    plan = queue_plan(routes=routes, default_queue="quick", prefix="b")

    # Then each mapping is renamed and the default queue is the quick one
    assert plan.routes == [
        {"jobs.tasks.*": {"queue": "b-long"}},
        {"rollups.tasks.*": {"queue": "b-quick"}},
    ]
    assert plan.workers == {"quick": ["b-quick"], "long": ["b-long"]}


def test_queue_plan_refuses_a_router_function():
    # Given a router function it cannot rename
    def router(name, args, kwargs, options, task=None, **kw):
        return {"queue": "long"}

    # When / then the bench says it cannot run the measurement
    with pytest.raises(NotAvailable, match="router"):
        queue_plan(routes=[router], default_queue="celery", prefix="b")


def test_report_table_checks_the_targets_of_its_scale():
    # Given an incremental recompute p95 of 25 ms
    measured = {"available": True, "recompute": {"p95_ms": 25.0}}

    # When the table is printed at scale 1 and at scale 10
    at_1 = table({"scale": 1, "rollup_incremental": measured})
    at_10 = table({"scale": 10, "rollup_incremental": measured})

    # Then it misses SCALE=1's target (20 ms) and meets SCALE=10's (30 ms)
    line_1 = next(x for x in at_1.splitlines() if x.startswith("Incremental recompute, p95"))
    line_10 = next(x for x in at_10.splitlines() if x.startswith("Incremental recompute, p95"))
    assert "≤ 20 ms" in line_1
    assert line_1.endswith("MISSED")
    assert line_10.endswith("ok")
    assert "≤ 30 ms" in line_10
