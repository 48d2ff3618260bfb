"""Headers and cookies (issue 16, finding 10): a strict Content-Security-Policy on every page
(no inline script anywhere, so none is allowed), the production settings' HTTPS headers and
cookie flags (checked in a process of their own, as gunicorn would run them), the API's JSON
error shape for unknown paths, and Swagger UI served from this site."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.security.test_authorisation import PAGES

ROOT = Path(__file__).resolve().parent.parent.parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(response, where: str) -> None:
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"], where
    assert policy["default-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert "'unsafe-inline'" not in policy["style-src"], where
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), (where, INLINE_SCRIPT.search(html))
    assert not INLINE_HANDLER.search(html), (where, INLINE_HANDLER.search(html))
    assert "<style" not in html, where


def test_every_page_carries_a_strict_csp_and_no_inline_script(client_as, world, kenya_submitted):
    # finding 10: no Content-Security-Policy header at all
    client = client_as("admin")
    urls = [reverse(page) for page in PAGES]
    urls += [
        reverse("reporting:update_detail", args=[kenya_submitted.pk]),
        reverse("reporting:dashboard_indicator", args=[kenya_submitted.indicator_id]),
        reverse("login"),
        "/api/docs/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response, url)


def test_admin_pages_carry_the_csp_too(client, world, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for url in (
        "/admin/",
        "/admin/reporting/indicatorupdate/",
        "/admin/offices/roleassignment/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert _policy(response)["script-src"] == ["'self'"]


def test_api_docs_are_served_from_this_site_not_a_cdn(client):
    # finding 10: /api/docs/ loaded Swagger UI from a CDN (@latest)
    for url in ("/api/docs/",):
        html = client.get(url).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources, url
        assert all(s.startswith("/") for s in sources), (url, sources)
        assert "cdn" not in html.lower()
    # the start-up script is a same-site file, and the library files are really there
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    for path in re.findall(r'src="(/static/[^"]+)"', client.get("/api/docs/").content.decode()):
        assert client.get(path).status_code == 200, path


def test_unknown_api_paths_and_bad_requests_answer_in_the_json_error_shape(client_for, world):
    # finding 10: unknown API paths came back as HTML
    for path in ("/api/v1/nope/", "/api/v1/updates/999999999/", "/api/v2/"):
        response = client_for("hq").get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
        assert response["X-Frame-Options"] == "DENY"


def test_an_unhandled_api_error_is_json_and_logged(client_for, world, monkeypatch, caplog):
    from reporting import api

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.UpdateViewSet, "get_queryset", broken)
    client = client_for("hq")
    client.raise_request_exception = False
    response = client.get("/api/v1/updates/")
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred.", "code": "server_error"}
    assert "boom" in caplog.text


# --- Production mode ---------------------------------------------------------------------------

PROBE = """
import json, sys
from django.conf import settings
# No collectstatic here: pages read their static files from the app folders.
settings.STORAGES = {**settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
import django
django.setup()
from django.test import Client
out = {}
for path in sys.argv[1:]:
    response = Client(HTTP_X_FORWARDED_PROTO="https").get(path)
    out[path] = {"status": response.status_code, "headers": dict(response.headers),
                 "cookies": {k: {"secure": v["secure"], "httponly": v["httponly"],
                                 "samesite": v["samesite"]} for k, v in response.cookies.items()}}
plain = Client().get(sys.argv[1])
out["plain"] = {"status": plain.status_code, "location": plain.get("Location", "")}
out["settings"] = {k: getattr(settings, k) for k in ["SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "DEBUG"]}
print(json.dumps(out, default=str))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Responses of the production settings, in a process of their own."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    database = tmp_path_factory.mktemp("prod") / "db.sqlite3"
    environment.update(
        DJANGO_SETTINGS_MODULE="strategy_tracker.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{database}",
        PYTHONPATH=str(ROOT),
    )
    paths = ["/accounts/login/", "/api/v1/regions/", "/api/v1/nope/", "/api/docs/"]
    result = subprocess.run(  # noqa: S603 (our own probe, fixed arguments)
        [sys.executable, "-c", PROBE, *paths],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_pages_carry_https_and_browser_protection_headers(production):
    for path in ("/accounts/login/", "/api/v1/regions/", "/api/v1/nope/", "/api/docs/"):
        headers = production[path]["headers"]
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        assert "includeSubDomains" in headers["Strict-Transport-Security"]
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert "script-src 'self'" in headers["Content-Security-Policy"], path


def test_production_redirects_plain_http_to_https(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"].startswith("https://")


def test_production_cookies_are_secure(production):
    csrf = production["/accounts/login/"]["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert production["settings"] == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
    }


def test_production_unknown_api_path_is_json(production):
    answer = production["/api/v1/nope/"]
    assert answer["status"] == 404
    assert answer["headers"]["Content-Type"] == "application/json"
