"""Real processes for the infrastructure tests: gunicorn serving the test database, Celery
workers, a throwaway Redis server, each on a free port and stopped by the test."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path: Path) -> str:
    """Return a DATABASE_URL other processes can open with what the test has committed: the
    PostgreSQL test database itself, or a file copy of SQLite's in-memory test database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        target = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="strategy_tracker.settings.test", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # not up yet (URLError and HTTPError are OSErrors)
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, threads: int = 4) -> Iterator[str]:
    """Serve the app with gunicorn on a free port; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "strategy_tracker.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--graceful-timeout=5",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/healthz")
        yield base
    finally:
        stop(process)


@contextmanager
def celery_worker(env: dict[str, str], queues: str = "quick,long") -> Iterator[subprocess.Popen]:
    """A Celery worker process (solo pool: the job runs in the process the test kills)."""
    process = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "strategy_tracker",
            "worker",
            "--pool=solo",
            f"--queues={queues}",
            "--loglevel=warning",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield process
    finally:
        stop(process)


@contextmanager
def redis_server() -> Iterator[tuple[str, callable, callable]]:
    """A throwaway redis-server on a free port: yield its URL and stop/start functions."""
    binary = shutil.which("redis-server")
    if binary is None:
        import pytest

        pytest.skip("redis-server is not installed")
    port = free_port()
    state: dict[str, subprocess.Popen | None] = {"process": None}

    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]

    def start() -> None:
        state["process"] = subprocess.Popen(
            [*command, "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("redis-server did not start")

    def halt() -> None:
        if state["process"] is not None:
            stop(state["process"])
            state["process"] = None

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", halt, start
    finally:
        halt()
