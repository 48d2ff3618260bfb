"""The journey across the apps, through the pages as people use them: field staff enter and
submit a quarter's figure, the region's reviewer approves it, the roll-up follows after commit,
the steering committee's dashboard shows it and HQ's membership update CSV carries it."""

import csv
import io

from django.urls import reverse

from jobs.models import Job
from reporting.models import IndicatorUpdate
from rollups.models import Rollup
from tests.reporting.entry_fixtures import entry_url, row_data

Status = IndicatorUpdate.Status


def test_flow_entry_to_approval_to_dashboard_to_export(
    client_as, number_indicator, kenya, period, django_capture_on_commit_callbacks
):
    field, reviewer, steering, hq = (client_as(n) for n in ("field", "reviewer", "steering", "hq"))
    row = f"r{number_indicator.pk}"

    # given Kenya's field staff type 4,321 people (2,000 women, 2,321 men) and submit the row
    with django_capture_on_commit_callbacks(execute=True):
        response = field.post(
            entry_url(kenya, period),
            row_data(
                number_indicator,
                value="4321",
                dis_sex_female="2000",
                dis_sex_male="2321",
                narrative="Mobile clinics in Turkana.",
            )
            | {"submit_row": row},
        )
    assert response.status_code == 302
    update = IndicatorUpdate.objects.get(indicator=number_indicator, office=kenya, period=period)
    assert update.status == Status.SUBMITTED

    # when the Nairobi reviewer approves it from the update's page
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            reverse("reporting:update_approve", args=[update.pk]), {"version": update.version}
        )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == Status.APPROVED

    # then the stored global roll-up of the quarter counts it, without a rebuild
    quarter = Rollup.objects.get(
        indicator=number_indicator, period=period, scope=Rollup.Scope.GLOBAL, span="period"
    )
    assert (quarter.actual, quarter.updates_count) == (4321, 1)
    assert quarter.breakdown()["sex"] == {"female": 2000, "male": 2321, "other_unknown": None}

    # and the steering committee's indicator page shows the figure
    page = steering.get(reverse("reporting:dashboard_indicator", args=[number_indicator.pk]))
    assert page.status_code == 200
    assert "4,321" in page.content.decode()

    # and HQ's membership update CSV for the year carries it, for the quarter, globally
    with django_capture_on_commit_callbacks(execute=True):
        response = hq.post(
            reverse("reporting:export_create"),
            {"preset": "", "period_from": "2023-Q1", "period_to": "2023-Q4", "format": "csv"},
        )
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    download = hq.get(reverse("reporting:export_download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = [
        r
        for r in csv.DictReader(io.StringIO(text))
        if (r["indicator_code"], r["scope"], r["period"], r["span"])
        == ("A.i.1", "global", "2023-Q4", "period")
    ]
    assert [r["actual"] for r in rows] == ["4321"]
