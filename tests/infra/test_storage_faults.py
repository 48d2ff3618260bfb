"""A full disk or an unwritable media folder during an export or an evidence upload: a clear
error, no partial file offered, no row pointing at a missing file; evidence files left by a
save that was rolled back are removed. The full disk is a real one: a tiny tmpfs (needs root,
as in CI; skipped otherwise)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.models import Job
from jobs.runner import job_run
from reporting.models import UpdateEvidence
from reporting.services.evidence import evidence_orphans_remove
from tests.exports.helpers import export_job
from tests.reporting.entry_fixtures import entry_url, row_data


@pytest.fixture
def full_disk(tmp_path, settings):
    """MEDIA_ROOT on a 256 KiB tmpfs filled up to its last few hundred bytes."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (CI has it)")
    try:
        filler = folder / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"x" * 4096)
        except OSError:
            pass  # full
        finally:
            os.close(fd)
        # leave a little room, less than any file the tests write
        os.truncate(filler, max(filler.stat().st_size - 8192, 0))
        settings.MEDIA_ROOT = str(folder)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def unwritable_media(tmp_path, settings):
    """MEDIA_ROOT below a plain file: no folder can be made there (root included)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = str(blocker / "media")
    return blocker


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.name != "filler"]


def test_export_on_a_full_disk_fails_clearly_and_leaves_no_partial_file(
    db, world, users, full_disk
):
    # given a PDF export (tens of kB) and a disk with only a few kB free
    job = export_job(users["hq"], world["strategy"], format="pdf")
    # when it runs
    job = job_run(job=job)
    # then it failed with a message a person can act on, offering no file
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "storage is full or cannot be written" in job.error
    assert str(full_disk) not in job.error
    assert not job.result_file
    # and no partial file is left on the disk
    assert _files(full_disk) == []


def test_export_into_an_unwritable_media_folder_fails_clearly(db, world, users, unwritable_media):
    job = job_run(job=export_job(users["hq"], world["strategy"], format="csv"))
    job.refresh_from_db()
    assert (job.status, bool(job.result_file)) == (Job.Status.FAILED, False)
    assert "storage is full or cannot be written" in job.error
    assert str(unwritable_media) not in job.error


@pytest.mark.parametrize("fault", ["full_disk", "unwritable_media"])
def test_evidence_upload_that_cannot_be_stored_is_refused_beside_the_field(
    request, client_as, number_indicator, kenya, period, fault
):
    folder = request.getfixturevalue(fault)
    # when field staff attach a 64 kB list that cannot be written
    data = {
        **row_data(number_indicator, value="8", narrative="Typed text"),
        f"r{number_indicator.pk}-evidence": SimpleUploadedFile("list.csv", b"a,b\n" * 16384),
        "action": "save",
    }
    response = client_as("field").post(entry_url(kenya, period), data)
    # then the page says so beside the file input, keeps what was typed, stores nothing
    assert response.status_code == 200
    body = response.content.decode()
    assert "storage is full or cannot be written" in body
    assert "Typed text" in body
    assert not UpdateEvidence.objects.exists()
    if fault == "full_disk":
        assert _files(folder) == []


def test_orphaned_evidence_files_are_removed_and_referenced_ones_kept(
    db, settings, tmp_path, kenya_draft, users
):
    from reporting.services.evidence import update_evidence_add

    settings.MEDIA_ROOT = str(tmp_path / "media")
    # given one attached file and one left by a save that was rolled back, an hour ago
    kept = update_evidence_add(
        user=users["field"],
        update=kenya_draft,
        file=SimpleUploadedFile("kept.csv", b"a,b\n"),
    )
    storage = UpdateEvidence._meta.get_field("file").storage
    orphan = storage.save("evidence/2023-Q4/co-ke/1/orphan.csv", ContentFile(b"lost"))
    fresh = storage.save("evidence/2023-Q4/co-ke/1/uploading.csv", ContentFile(b"new"))
    old = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=2)).timestamp()
    for name in (orphan, kept.file.name):
        os.utime(storage.path(name), (old, old))
    # when the nightly sweep runs
    removed = evidence_orphans_remove()
    # then only the old orphan is gone
    assert removed == 1
    assert not storage.exists(orphan)
    assert storage.exists(kept.file.name)
    assert storage.exists(fresh)
