"""Print benchmark results as a table with their targets, and two scales side by side.

.venv/bin/python bench/report.py                      # scale-1 beside scale-10
.venv/bin/python bench/report.py bench/results/scale-1.json bench/results/scale-10.json
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Target:
    op: str  # "≤", "≥" or "="
    limit: float
    unit: str = ""

    def __str__(self) -> str:
        unit = self.unit if self.unit in {"", "×"} else f" {self.unit}"
        return f"{self.op} {self.limit:g}{unit}"

    def met(self, value) -> bool | None:
        """Return whether the value meets the target; None when there is no figure."""
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        if self.op == "≤":
            return value <= self.limit
        if self.op == "≥":
            return value >= self.limit
        return value == self.limit


# A metric's targets: (at SCALE=1, at SCALE=10), or a note shown as it is.
Targets = tuple[Target | None, Target | None] | str


def same(target: Target) -> Targets:
    return (target, target)


PAGES = [
    ("dashboard_overview", "Dashboard overview"),
    ("dashboard_outcome", "Dashboard: outcome drill-down"),
    ("dashboard_indicator", "Dashboard: indicator drill-down (with breakdowns)"),
    ("dashboard_markers", "Dashboard: markers (breakdown leads)"),
    ("data_entry", "Data entry page (60 indicators)"),
    ("api_updates", "API /api/v1/updates/?page_size=100"),
    ("api_breakdowns", "API /api/v1/breakdowns/?page_size=100"),
]
APPROVAL = (Target("≤", 250, "ms"), Target("≤", 300, "ms"))
EXPORT_MEMORY = same(Target("≤", 250, "MB"))
NONE = ""

# (label, dotted path into the JSON, targets)
METRICS: list[tuple[str, str, Targets]] = [
    ("Offices", "data.offices", NONE),
    ("Updates", "data.updates", NONE),
    ("Fill time, COPY (s)", "data.seconds", NONE),
    ("CPUs", "machine.cpus", NONE),
    ("Load average at start (1, 5, 15 min)", "machine.loadavg_at_start", "idle: < 1"),
    ("Load average at end", "machine.loadavg_at_end", NONE),
    ("Approved updates", "rollup_rebuild.approved_updates", NONE),
    ("Full roll-up rebuild (totals and breakdowns), median (s)", "rollup_rebuild.median_s", NONE),
    ("Roll-up rows written", "rollup_rebuild.rows", NONE),
    (
        "Indicators with breakdowns (sex, age, population)",
        "rollup_rebuild.breakdown_indicators",
        NONE,
    ),
    ("Approved updates with a breakdown", "rollup_rebuild.breakdown_updates", NONE),
    ("Roll-up rows with breakdowns", "rollup_rebuild.breakdown_rows", NONE),
    ("Roll-up rows with incomplete sex coverage", "rollup_rebuild.breakdown_rows_incomplete", NONE),
    (
        "Breakdowns: global women (std) = Σ approved updates' parts",
        "rollup_rebuild.breakdowns_match",
        same(Target("=", 1)),
    ),
    ("Bare GROUPING SETS aggregate (s)", "rollup_rebuild.grouping_sets_s", NONE),
    (
        "Full rebuild ÷ bare GROUPING SETS aggregate",
        "rollup_rebuild.ratio_to_grouping_sets",
        same(Target("≤", 5, "×")),
    ),
    ("Bare GROUP BY (indicator, office, period) (s)", "rollup_rebuild.bare_sql_s", NONE),
    ("Full rebuild ÷ bare GROUP BY", "rollup_rebuild.ratio_to_bare_sql", NONE),
    ("Incremental recompute, median (ms)", "rollup_incremental.recompute.median_ms", NONE),
    (
        "Incremental recompute, p95 (ms)",
        "rollup_incremental.recompute.p95_ms",
        (Target("≤", 20, "ms"), Target("≤", 30, "ms")),
    ),
    ("Approval + recompute, median (ms)", "rollup_incremental.approval_total.median_ms", NONE),
    ("Approval + recompute, p95 (ms)", "rollup_incremental.approval_total.p95_ms", NONE),
    ("Approval → dashboard (Celery), median (ms)", "approval_to_dashboard.median_ms", NONE),
    ("Approval → dashboard (Celery), p95 (ms)", "approval_to_dashboard.p95_ms", APPROVAL),
    ("Approval → dashboard (Celery), timeouts", "approval_to_dashboard.timeouts", NONE),
    ("Approval → dashboard during a PDF export: workers", "approval_during_export.workers", NONE),
    (
        "Approval → dashboard during a PDF export: median (ms)",
        "approval_during_export.median_ms",
        NONE,
    ),
    (
        "Approval → dashboard during a PDF export: p95 (ms)",
        "approval_during_export.p95_ms",
        APPROVAL,
    ),
    ("Approval → dashboard during a PDF export: timeouts", "approval_during_export.timeouts", NONE),
    (
        "Approval → dashboard during a PDF export: PDF export jobs",
        "approval_during_export.export_jobs",
        NONE,
    ),
    *[
        item
        for key, label in PAGES
        for item in [
            (f"{label}: median (ms)", f"pages.{key}.median_ms", NONE),
            (f"{label}: p95 (ms)", f"pages.{key}.p95_ms", same(Target("≤", 100, "ms"))),
            (f"{label}: SQL queries", f"pages.{key}.queries", "flat"),
        ]
    ],
    ("Mixed read load: concurrency", "mixed_load.concurrency", NONE),
    (
        "Mixed read load: requests/s",
        "mixed_load.rps",
        (Target("≥", 40, "req/s"), Target("≥", 30, "req/s")),
    ),
    ("Mixed read load: p95 (ms)", "mixed_load.p95_ms", (Target("≤", 250, "ms"), None)),
    ("Mixed read load: errors", "mixed_load.errors", same(Target("=", 0))),
    (
        "Membership update XLSX (s)",
        "exports.xlsx.seconds",
        (Target("≤", 3, "s"), Target("≤", 6, "s")),
    ),
    (
        "Membership update PDF (s)",
        "exports.pdf.seconds",
        (Target("≤", 5, "s"), Target("≤", 10, "s")),
    ),
    ("Peak RSS, gunicorn worker (MB)", "memory.web_worker_max_mb", NONE),
    ("Peak RSS, Celery worker of the roll-ups (MB)", "memory.celery_worker_mb", NONE),
    (
        "Peak RSS, Celery worker of the PDF jobs (MB)",
        "memory.celery_export_worker_mb",
        EXPORT_MEMORY,
    ),
    ("Peak RSS, XLSX export process (MB)", "memory.export_xlsx_mb", EXPORT_MEMORY),
    ("Peak RSS, PDF export process (MB)", "memory.export_pdf_mb", EXPORT_MEMORY),
    ("Peak RSS, bench process (MB)", "memory.bench_process_mb", NONE),
]


def lookup(results: dict, path: str):
    """Return the value at the dotted path, or "n/a" when the measurement was not available."""
    node = results
    for part in path.split("."):
        if not isinstance(node, dict):
            return "n/a"
        if node.get("available") is False:
            return "n/a"
        if part not in node:
            return "n/a"
        node = node[part]
    return node


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return " ".join(f"{v:.1f}" if isinstance(v, float) else fmt(v) for v in value)
    if isinstance(value, dict):
        return " + ".join(value)
    return str(value)


def scale_of(results: dict) -> str:
    scale = results.get("scale")
    return f"scale {scale:g}" if isinstance(scale, int | float) else "scale ?"


def target_at(targets: Targets, scale) -> Target | str | None:
    """Return the target that applies at this scale: SCALE=10's above 1, else SCALE=1's."""
    if isinstance(targets, str):
        return targets or None
    large = isinstance(scale, int | float) and scale > 1
    return targets[1] if large else targets[0]


def verdict(target: Target | str | None, value) -> str:
    if not isinstance(target, Target):
        return ""
    return {True: "ok", False: "MISSED", None: ""}[target.met(value)]


def table(results: dict) -> str:
    """Return one scale's figures as a text table with the targets of its scale, a count of the
    targets met, then what was not available and why."""
    width = max(len(label) for label, _p, _t in METRICS)
    lines = [f"{'measure':<{width}}  {scale_of(results):>14}  {'target':<12}  met"]
    lines.append("-" * (width + 36))
    met = checked = 0
    for label, path, targets in METRICS:
        value = lookup(results, path)
        target = target_at(targets, results.get("scale"))
        mark = verdict(target, value)
        checked += isinstance(target, Target)
        met += mark == "ok"
        shown = str(target) if target else ""
        lines.append(f"{label:<{width}}  {fmt(value):>14}  {shown:<12}  {mark}".rstrip())
    lines += ["", f"Targets met: {met} of {checked} (targets of SCALE=1 up to 1, else SCALE=10)."]
    for rerun in results.get("reruns", []):
        machine = rerun.get("machine", {})
        lines.append(
            f"Rerun of {', '.join(rerun.get('steps', []))} at {rerun.get('at')}: load average "
            f"{fmt(machine.get('loadavg_at_start', []))} at start, "
            f"{fmt(machine.get('loadavg_at_end', []))} at end."
        )
    missing = [
        f"  {key}: {value.get('reason', '')}"
        for key, value in results.items()
        if isinstance(value, dict) and value.get("available") is False
    ]
    for section in ["pages", "exports"]:
        for key, value in (results.get(section) or {}).items():
            if isinstance(value, dict) and value.get("available") is False:
                missing.append(f"  {section}.{key}: {value.get('reason', '')}")
    if missing:
        lines += ["", "Not available:", *missing]
    return "\n".join(lines)


def compare(a: dict, b: dict) -> str:
    """Return two results side by side with the growth ratio b ÷ a and each one's verdict."""
    width = max(len(label) for label, _p, _t in METRICS)
    head_a, head_b = scale_of(a), scale_of(b)
    lines = [f"{'measure':<{width}}  {head_a:>14}  {head_b:>14}  {'growth':>8}  targets"]
    lines.append("-" * (width + 62))
    for label, path, targets in METRICS:
        va, vb = lookup(a, path), lookup(b, path)
        ratio = ""
        if isinstance(va, int | float) and isinstance(vb, int | float) and va:
            ratio = f"{vb / va:.2f}×"
        ta, tb = target_at(targets, a.get("scale")), target_at(targets, b.get("scale"))
        shown = " / ".join(f"{t} {verdict(t, v)}".strip() for t, v in [(ta, va), (tb, vb)] if t)
        if ta == tb and isinstance(ta, str):
            shown = ta
        lines.append(
            f"{label:<{width}}  {fmt(va):>14}  {fmt(vb):>14}  {ratio:>8}  {shown}".rstrip()
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or [RESULTS / "scale-1.json", RESULTS / "scale-10.json"]
    found = [p for p in paths if p.exists()]
    if not found:
        print(f"No results yet ({', '.join(map(str, paths))}); run `make bench SCALE=1`.")
        return 1
    loaded = [json.loads(p.read_text()) for p in found]
    if len(loaded) == 1:
        print(table(loaded[0]))
    else:
        print(compare(loaded[0], loaded[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
