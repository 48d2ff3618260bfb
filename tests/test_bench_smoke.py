"""The scale benchmark keeps working: `bench/run.py` at a tiny scale, end to end.

It needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); it makes its own database,
`<name>_bench`, and its own Celery queue, so it does not disturb the test database or other
workers.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    "data",
    "rollup_rebuild",
    "rollup_incremental",
    "approval_to_dashboard",
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
    # When the benchmark runs at scale 0.02 with few repetitions
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
        timeout=300,
        check=False,
    )

    # Then it succeeds and writes every section, each measured
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
    assert results["exports"]["xlsx"]["bytes"] > 0
    assert results["exports"]["pdf"]["bytes"] > 0
    assert "Full roll-up rebuild" in done.stdout


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
