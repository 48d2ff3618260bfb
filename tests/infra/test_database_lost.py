"""The database connection cut under the web processes (what a PostgreSQL restart does to
them): requests in flight get a 503 page, not a 500 traceback, and later requests succeed
without restarting anything. The cut is pg_terminate_backend on the app's own connections to
the test database (the shared server is never restarted)."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.infra.processes import database_url, gunicorn, process_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("cutting a database connection needs a database server (PostgreSQL)")


def _admin_connection():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    return psycopg2.connect(**params)


def _terminate_others() -> int:
    """Cut the app's connections to the test database (not this test's own, nor anyone's on
    another database)."""
    connection.ensure_connection()
    own = connection.connection.get_backend_pid()
    admin = _admin_connection()
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
                [own],
            )
            return cursor.fetchone()[0]
    finally:
        admin.close()


@contextmanager
def _cut_on_next_query():
    """Cut this process's database connection just before its next statement runs."""
    state = {"done": False}

    def cut(execute, sql, params, many, context):
        if not state["done"]:
            state["done"] = True
            pid = context["connection"].connection.get_backend_pid()
            admin = _admin_connection()
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            admin.close()
            time.sleep(0.2)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut):
        yield


def test_request_in_flight_when_the_connection_is_cut_gets_503_then_the_site_recovers(
    client, users, world
):
    client.force_login(users["hq"])
    client.raise_request_exception = False
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    # when the database connection is cut while a page is being served
    with _cut_on_next_query():
        cut = client.get(reverse("reporting:dashboard"))
    # then the page is the 503 page (no traceback), and the API answers JSON
    assert cut.status_code == 503
    assert cut["Retry-After"]
    assert "database cannot be reached" in cut.content.decode()
    assert "Traceback" not in cut.content.decode()
    with _cut_on_next_query():
        api = client.get("/api/v1/updates/")
    assert (api.status_code, api.json()["code"]) == (503, "service_unavailable")
    # and the next request succeeds, on a new connection, with no restart
    assert client.get(reverse("reporting:dashboard")).status_code == 200


def test_connections_cut_under_load_give_503_or_200_never_500(tmp_path, users, world):
    # given gunicorn (2 processes, kept connections) serving the API to a token client
    token = Token.objects.create(user=users["hq"]).key
    env = process_env(DATABASE_URL=database_url(tmp_path), CONN_MAX_AGE="600")
    statuses: list[int] = []
    stop = threading.Event()

    def load(base: str) -> None:
        while not stop.is_set():
            request = urllib.request.Request(
                f"{base}/api/v1/updates/?page_size=50", headers={"Authorization": f"Token {token}"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

    with gunicorn(env, workers=2, threads=2) as base:
        threads = [threading.Thread(target=load, args=(base,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        # when every connection of the app is cut, again and again, under load
        cuts = 0
        for _ in range(6):
            cuts += _terminate_others()
            time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join()
        during = list(statuses)
        # then no request got a 500, and afterwards the same processes serve again
        after = []
        for _ in range(5):
            request = urllib.request.Request(
                f"{base}/api/v1/updates/", headers={"Authorization": f"Token {token}"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                after.append(response.status)
    assert cuts > 0
    assert during
    assert set(during) <= {200, 503}, sorted(set(during))
    assert after == [200] * 5
