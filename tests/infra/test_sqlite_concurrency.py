"""Two people saving the same update at the same moment, through a real multi-process server:
one save wins (200), the other is told someone else saved first (409), never a 500 ("database
is locked" on SQLite: WAL, busy timeout and immediate transactions prevent it)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_save
from tests.infra.processes import database_url, gunicorn, process_env

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6


def _patch(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PATCH",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_concurrent_saves_of_one_update_give_one_200_and_one_409(
    tmp_path, users, number_indicator, kenya, period
):
    # given Kenya's draft and the field user's API token, served by two gunicorn processes
    update = update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal("10")),
    )
    token = Token.objects.create(user=users["field"]).key
    env = process_env(DATABASE_URL=database_url(tmp_path), TEST_MEDIA_ROOT=str(tmp_path / "media"))
    version = update.version
    results: list[list[int]] = []
    with gunicorn(env) as base:
        url = f"{base}/api/v1/updates/{update.pk}/"
        for round_ in range(ROUNDS):
            # when two people send a save of the version they both loaded at the same moment
            barrier = threading.Barrier(2)
            statuses: list[int] = []

            def save(value: int, barrier=barrier, statuses=statuses, version=version) -> None:
                barrier.wait()
                statuses.append(_patch(url, token, {"version": version, "value": str(value)}))

            threads = [threading.Thread(target=save, args=(20 + round_ * 2 + i,)) for i in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            results.append(sorted(statuses))
            version += 1
    # then in every round one wins and the other gets the domain's 409, never a 500
    assert results == [[200, 409]] * ROUNDS
