"""The exports pages: by role, the journey from asking to downloading, failures and retries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from jobs.runner import job_run
from reporting.services.periods import periods_ensure
from rollups.models import Rollup
from tests.exports.helpers import export_job

Span = Rollup.Span
Scope = Rollup.Scope


# --- Pages ------------------------------------------------------------------------------------

ALLOWED = ["hq", "steering", "admin"]
REFUSED = ["field", "reviewer", "reviewer_hq", "norole"]


@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_exports_page_by_role(client, world, users, who):
    client.force_login(users[who])
    response = client.get(reverse("reporting:exports"))
    assert response.status_code == (200 if who in ALLOWED else 403)


def test_exports_page_anonymous_goes_to_login(client, world):
    response = client.get(reverse("reporting:exports"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_export_create_and_download_by_role(
    client, world, users, who, django_capture_on_commit_callbacks
):
    # given a finished export made by the HQ results manager
    done = job_run(job=export_job(users["hq"], world["strategy"], format="csv"))
    client.force_login(users[who])
    # when this user asks for a new one and downloads the finished one
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("reporting:export_create"),
            {"preset": "", "period_from": "2023-Q1", "period_to": "2023-Q4", "format": "csv"},
        )
    download = client.get(reverse("reporting:export_download", args=[done.pk]))
    status_page = client.get(reverse("reporting:export_job_status", args=[done.pk]))
    # then only those who may export can
    if who in ALLOWED:
        assert created.status_code == 302
        assert download.status_code == 200
        assert status_page.status_code == 200
        assert Job.objects.count() == 2
    else:
        assert created.status_code == 403
        assert download.status_code == 403
        assert status_page.status_code == 403
        assert Job.objects.count() == 1


def test_export_journey_create_watch_download(
    client, world, users, django_capture_on_commit_callbacks
):
    client.force_login(users["steering"])
    # when a member of the steering committee asks for the 2021 update as XLSX
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:export_create"), {"preset": "year-2021", "format": "xlsx"}
        )
    job = Job.objects.get()
    assert response["Location"] == reverse("reporting:export_job", args=[job.pk])
    assert (job.params["period_from"], job.params["period_to"]) == ("2021-Q1", "2021-Q4")
    # then the job page shows it done with a download link (no more polling)
    page = client.get(response["Location"]).content.decode()
    assert reverse("reporting:export_download", args=[job.pk]) in page
    assert "hx-trigger" not in page
    # and the file holds 2021's figures
    download = client.get(reverse("reporting:export_download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    actuals = {r[1]: r[10] for r in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert actuals["A.i.1"] == 900
    # and the list of past exports shows who asked, the range and a download link
    listing = client.get(reverse("reporting:exports")).content.decode()
    assert "2021-Q1 – 2021-Q4" in listing
    assert users["steering"].get_full_name() in listing


def test_export_job_page_polls_while_running(client, world, users):
    client.force_login(users["hq"])
    job = export_job(users["hq"], world["strategy"])
    Job.objects.filter(pk=job.pk).update(status="running", progress=40, message="Rendering")
    fragment = client.get(reverse("reporting:export_job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert 'aria-valuenow="40"' in fragment
    assert "Rendering" in fragment


def test_export_failure_is_shown_and_can_be_retried_from_the_page(
    client, strategy, users, django_capture_on_commit_callbacks
):
    # given an export that failed because the periods did not exist yet
    job = job_run(job=export_job(users["hq"], strategy, format="pdf"))
    client.force_login(users["hq"])
    page = client.get(reverse("reporting:export_job", args=[job.pk])).content.decode()
    assert "The export failed." in page
    assert "Unknown reporting period" in page
    assert reverse("reporting:export_retry", args=[job.pk]) in page
    listing = client.get(reverse("reporting:exports")).content.decode()
    assert "Retry" in listing
    # when the periods exist and the user retries
    periods_ensure(strategy=strategy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:export_retry", args=[job.pk]))
    # then the export is made
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"
    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 200


def test_export_create_with_a_bad_range_shows_the_form_again(client, world, users):
    client.force_login(users["hq"])
    response = client.post(
        reverse("reporting:export_create"),
        {"preset": "", "period_from": "2022-Q3", "period_to": "2023-Q2", "format": "pdf"},
    )
    assert response.status_code == 400
    assert "is none of these" in response.content.decode()
    assert not Job.objects.exists()


def test_export_download_of_an_unfinished_job_is_404(client, world, users):
    client.force_login(users["hq"])
    job = export_job(users["hq"], world["strategy"])
    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 404
