"""Membership update exports: the data read from the roll-ups, each format checked against
those roll-ups, the background job's progress and failures, the pages and their permissions,
and the management command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from exports.services import ExportError
from exports.services.csv import COLUMNS, membership_update_csv
from exports.services.iati import iati_schema_path, membership_update_iati
from exports.services.jobs import (
    membership_update_export_create,
    membership_update_export_retry,
    membership_update_render,
)
from exports.services.membership import membership_update_build
from exports.services.pdf import membership_update_pdf
from exports.services.xlsx import membership_update_xlsx
from jobs.models import Job
from jobs.runner import job_run
from jobs.tasks import job_run_task
from outcomes.models import Marker
from reporting.services.periods import periods_ensure
from rollups.models import Rollup
from tests.factories import IndicatorFactory, IndicatorTargetFactory, UpdateFactory

Span = Rollup.Span
Scope = Rollup.Scope
AS_OF = dt.datetime(2024, 1, 15, 10, 30, tzinfo=dt.UTC)


def _rollup(indicator, period, *, span, scope=Scope.GLOBAL, region=None, **values):
    values.setdefault("computed_at", AS_OF - dt.timedelta(days=1))
    return Rollup.objects.create(
        indicator=indicator, period=period, span=span, scope=scope, region=region, **values
    )


@pytest.fixture
def yes_no_indicator(strategy):
    """A decreasing yes/no indicator on deliverable (c)(i), with no roll-up (no data)."""
    deliverable = strategy.outcome_set.get(code="c").deliverables.get(code="i")
    indicator = IndicatorFactory(
        deliverable=deliverable,
        code="C.i.1",
        name="Offices with a backlog of cases",
        measure="yes_no",
        direction="decrease",
        cumulative=False,
        baseline_value=Decimal("5"),
        baseline_year=2018,
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=indicator, year=year, value=Decimal("2"))
    return indicator


@pytest.fixture
def world(
    strategy,
    periods,
    number_indicator,
    percentage_indicator,
    yes_no_indicator,
    kenya,
    uganda,
    nairobi,
    bangkok,
    users,
):
    """Roll-ups with known numbers for 2019-Q1 … 2023-Q4, and a few approved updates."""
    by_code = {p.code: p for p in periods}
    markers = {m.code: m for m in Marker.objects.filter(strategy=strategy)}
    number_indicator.markers.add(markers["gender"], markers["environment"])
    number_indicator.baseline_year = 2018
    number_indicator.save()
    percentage_indicator.markers.add(markers["inequalities"])
    percentage_indicator.baseline_year = 2018
    percentage_indicator.save()
    # Strategy to date at every quarter (the trend), rising to the final figures in 2023-Q4.
    for index, period in enumerate(periods, start=1):
        _rollup(
            number_indicator,
            period,
            span=Span.STRATEGY_TO_DATE,
            actual=Decimal(175 * index),
            target=Decimal("5000"),
            baseline=Decimal("0"),
            progress=Decimal(175 * index) / Decimal("5000"),
            status="at_risk",
            updates_count=2 * index,
            offices_count=2,
        )
        _rollup(
            percentage_indicator,
            period,
            span=Span.STRATEGY_TO_DATE,
            actual=Decimal("50"),
            target=Decimal("60"),
            baseline=Decimal("20"),
            progress=Decimal("0.75"),
            status="on_track",
            updates_count=3,
            offices_count=3,
            numerator=Decimal("150"),
            denominator=Decimal("300"),
        )
    # Each year's figure: year to date at Q4.
    for offset, year in enumerate(strategy.years):
        q4 = by_code[f"{year}-Q4"]
        _rollup(
            number_indicator,
            q4,
            span=Span.YEAR_TO_DATE,
            actual=Decimal(700 + 100 * offset),
            target=Decimal("1000"),
            baseline=Decimal("0"),
            progress=Decimal("0.7"),
            status="at_risk",
            updates_count=8,
            offices_count=2,
        )
        _rollup(
            percentage_indicator,
            q4,
            span=Span.YEAR_TO_DATE,
            actual=Decimal(30 + 5 * offset),
            target=Decimal("60"),
            baseline=Decimal("20"),
            progress=Decimal("0.5"),
            status="at_risk",
            updates_count=3,
            offices_count=3,
        )
    last = by_code["2023-Q4"]
    Rollup.objects.filter(
        indicator=number_indicator, period=last, span=Span.STRATEGY_TO_DATE
    ).update(actual=Decimal("3500"), progress=Decimal("0.7"), computed_at=AS_OF)
    # The regions, strategy to date.
    _rollup(
        number_indicator,
        last,
        span=Span.STRATEGY_TO_DATE,
        scope=Scope.REGION,
        region=nairobi,
        actual=Decimal("2000"),
        target=Decimal("3000"),
        progress=Decimal("0.6"),
        status="at_risk",
        updates_count=30,
        offices_count=2,
    )
    _rollup(
        number_indicator,
        last,
        span=Span.STRATEGY_TO_DATE,
        scope=Scope.REGION,
        region=bangkok,
        actual=Decimal("1500"),
        target=Decimal("2000"),
        progress=Decimal("0.9"),
        status="on_track",
        updates_count=10,
        offices_count=1,
    )
    # Approved updates in 2023 with narratives and a sex split; a submitted one that must not count.
    UpdateFactory(
        indicator=number_indicator,
        office=kenya,
        period=by_code["2023-Q1"],
        status="approved",
        value=Decimal("100"),
        disaggregations={"sex": {"female": 60, "male": 40}},
        narrative="Kenya assisted returnees in Mombasa with reintegration grants.",
    )
    UpdateFactory(
        indicator=number_indicator,
        office=uganda,
        period=by_code["2023-Q2"],
        status="approved",
        value=Decimal("50"),
        disaggregations={"sex": {"female": 20, "male": 30}},
    )
    UpdateFactory(
        indicator=number_indicator,
        office=kenya,
        period=by_code["2023-Q3"],
        status="submitted",
        value=Decimal("999"),
        disaggregations={"sex": {"female": 999, "male": 0}},
        narrative="Not yet approved: must not be shown.",
    )
    UpdateFactory(
        indicator=percentage_indicator,
        office=kenya,
        period=by_code["2023-Q4"],
        status="approved",
        value=Decimal("50"),
        numerator=Decimal("5"),
        denominator=Decimal("10"),
        narrative="Training reached half of the staff.",
    )
    return {"strategy": strategy, "first": by_code["2019-Q1"], "last": last, "periods": by_code}


def _build(world, first="2019-Q1", last="2023-Q4"):
    p = world["periods"]
    return membership_update_build(
        strategy=world["strategy"], period_from=p[first], period_to=p[last]
    )


# --- The data ---------------------------------------------------------------------------------


def test_membership_update_build_reads_strategy_to_date_rollups(world, number_indicator):
    # when the update is built for the whole strategy
    update = _build(world)
    # then each indicator carries its global strategy-to-date roll-up
    rows = {row.code: row for row in update.indicators}
    assert update.span == Span.STRATEGY_TO_DATE
    assert rows["A.i.1"].actual == Decimal("3500")
    assert rows["A.i.1"].progress == Decimal("0.7")
    assert rows["O.a.1"].actual == Decimal("50")
    assert rows["C.i.1"].status == "no_data"
    assert update.data_as_of == AS_OF
    # and outcomes, outputs and markers average the indicators that have data
    outcome_a = next(o for o in update.outcomes if o.code == "a")
    assert outcome_a.summary.progress == Decimal("0.7")
    outcome_c = next(o for o in update.outcomes if o.code == "c")
    assert (outcome_c.summary.n_with_data, outcome_c.summary.n_indicators) == (0, 1)
    assert update.summary.progress == Decimal("0.725")  # mean of 0.7 and 0.75
    markers = {m.code: m.summary for m in update.markers}
    assert markers["gender"].progress == Decimal("0.7")
    assert markers["inequalities"].progress == Decimal("0.75")
    # and the regional breakdown, the yearly figures and the highlights come through
    regions = {r.code: r.summary.progress for r in update.regions}
    assert regions["nairobi"] == Decimal("0.6")
    assert regions["bangkok"] == Decimal("0.9")
    years = {y.year: y for y in rows["A.i.1"].years}
    assert years[2021].actual == Decimal("900")
    assert years[2023].target == Decimal("1000")
    assert years[2023].dimensions == [
        ("sex", "female", Decimal("80")),
        ("sex", "male", Decimal("70")),
    ]
    texts = [h.text for h in outcome_a.highlights]
    assert texts == ["Kenya assisted returnees in Mombasa with reintegration grants."]
    # and completeness counts approved against assigned (3 indicators × 3 offices, 2 assigned)
    assert update.completeness_approved == 3


def test_membership_update_build_uses_a_fixed_number_of_queries(world, strategy):
    # given the number of queries for the update as it is
    with CaptureQueriesContext(connection) as before:
        _build(world)
    # when more indicators and roll-ups are added
    deliverable = strategy.outcome_set.get(code="b").deliverables.get(code="ii")
    for n in range(5):
        indicator = IndicatorFactory(deliverable=deliverable, code=f"B.ii.{n}")
        _rollup(
            indicator,
            world["last"],
            span=Span.STRATEGY_TO_DATE,
            progress=Decimal("0.5"),
            status="at_risk",
            actual=Decimal(n),
        )
    with CaptureQueriesContext(connection) as after:
        _build(world)
    # then the count does not grow
    assert len(after) == len(before)
    assert len(before) <= 20


@pytest.mark.parametrize(
    ("first", "last", "span"),
    [
        ("2021-Q1", "2021-Q4", Span.YEAR_TO_DATE),
        ("2022-Q3", "2022-Q3", Span.PERIOD),
        ("2019-Q1", "2021-Q2", Span.STRATEGY_TO_DATE),
    ],
)
def test_membership_update_build_picks_the_span_of_the_range(world, first, last, span):
    assert _build(world, first, last).span == span


@pytest.mark.parametrize(("first", "last"), [("2022-Q1", "2021-Q4"), ("2021-Q2", "2022-Q1")])
def test_membership_update_build_refuses_a_range_no_rollup_covers(world, first, last):
    with pytest.raises(ExportError):
        _build(world, first, last)


def test_membership_update_year_uses_year_to_date_rollups(world):
    # when the update is built for 2021
    update = _build(world, "2021-Q1", "2021-Q4")
    # then the figures are 2021's
    rows = {row.code: row for row in update.indicators}
    assert rows["A.i.1"].actual == Decimal("900")
    assert [y.year for y in rows["A.i.1"].years] == [2021]
    assert all(o.highlights == [] for o in update.outcomes)  # the narratives are from 2023


# --- The formats ------------------------------------------------------------------------------


def test_xlsx_numbers_match_the_rollups(world):
    # when the XLSX is made and opened
    data = membership_update_xlsx(update=_build(world))
    book = load_workbook(io.BytesIO(data))
    # then there is a summary and one sheet per level
    for name in [
        "Summary",
        "Outcomes",
        "Deliverables",
        "Outputs",
        "Indicators",
        "Regions",
        "Markers",
        "Completeness",
    ]:
        assert name in book.sheetnames
    sheet = book["Indicators"]
    headers = [c.value for c in sheet[1]]
    rows = {
        r[1]: dict(zip(headers, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["A.i.1"]["Actual"] == 3500
    assert rows["A.i.1"]["Target"] == 5000
    assert rows["A.i.1"]["Progress"] == pytest.approx(0.7)
    assert rows["O.a.1"]["Baseline"] == 20
    assert rows["C.i.1"]["Status"] == "No data"
    # and the numbers are real numbers, formatted, under a frozen, filtered header
    progress_col = headers.index("Progress") + 1
    assert sheet.cell(row=2, column=progress_col).number_format == "0%"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    regions = {r[0]: r for r in book["Regions"].iter_rows(min_row=2, values_only=True)}
    assert regions["Nairobi"][4] == 2000
    assert regions["Bangkok"][5] == pytest.approx(0.9)
    markers = {r[0]: r for r in book["Markers"].iter_rows(min_row=2, values_only=True)}
    assert markers["gender"][2] == pytest.approx(0.7)
    assert markers["gender"][3:] == (1, 1)


def test_csv_rows_match_the_rollups(world):
    # when the CSV is made and read back
    data = membership_update_csv(update=_build(world)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    # then the columns are the documented ones and there is one row per global/regional roll-up
    assert list(rows[0]) == COLUMNS
    assert len(rows) == Rollup.objects.filter(scope__in=["global", "region"]).count()
    key = ("A.i.1", "global", "2023-Q4", "std")
    final = next(
        r for r in rows if (r["indicator_code"], r["scope"], r["period"], r["span"]) == key
    )
    assert (final["actual"], final["target"], final["progress"]) == ("3500", "5000", "0.7")
    assert (final["result_code"], final["outcome_code"], final["status"]) == ("A.i", "a", "at_risk")
    nairobi = next(r for r in rows if r["scope"] == "region" and r["region_code"] == "nairobi")
    assert nairobi["actual"] == "2000"
    percentage = next(r for r in rows if r["indicator_code"] == "O.a.1" and r["span"] == "std")
    assert (percentage["numerator"], percentage["denominator"]) == ("150", "300")


def test_csv_of_a_year_holds_only_that_years_periods(world):
    data = membership_update_csv(update=_build(world, "2021-Q1", "2021-Q4")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows
    assert {r["year"] for r in rows} == {"2021"}


def test_iati_xml_is_valid_and_carries_the_figures(world):
    # when the IATI XML is made
    xml = membership_update_iati(update=_build(world), validate=False)
    # then it validates against the IATI 2.03 schema
    schema = etree.XMLSchema(etree.parse(str(iati_schema_path())))
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    activity = document.find("iati-activity")
    # and outcomes are results of type 2, institutional outputs of type 1
    results = {r.findtext("title/narrative"): r for r in activity.findall("result")}
    outcome_a = results["(a) Human mobility is increasingly a choice"]
    assert outcome_a.get("type") == "2"
    output_a = next(r for t, r in results.items() if t.startswith("(a) Improved policy capacity"))
    assert output_a.get("type") == "1"
    # and each indicator has its measure code, direction, baseline and yearly target/actual
    number = outcome_a.find("indicator")
    assert (number.get("measure"), number.get("ascending")) == ("1", "1")
    assert number.find("baseline").get("value") == "0"
    assert number.find("baseline").get("year") == "2018"
    periods = {p.find("period-start").get("iso-date")[:4]: p for p in number.findall("period")}
    assert sorted(periods) == ["2019", "2020", "2021", "2022", "2023"]
    assert periods["2021"].find("target").get("value") == "1000"
    assert periods["2021"].find("actual").get("value") == "900"
    assert periods["2021"].find("period-end").get("iso-date") == "2021-12-31"
    # and the approved sex split of 2023 is summed into dimensions (the submitted one is not)
    parts = {
        a.find("dimension").get("value"): a.get("value")
        for a in periods["2023"].findall("actual")
        if a.find("dimension") is not None
    }
    assert parts == {"female": "80", "male": "70"}
    percentage = output_a.find("indicator")
    assert percentage.get("measure") == "2"
    assert percentage.find("baseline").get("value") == "20"
    yes_no = results["(c) Migration is increasingly well governed"].find("indicator")
    assert (yes_no.get("measure"), yes_no.get("ascending")) == ("1", "0")
    # and the cross-cutting markers are policy markers
    markers = {(m.get("vocabulary"), m.get("code")) for m in activity.findall("policy-marker")}
    assert markers == {("1", "1"), ("1", "6"), ("1", "7"), ("99", "inequalities")}
    inequality = next(m for m in activity.findall("policy-marker") if m.get("vocabulary") == "99")
    assert inequality.get("vocabulary-uri")


def test_iati_validation_rejects_an_invalid_document(world):
    from exports.services.iati import iati_validate

    with pytest.raises(ExportError, match=r"2\.03 schema"):
        iati_validate(b'<iati-activities version="2.03"><iati-activity/></iati-activities>')


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_pdf_shows_every_outcome_and_the_figures(world):
    # when the PDF is made
    update = _build(world)
    data = membership_update_pdf(update=update)
    text = _pdf_text(data)
    # then it is A4 with page numbers, and names every outcome with its figures
    reader = PdfReader(io.BytesIO(data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    assert len(reader.pages) >= 5
    assert f"Page 2 of {len(reader.pages)}" in text
    for outcome in update.outcomes:
        assert outcome.title in text
    assert "3,500" in text
    assert "70%" in text
    assert "Kenya assisted returnees in Mombasa" in text
    assert "Not yet approved" not in text
    # and the table of contents points at the pages
    assert re.search(r"Institutional outputs\s*\.*\s*\d+", text)


# --- Jobs -------------------------------------------------------------------------------------


def _job(user, strategy, **params):
    values = {
        "strategy_id": strategy.pk,
        "period_from": "2019-Q1",
        "period_to": "2023-Q4",
        "format": "xlsx",
    } | params
    return Job.objects.create(kind=Job.Kind.MEMBERSHIP_UPDATE, created_by=user, params=values)


def test_export_job_reports_progress_then_saves_the_file(world, users):
    # given a queued XLSX export
    job = _job(users["hq"], world["strategy"])
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
    job = _job(users["hq"], world["strategy"], format="iati")
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
    job = _job(users["hq"], world["strategy"], format="csv")
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
    job = job_run(job=_job(users["hq"], world["strategy"], **params))
    job.refresh_from_db()
    assert job.status == "failed"
    assert message in job.error
    assert not job.result_file


def test_export_job_fails_then_succeeds_on_retry(
    strategy, users, django_capture_on_commit_callbacks
):
    # given an export asked for before the periods existed: it fails
    job = job_run(job=_job(users["hq"], strategy, format="csv"))
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
    job = _job(users["hq"], world["strategy"])
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
    done = job_run(job=_job(users["hq"], world["strategy"], format="csv"))
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
    job = _job(users["hq"], world["strategy"])
    Job.objects.filter(pk=job.pk).update(status="running", progress=40, message="Rendering")
    fragment = client.get(reverse("reporting:export_job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert 'aria-valuenow="40"' in fragment
    assert "Rendering" in fragment


def test_export_failure_is_shown_and_can_be_retried_from_the_page(
    client, strategy, users, django_capture_on_commit_callbacks
):
    # given an export that failed because the periods did not exist yet
    job = job_run(job=_job(users["hq"], strategy, format="pdf"))
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
    job = _job(users["hq"], world["strategy"])
    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 404


# --- Command ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "iati", "pdf"])
def test_export_command_writes_the_file(world, tmp_path, fmt):
    from django.core.management import call_command

    output = tmp_path / f"update.{fmt}"
    out = io.StringIO()
    call_command(
        "export_membership_update",
        "--from",
        "2019-Q1",
        "--to",
        "2023-Q4",
        "--format",
        fmt,
        "--output",
        str(output),
        stdout=out,
    )
    assert output.stat().st_size > 0
    assert re.search(r"in \d+\.\d+ s", out.getvalue())
    if fmt == "csv":
        assert output.read_text(encoding="utf-8-sig").startswith(",".join(COLUMNS))


def test_export_command_rejects_a_bad_range(world, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="after it ends"):
        call_command(
            "export_membership_update",
            "--from",
            "2023-Q4",
            "--to",
            "2019-Q1",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "x.csv"),
        )


def test_exports_agree_with_the_rollup_engine(strategy, periods, number_indicator, kenya, uganda):
    from rollups.services import rollup_rebuild_full

    # given approved updates in 2023 rolled up by the engine
    by_code = {p.code: p for p in periods}
    for office, code, value in [(kenya, "2023-Q1", 100), (uganda, "2023-Q2", 50)]:
        UpdateFactory(
            indicator=number_indicator,
            office=office,
            period=by_code[code],
            status="approved",
            value=Decimal(value),
        )
    rollup_rebuild_full(strategy=strategy)
    engine = Rollup.objects.get(
        indicator=number_indicator, scope="global", span="ytd", period=by_code["2023-Q4"]
    )
    # when the 2023 update is exported
    update = membership_update_build(
        strategy=strategy, period_from=by_code["2023-Q1"], period_to=by_code["2023-Q4"]
    )
    book = load_workbook(io.BytesIO(membership_update_xlsx(update=update)))
    # then the XLSX shows the engine's figure, which is the sum of the approved values
    actuals = {r[1]: r[10] for r in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert engine.actual == Decimal("150")
    assert actuals["A.i.1"] == 150
