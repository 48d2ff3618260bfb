"""Backups: bin/backup dumps the database and the media folder; bin/restore puts them into a
fresh database, which then holds the same updates and roll-ups (and the evidence file)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from reporting.models import IndicatorUpdate, UpdateEvidence
from rollups.models import Rollup
from tests.infra.processes import database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(settings.BASE_DIR)


def _fingerprint(conn, table: str, columns: str) -> tuple[int, str]:
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 - names from code
        rows = cursor.fetchall()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def test_backup_restored_into_a_fresh_database_has_the_same_updates_and_rollups(
    tmp_path, world, users
):
    if connection.vendor != "postgresql":
        pytest.skip("bin/backup and bin/restore are for PostgreSQL")
    # given updates, roll-ups and an evidence file
    storage = UpdateEvidence._meta.get_field("file").storage
    evidence = UpdateEvidence.objects.create(
        update=IndicatorUpdate.objects.order_by("pk").first(),
        file=storage.save("evidence/backup-test/list.csv", ContentFile(b"a,b\n")),
        original_name="list.csv",
        size=4,
        uploaded_by=users["field"],
    )
    source = database_url(tmp_path)
    restored_name = f"{connection.settings_dict['NAME']}_restore"
    restored = source.rsplit("/", 1)[0] + f"/{restored_name}"
    admin = psycopg2.connect(source)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        cursor.execute(f'CREATE DATABASE "{restored_name}"')
    env = {k: v for k, v in os.environ.items()}
    try:
        # when it is backed up, then restored into the fresh database and another media folder
        made = subprocess.run(
            [str(ROOT / "bin" / "backup"), str(tmp_path / "backups")],
            env=env | {"DATABASE_URL": source, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        folder = made.stdout.strip().splitlines()[-1]
        media = tmp_path / "restored-media"
        subprocess.run(
            [str(ROOT / "bin" / "restore"), folder],
            env=env | {"DATABASE_URL": restored, "MEDIA_ROOT": str(media)},
            capture_output=True,
            text=True,
            check=True,
        )
        # then the restored database has the same updates and roll-ups, row for row
        copy = psycopg2.connect(restored)
        try:
            for table, columns in [
                (IndicatorUpdate._meta.db_table, "id, status, version, value, narrative"),
                (Rollup._meta.db_table, "id, indicator_id, period_id, scope, span, actual"),
            ]:
                original = _fingerprint(connection.connection, table, columns)
                assert original[0] > 0
                assert _fingerprint(copy, table, columns) == original
        finally:
            copy.close()
        # and the evidence file is in the restored media folder
        assert (media / evidence.file.name).read_bytes() == b"a,b\n"
        # and restoring over a database that has tables is refused without --replace
        again = subprocess.run(
            [str(ROOT / "bin" / "restore"), folder],
            env=env | {"DATABASE_URL": restored, "MEDIA_ROOT": str(media)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert again.returncode == 2
        assert "--replace" in again.stderr
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
        admin.close()
