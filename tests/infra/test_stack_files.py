"""`make stack` (the Procfile) and the container stack (Dockerfile, docker compose) start the
same processes with the same commands: bin/entrypoint, so they cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _procfile() -> dict[str, str]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            processes[name] = command.strip()
    return processes


def test_compose_runs_every_procfile_process_with_the_same_command():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    compose = {
        name: " ".join(service["command"])
        for name, service in services.items()
        if isinstance(service.get("command"), list)
    }
    procfile = _procfile()
    assert set(procfile) == {"web", "worker_quick", "worker_long", "beat"}
    for name, command in procfile.items():
        assert compose[name] == command
    assert compose["migrate"] == "bin/entrypoint prepare"


def test_the_image_starts_the_web_process_through_the_entrypoint():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, flags=re.MULTILINE)
    assert cmd is not None
    assert " ".join(json.loads(cmd.group(1))) == _procfile()["web"]
    assert "bin/entrypoint collectstatic" in dockerfile


def test_every_worker_queue_is_a_queue_tasks_are_routed_to():
    queues = {
        command.split()[-1] for name, command in _procfile().items() if name.startswith("worker")
    }
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert queues == routed | {settings.CELERY_TASK_DEFAULT_QUEUE}
