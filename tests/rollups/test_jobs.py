"""The rebuild as a job and a task, the management command and the row selectors."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from jobs.models import Job
from jobs.tasks import job_run_task
from reporting.models import IndicatorUpdate
from rollups.models import Rollup
from rollups.selectors import headline_for
from rollups.services import rebuild_sessions, rollup_rebuild_full

Status = IndicatorUpdate.Status
D = Decimal


# --- Job, task, command, selectors -----------------------------------------------------------


def test_rollup_rebuild_task_records_progress_on_the_job(
    make_indicator, report, by_code, kenya, rollup_row
):
    indicator = make_indicator("number")
    report(indicator, kenya, by_code["2020-Q1"], "3")
    job = Job.objects.create(kind=Job.Kind.ROLLUP_REBUILD)
    assert job_run_task.delay(job.pk).get() == Job.Status.DONE
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (Job.Status.DONE, 100, "")
    assert job.started_at is not None
    assert job.finished_at is not None
    assert rollup_row(indicator, by_code["2020-Q1"]).actual == D("3")


def test_rollup_rebuild_task_records_a_failure_on_the_job(strategy):
    job = Job.objects.create(kind=Job.Kind.ROLLUP_REBUILD, params={"strategy_id": 987654})
    assert job_run_task.delay(job.pk).get() == Job.Status.FAILED
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "DoesNotExist" in job.error


def test_rollup_nightly_rebuild_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["rollup-rebuild-nightly"]
    assert entry["task"] == "rollups.tasks.rollup_rebuild_nightly_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})


def test_rollup_command_full_and_one_indicator(make_indicator, report, by_code, kenya, capsys):
    indicator = make_indicator("number")
    report(indicator, kenya, by_code["2020-Q1"], "3")
    call_command("rollup", "--full")
    assert "Rebuilt" in capsys.readouterr().out
    call_command("rollup", "--indicator", indicator.code, "--period", "2020-Q1")
    out = capsys.readouterr().out
    assert f"for {indicator.code} from 2020-Q1" in out


def test_rollup_selectors_read_rows_by_scope(
    make_indicator, report, by_code, kenya, uganda, nairobi
):
    indicator = make_indicator("number")
    q1 = by_code["2020-Q1"]
    report(indicator, kenya, q1, "3")
    report(indicator, uganda, q1, "4")
    rollup_rebuild_full()
    one = [indicator]
    offices = headline_for(indicators=one, period=q1, span="period", scope="office", region=nairobi)
    assert [r.office_id for r in offices] == [kenya.pk, uganda.pk]
    (regional,) = headline_for(
        indicators=one, period=q1, span="period", scope="region", region=nairobi
    )
    assert regional.actual == D("7")
    (std,) = headline_for(indicators=one, period=q1, span="std")
    assert std.actual == D("7")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite rebuilds on one session, one writer"
)
def test_rollup_rebuild_on_several_sessions_writes_what_one_session_writes(
    transactional_db, make_indicator, report, by_code, kenya, uganda, thailand, settings
):
    # given committed updates of indicators of several shapes (a count, a percentage, a level)
    count = make_indicator("number", targets={2021: "100"}, dimensions=("sex",))
    share = make_indicator("percentage", cumulative=False, targets={2021: "50"})
    level = make_indicator("ordinal", cumulative=False, targets={2021: "2"}, levels=["a", "b"])
    for office, n in ((kenya, 1), (uganda, 2), (thailand, 3)):
        report(count, office, by_code["2021-Q2"], str(10 * n), parts={"sex": {"female": n}})
        report(share, office, by_code["2021-Q3"], numerator=str(n), denominator="4")
        report(level, office, by_code["2021-Q4"], str(1 + n % 2))
    # when the rebuild runs on one session, then on two (one chunk of indicators each)
    settings.ROLLUP_REBUILD_SESSIONS = 1
    rollup_rebuild_full(chunk=1)
    alone = _rows()
    settings.ROLLUP_REBUILD_SESSIONS = 2
    assert rebuild_sessions() == 2
    report_ = rollup_rebuild_full(chunk=1)
    # then every row and number is the same
    assert report_.chunks == 3
    assert _rows() == alone


def _rows() -> list[tuple]:
    fields = [
        f.attname for f in Rollup._meta.concrete_fields if f.attname not in {"id", "computed_at"}
    ]
    return sorted(tuple(str(v) for v in row) for row in Rollup.objects.values_list(*fields))
