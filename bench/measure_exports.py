"""The membership update exports by their management command, and the run's peak memory."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time

from bench.context import ROOT, Context, log

# The memory figures (MB) of processes that render an export.
EXPORT_MEMORY = ["export_xlsx_mb", "export_pdf_mb", "celery_export_worker_mb"]


def measure_exports(ctx: Context) -> dict:
    """The membership update for the whole strategy, XLSX and PDF, by its management command
    in a process of its own (time as the command reports it, plus the process's peak memory)."""
    periods = ctx.periods()
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
    """Gather the peaks the other steps recorded, this process's own and the exports' largest."""
    ctx.memory["bench_process_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    exports = [ctx.memory[key] for key in EXPORT_MEMORY if ctx.memory.get(key) is not None]
    ctx.memory["export_max_mb"] = max(exports) if exports else None
    return {
        **ctx.memory,
        "note": "VmHWM of gunicorn workers after the page and load runs, of the Celery workers "
        "after the approvals (celery_export_worker_mb: the one that ran the PDF export jobs); "
        "ru_maxrss of each export process",
    }
