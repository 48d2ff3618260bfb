"""A large Excel confirmation is saved by a worker, outside the request, with a progress page
(EXCEL_BACKGROUND_ROWS rows or more); with problems found on the second check, nothing is saved
and the page says why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jobs.models import Job
from reporting.models import IndicatorUpdate
from tests.reporting.test_excel import (  # noqa: F401 - fixtures
    _download,
    _fill,
    _imports_dir_files,
    _media_root,
    _upload,
    kenya_indicators,
)

CHANGES = {
    "A.i.1": {"value": 50, "sex:female": 30, "sex:male": 20, "submit": "Yes"},
    "O.a.1": {"numerator": 3, "denominator": 4},
    "A.ii.1": {"yes_no": "Yes"},
}


@pytest.mark.usefixtures("kenya_indicators")
def test_large_excel_confirmation_runs_as_a_job_with_progress(
    client, settings, users, kenya, period, django_capture_on_commit_callbacks
):
    # given uploads of 3 rows or more go to a worker
    settings.EXCEL_BACKGROUND_ROWS = 3
    client.force_login(users["field"])
    preview = _upload(client, _fill(_download(client, kenya, period), CHANGES), kenya, period)
    token = preview.context["token"]
    # when the upload is confirmed
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("reporting:excel_confirm"), {"token": token, "action": "confirm"}
        )
    # then the request only queues a job and goes to its progress page
    job = Job.objects.get(kind=Job.Kind.EXCEL_IMPORT)
    assert response.status_code == 302
    assert response.url == reverse("reporting:excel_job", args=[job.pk])
    assert job.status == Job.Status.QUEUED
    assert not IndicatorUpdate.objects.filter(office=kenya).exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'role="progressbar"' in page.content.decode()
    # when the worker runs it (here: in-process)
    for callback in queued:
        callback()
    job.refresh_from_db()
    # then everything is saved, the stored upload is gone, and the page says so
    assert (job.status, job.progress) == (Job.Status.DONE, 100)
    assert "Saved 3 update(s) and submitted 1" in job.message
    number = IndicatorUpdate.objects.get(office=kenya, indicator__code="A.i.1")
    assert (number.value, number.status) == (Decimal(50), "submitted")
    assert _imports_dir_files() == []
    status = client.get(reverse("reporting:excel_job_status", args=[job.pk])).content.decode()
    assert "Back to My reporting" in status
    # and nobody else may watch it
    client.force_login(users["field_ug"])
    assert client.get(reverse("reporting:excel_job", args=[job.pk])).status_code == 403


@pytest.mark.usefixtures("kenya_indicators")
def test_small_excel_confirmation_is_still_saved_in_the_request(
    client, settings, users, kenya, period
):
    settings.EXCEL_BACKGROUND_ROWS = 20
    client.force_login(users["field"])
    preview = _upload(client, _fill(_download(client, kenya, period), CHANGES), kenya, period)
    response = client.post(
        reverse("reporting:excel_confirm"),
        {"token": preview.context["token"], "action": "confirm"},
    )
    assert response.status_code == 302
    assert not Job.objects.exists()
    assert IndicatorUpdate.objects.filter(office=kenya).count() == 3
