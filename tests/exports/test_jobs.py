"""Membership update exports as background jobs: progress, failures, retries, permissions."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from exports.services import ExportError
from exports.services.jobs import (
    membership_update_export_create,
    membership_update_export_retry,
    membership_update_render,
)
from jobs.models import Job
from jobs.runner import job_run
from jobs.tasks import job_run_task
from reporting.services.periods import periods_ensure
from rollups.models import Rollup
from tests.exports.helpers import export_job

Span = Rollup.Span
Scope = Rollup.Scope


def test_export_job_reports_progress_then_saves_the_file(world, users):
    # given a queued XLSX export
    job = export_job(users["hq"], world["strategy"])
    seen = []
    # when the service runs it
    job = job_run(job=job, on_progress=lambda percent, message: seen.append((percent, message)))
    # then each step was reported, rising, and the job finished with its file
    percents = [p for p, _m in seen]
    assert percents == sorted(percents)
    assert percents[0] == 0
    assert percents[-1] == 100
    assert {10, 40, 90} <= set(percents)
    assert "Gathering data" in [m for _p, m in seen]
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    assert job.started_at <= job.finished_at
    assert job.result_file.name.endswith("_2019-Q1_2023-Q4.xlsx")
    with job.result_file.open("rb") as handle:
        assert load_workbook(handle)["Indicators"].max_row == 4


def test_export_task_runs_the_job_once(world, users):
    # given a queued job
    job = export_job(users["hq"], world["strategy"], format="iati")
    # when the task runs, and its message is delivered a second time
    first = job_run_task.delay(job.pk).get()
    job.refresh_from_db()
    made_at = job.finished_at
    second = job_run_task.delay(job.pk).get()
    # then the file is made once
    assert (first, second) == ("done", "skipped")
    job.refresh_from_db()
    assert job.finished_at == made_at
    assert job_run_task.delay(987654).get() == "skipped"


def test_export_job_progress_is_saved_at_each_step(world, users):
    # given a job, and a callback that reads the job back from the database at each step
    job = export_job(users["hq"], world["strategy"], format="csv")
    stored = []

    def read_back(percent, message):
        fresh = Job.objects.get(pk=job.pk)
        stored.append((fresh.status, fresh.progress))

    # when it runs
    job_run(job=job, on_progress=read_back)
    # then a page polling the job saw it running at each step
    assert ("running", 40) in stored
    assert ("running", 90) in stored
    assert stored[-1] == ("done", 100)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "docx"}, "Unknown export format"),
        ({"period_from": "2023-Q4", "period_to": "2019-Q1"}, "starts (2023-Q4) after it ends"),
        ({"period_to": "2031-Q1"}, "Unknown reporting period: 2031-Q1"),
    ],
)
def test_export_job_failure_is_recorded_with_a_message(world, users, params, message):
    job = job_run(job=export_job(users["hq"], world["strategy"], **params))
    job.refresh_from_db()
    assert job.status == "failed"
    assert message in job.error
    assert not job.result_file


def test_export_job_fails_then_succeeds_on_retry(
    strategy, users, django_capture_on_commit_callbacks
):
    # given an export asked for before the periods existed: it fails
    job = job_run(job=export_job(users["hq"], strategy, format="csv"))
    assert job.status == "failed"
    assert "Unknown reporting period" in job.error
    # when the periods are created and the export is retried
    periods_ensure(strategy=strategy)
    with django_capture_on_commit_callbacks(execute=True):
        membership_update_export_retry(user=users["hq"], job=job)
    # then it runs again and is done
    job.refresh_from_db()
    assert (job.status, job.error) == ("done", "")
    assert job.result_file


def test_export_retry_refuses_a_job_that_did_not_fail(world, users):
    job = export_job(users["hq"], world["strategy"])
    with pytest.raises(ExportError):
        membership_update_export_retry(user=users["hq"], job=job)


def test_export_create_checks_permission_and_range(world, users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        membership_update_export_create(
            user=users["reviewer"],
            strategy=world["strategy"],
            period_from="2019-Q1",
            period_to="2023-Q4",
            format="pdf",
        )
    with pytest.raises(ExportError):
        membership_update_export_create(
            user=users["hq"],
            strategy=world["strategy"],
            period_from="2022-Q2",
            period_to="2023-Q1",
            format="pdf",
        )
    assert not Job.objects.exists()


def test_render_gives_the_same_numbers_as_the_job(world):
    name, data = membership_update_render(
        strategy=world["strategy"], period_from="2023-Q1", period_to="2023-Q4", format="iati"
    )
    assert name.endswith(".xml")
    assert b"<iati-activity" in data
