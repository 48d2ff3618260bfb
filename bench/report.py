"""Print benchmark results as a table, and two scales side by side with their growth.

.venv/bin/python bench/report.py                      # scale-1 beside scale-10
.venv/bin/python bench/report.py bench/results/scale-1.json bench/results/scale-10.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

PAGES = [
    ("dashboard_overview", "Dashboard overview"),
    ("dashboard_outcome", "Dashboard: outcome drill-down"),
    ("dashboard_indicator", "Dashboard: indicator drill-down"),
    ("data_entry", "Data entry page (60 indicators)"),
    ("api_updates", "API /api/v1/updates/?page_size=100"),
]

# (label, dotted path into the JSON, target from issue 8)
METRICS: list[tuple[str, str, str]] = [
    ("Offices", "data.offices", ""),
    ("Updates", "data.updates", ""),
    ("Fill time, COPY (s)", "data.seconds", ""),
    ("Load average at start (1, 5, 15 min)", "machine.loadavg_at_start", "idle: < 1"),
    ("Load average at end", "machine.loadavg_at_end", ""),
    ("Approved updates", "rollup_rebuild.approved_updates", ""),
    ("Full roll-up rebuild, median (s)", "rollup_rebuild.median_s", "≤ 1 s"),
    ("Roll-up rows written", "rollup_rebuild.rows", ""),
    ("Bare SQL aggregate (s)", "rollup_rebuild.bare_sql_s", ""),
    ("Rebuild ÷ bare SQL", "rollup_rebuild.ratio_to_bare_sql", "≤ 10×"),
    ("Incremental recompute, median (ms)", "rollup_incremental.recompute.median_ms", ""),
    ("Incremental recompute, p95 (ms)", "rollup_incremental.recompute.p95_ms", "≤ 50 ms"),
    ("Approval + recompute, median (ms)", "rollup_incremental.approval_total.median_ms", ""),
    ("Approval + recompute, p95 (ms)", "rollup_incremental.approval_total.p95_ms", ""),
    ("Approval → dashboard (Celery), median (ms)", "approval_to_dashboard.median_ms", ""),
    ("Approval → dashboard (Celery), p95 (ms)", "approval_to_dashboard.p95_ms", "≤ 1000 ms"),
    *[
        item
        for key, label in PAGES
        for item in [
            (f"{label}: median (ms)", f"pages.{key}.median_ms", ""),
            (f"{label}: p95 (ms)", f"pages.{key}.p95_ms", "≤ 100 ms"),
            (f"{label}: SQL queries", f"pages.{key}.queries", "flat"),
        ]
    ],
    ("Mixed read load: concurrency", "mixed_load.concurrency", ""),
    ("Mixed read load: requests/s", "mixed_load.rps", ""),
    ("Mixed read load: p95 (ms)", "mixed_load.p95_ms", ""),
    ("Mixed read load: errors", "mixed_load.errors", "0"),
    ("Membership update XLSX (s)", "exports.xlsx.seconds", "≤ 10 s"),
    ("Membership update PDF (s)", "exports.pdf.seconds", "≤ 30 s"),
    ("Peak RSS, gunicorn worker (MB)", "memory.web_worker_max_mb", ""),
    ("Peak RSS, Celery worker (MB)", "memory.celery_worker_mb", ""),
    ("Peak RSS, XLSX export process (MB)", "memory.export_xlsx_mb", ""),
    ("Peak RSS, PDF export process (MB)", "memory.export_pdf_mb", ""),
    ("Peak RSS, bench process (MB)", "memory.bench_process_mb", ""),
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
    return str(value)


def scale_of(results: dict) -> str:
    scale = results.get("scale")
    return f"scale {scale:g}" if isinstance(scale, int | float) else "scale ?"


def table(results: dict) -> str:
    """Return one scale's figures as a text table, then what was not available and why."""
    width = max(len(label) for label, _p, _t in METRICS)
    lines = [f"{'measure':<{width}}  {scale_of(results):>14}  target"]
    lines.append("-" * (width + 26))
    for label, path, target in METRICS:
        lines.append(f"{label:<{width}}  {fmt(lookup(results, path)):>14}  {target}")
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
    """Return two results side by side with the growth ratio b ÷ a."""
    width = max(len(label) for label, _p, _t in METRICS)
    head_a, head_b = scale_of(a), scale_of(b)
    lines = [f"{'measure':<{width}}  {head_a:>14}  {head_b:>14}  {'growth':>8}  target"]
    lines.append("-" * (width + 52))
    for label, path, target in METRICS:
        va, vb = lookup(a, path), lookup(b, path)
        ratio = ""
        if isinstance(va, int | float) and isinstance(vb, int | float) and va:
            ratio = f"{vb / va:.2f}×"
        lines.append(f"{label:<{width}}  {fmt(va):>14}  {fmt(vb):>14}  {ratio:>8}  {target}")
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
