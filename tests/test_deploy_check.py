"""Production settings: Django's deployment checklist passes, and a missing secret stops it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The deployment's environment, not the test run's: no DJANGO_* flags other tests set
    # (e.g. DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests), no secret, no debug.
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="strategy_tracker.settings.production", **env)
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    # given production settings with a strong secret and a host name
    # when Django's deployment checks run, failing on warnings
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
    )
    # then they report nothing
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    # given production settings and no SECRET_KEY in the environment
    # when any command starts
    result = _manage("check", ALLOWED_HOSTS="example.org")
    # then it stops, naming the missing secret
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
