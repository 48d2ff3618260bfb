"""CI's smoke test of the production stack (`make stack`) over HTTP, as people use it:

field staff save and submit an update, the reviewer approves it, the dashboard's roll-up
changes within a second, HQ makes a PDF membership update through the worker and downloads
it, and /readyz is green. Needs the demo data (SEED_DEMO=1). Only `requests` (requirements.txt).

    .venv/bin/python .ci/smoke.py http://127.0.0.1:8000
"""

from __future__ import annotations

import os
import re
import sys
import time

import requests

TIMEOUT = 30
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def say(message: str) -> None:
    print(f"smoke: {message}", flush=True)


def fail(message: str) -> None:
    print(f"smoke: FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def wait_ready(base: str, seconds: float = 900) -> dict:
    deadline = time.monotonic() + seconds
    last = "no answer"
    stack = int(os.environ.get("SMOKE_STACK_PID") or 0)  # stop waiting once the stack is gone
    while time.monotonic() < deadline:
        if stack:
            try:
                os.kill(stack, 0)
            except ProcessLookupError:
                fail("the stack stopped before it was ready")
        try:
            response = requests.get(f"{base}/readyz", timeout=10)
            if response.status_code == 200:
                return response.json()
            last = response.text[:300]
        except requests.RequestException as error:
            last = str(error)
        time.sleep(1)
    fail(f"/readyz not green after {seconds:.0f} s: {last}")
    return {}


def api(base: str, username: str) -> requests.Session:
    """A session holding the API token of a demo login."""
    response = requests.post(
        f"{base}/api/v1/auth/token/",
        json={"username": username, "password": "demo"},
        timeout=TIMEOUT,
    )
    if response.status_code != 200:
        fail(f"API login of {username}: {response.status_code} {response.text[:200]}")
    session = requests.Session()
    session.headers["Authorization"] = f"Token {response.json()['token']}"
    return session


def web(base: str, username: str) -> requests.Session:
    """A browser-like session signed in on the login page."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    token = CSRF.search(page.text)
    if token is None:
        fail("no CSRF token on the login page")
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": "demo", "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=TIMEOUT,
    )
    if response.status_code != 200 or "/accounts/login/" in response.url:
        fail(f"web login of {username}: {response.status_code} at {response.url}")
    return session


def global_rollup(session: requests.Session, base: str, update: dict) -> dict:
    response = session.get(
        f"{base}/api/v1/rollups/",
        params={
            "indicator": update["indicator"],
            "period": update["period"],
            "scope": "global",
            "span": "period",
        },
        timeout=TIMEOUT,
    )
    rows = response.json().get("results", [])
    return rows[0] if rows else {}


def save_and_submit(field: requests.Session, base: str) -> dict:
    """Save one of Kenya's drafts (narrative changed) and submit it; return the update."""
    drafts = field.get(
        f"{base}/api/v1/updates/", params={"status": "draft", "page_size": 100}, timeout=TIMEOUT
    ).json()["results"]
    if not drafts:
        fail("field staff have no draft to submit (was the demo seeded? SEED_DEMO=1)")
    for draft in drafts:
        saved = field.patch(
            f"{base}/api/v1/updates/{draft['id']}/",
            json={"version": draft["version"], "narrative": "Checked by the CI smoke test."},
            timeout=TIMEOUT,
        )
        if saved.status_code != 200:
            continue
        update = saved.json()
        submitted = field.post(
            f"{base}/api/v1/updates/{update['id']}/submit/",
            json={"version": update["version"]},
            timeout=TIMEOUT,
        )
        if submitted.status_code == 200:
            return submitted.json()
    fail("no draft could be saved and submitted")
    return {}


def approve_and_watch(reviewer: requests.Session, base: str, update: dict) -> float:
    """Approve; return the seconds until the dashboard's global roll-up counts it."""
    before = global_rollup(reviewer, base, update).get("updates_count") or 0
    approved = reviewer.post(
        f"{base}/api/v1/updates/{update['id']}/approve/",
        json={"version": update["version"]},
        timeout=TIMEOUT,
    )
    if approved.status_code != 200:
        fail(f"approval: {approved.status_code} {approved.text[:300]}")
    started = time.monotonic()
    while time.monotonic() - started < 10:
        if (global_rollup(reviewer, base, update).get("updates_count") or 0) > before:
            return time.monotonic() - started
        time.sleep(0.05)
    fail("the dashboard's roll-up did not change within 10 s of the approval")
    return 0.0


def export_pdf(hq: requests.Session, base: str) -> bytes:
    page = hq.get(f"{base}/reporting/exports/", timeout=TIMEOUT)
    token = CSRF.search(page.text)
    if page.status_code != 200 or token is None:
        fail(f"exports page: {page.status_code}")
    created = hq.post(
        f"{base}/reporting/exports/new/",
        data={
            "preset": "",
            "period_from": "2023-Q1",
            "period_to": "2023-Q4",
            "format": "pdf",
            "csrfmiddlewaretoken": token.group(1),
        },
        headers={"Referer": f"{base}/reporting/exports/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    if created.status_code != 302:
        fail(f"asking for the PDF: {created.status_code} {created.text[:300]}")
    job = created.headers["Location"].rstrip("/")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = hq.get(f"{base}{job}/status/", timeout=TIMEOUT).text
        if "/download/" in status:
            break
        if "The export failed" in status:
            fail(f"the PDF export failed: {re.sub(r'<[^>]+>', ' ', status)[:400]}")
        time.sleep(1)
    else:
        fail("the PDF export did not finish within 180 s (is the long-queue worker running?)")
    download = hq.get(f"{base}{job}/download/", timeout=TIMEOUT)
    if download.status_code != 200 or not download.content.startswith(b"%PDF"):
        fail(f"PDF download: {download.status_code} {download.content[:20]!r}")
    return download.content


def main() -> None:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    checks = wait_ready(base)["checks"]
    say("ready: " + ", ".join(f"{name} {check['detail']}" for name, check in checks.items()))
    if requests.get(f"{base}/healthz", timeout=TIMEOUT).json() != {"status": "ok"}:
        fail("/healthz")
    update = save_and_submit(api(base, "field"), base)
    say(f"field staff saved and submitted update {update['id']}")
    seconds = approve_and_watch(api(base, "reviewer"), base, update)
    say(f"reviewer approved it; the dashboard's roll-up changed after {seconds * 1000:.0f} ms")
    if seconds > 1.0:
        fail(f"the dashboard changed after {seconds:.2f} s, more than a second")
    hq = web(base, "hq")
    dashboard = hq.get(f"{base}/reporting/dashboards/", timeout=TIMEOUT)
    if dashboard.status_code != 200:
        fail(f"dashboard page: {dashboard.status_code}")
    pdf = export_pdf(hq, base)
    say(f"HQ made the PDF membership update through the worker and downloaded it ({len(pdf)} B)")
    wait_ready(base, seconds=30)
    say("/readyz green. Smoke test passed.")


if __name__ == "__main__":
    main()
