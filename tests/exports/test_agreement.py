"""The membership update (PDF, XLSX, CSV) carries what the dashboards show for the same range:
every indicator's headline figure and status, and each result's "n of m indicators with data",
band and explanation; a yes/no figure is a share of reporting offices; an open period is marked
and has no verdict; the CSV adds period_state, offices_expected and share at the end."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exports.services.csv import COLUMNS, membership_update_csv
from exports.services.membership import membership_update_build
from exports.services.pdf import membership_update_html
from exports.services.xlsx import membership_update_xlsx
from reporting.models import ReportingPeriod
from rollups.services import rollup_rebuild_full
from tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    OfficeFactory,
    UpdateFactory,
    assign,
    close_periods,
)

State = ReportingPeriod.State


@pytest.fixture
def engine(strategy, periods, number_indicator, percentage_indicator, kenya, uganda, thailand):
    """Figures computed by the roll-up engine for a number (A.i.1), a percentage (O.a.1) and a
    yes/no indicator (A.ii.4, target 65% of offices) in 2023; 2023-Q4 is open, 1 of 4 offices
    reported for A.ii.4 there."""
    nairobi = kenya.region
    rwanda = OfficeFactory(code="co-rw", name="Rwanda", iso_code="RW", region=nairobi)
    yes_no = IndicatorFactory(
        deliverable=strategy.outcome_set.get(code="a").deliverables.get(code="ii"),
        code="A.ii.4",
        measure="yes_no",
        cumulative=False,
        baseline_value=D("30"),
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=yes_no, year=year, value=D("65"))
    assign(yes_no, kenya, uganda, thailand, rwanda)
    by_code = {p.code: p for p in periods}

    def approve(indicator, office, code, value, **values):
        UpdateFactory(
            indicator=indicator,
            office=office,
            period=by_code[code],
            status="approved",
            value=D(value),
            **values,
        )

    for office, answer in ((kenya, "1"), (uganda, "1"), (thailand, "1"), (rwanda, "0")):
        approve(yes_no, office, "2023-Q3", answer)
    approve(yes_no, kenya, "2023-Q4", "0")
    approve(number_indicator, kenya, "2023-Q1", "400")
    approve(number_indicator, uganda, "2023-Q2", "150")
    approve(number_indicator, thailand, "2023-Q3", "90")
    approve(percentage_indicator, kenya, "2023-Q2", "50", numerator=D("5"), denominator=D("10"))
    approve(percentage_indicator, uganda, "2023-Q3", "30", numerator=D("3"), denominator=D("10"))
    rollup_rebuild_full(strategy=strategy)
    close_periods(strategy, periods)
    ReportingPeriod.objects.filter(pk=by_code["2023-Q4"].pk).update(state=State.OPEN)
    by_code["2023-Q4"].state = State.OPEN
    return {"periods": by_code, "yes_no": yes_no}


def _dashboard(client, user, strategy, first, last):
    """Return the dashboards' headline figures and result means for the range."""
    client.force_login(user)
    params = {"from": first, "to": last}
    overview = client.get(reverse("reporting:dashboard"), params).context["overview"]
    found = {}
    for c in overview.outcomes:
        found[f"outcome {c.code}"] = (c.with_data, c.indicators, c.band, c.explanation)
        for d in c.children:
            found[f"deliverable {d.code}"] = (d.with_data, d.indicators, d.band, d.explanation)
    for o in overview.outputs:
        found[f"output {o.code}"] = (o.with_data, o.indicators, o.band, o.explanation)
    for m in overview.markers:
        found[f"marker {m.code}"] = (m.with_data, m.indicators, m.band, m.explanation)
    pages = [("dashboard_outcome", o.pk) for o in strategy.outcome_set.all()]
    pages += [("dashboard_output", o.pk) for o in strategy.institutionaloutput_set.all()]
    for name, pk in pages:
        detail = client.get(reverse(f"reporting:{name}", args=[pk]), params).context["detail"]
        for f in detail.figures:
            found[f"indicator {f.indicator.code}"] = (
                f.row.value if f.row else None,
                f.band,
                f.period_mark,
            )
    return found


def _update(update):
    """Return the membership update's figures, keyed as `_dashboard` keys them."""
    found = {}
    for o in update.outcomes:
        s = o.summary
        found[f"outcome {o.code}"] = (s.n_with_data, s.n_indicators, s.band, s.explanation)
        for d in o.deliverables:
            s = d.summary
            found[f"deliverable {d.code.lower()}"] = (
                s.n_with_data,
                s.n_indicators,
                s.band,
                s.explanation,
            )
    for b in update.outputs:
        s = b.summary
        found[f"output {b.code.removeprefix('O.')}"] = (
            s.n_with_data,
            s.n_indicators,
            s.band,
            s.explanation,
        )
    for m in update.markers:
        s = m.summary
        found[f"marker {m.code}"] = (s.n_with_data, s.n_indicators, s.band, s.explanation)
    for row in update.indicators:
        if row.counted:
            found[f"indicator {row.code}"] = (row.value, row.status, row.period_mark)
    return found


def _csv_rows(update) -> list[dict[str, str]]:
    text = membership_update_csv(update=update).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("first", "last"),
    [("2023-Q1", "2023-Q3"), ("2023-Q4", "2023-Q4"), ("2019-Q1", "2023-Q4")],
)
def test_dashboard_and_pdf_xlsx_csv_agree_on_every_headline(
    client, engine, users, strategy, first, last
):
    # given the same range on the dashboards and in the membership update
    periods = engine["periods"]
    update = membership_update_build(
        strategy=strategy, period_from=periods[first], period_to=periods[last]
    )
    dashboard = _dashboard(client, users["steering"], strategy, first, last)
    # then every headline, status, period mark and "n of m indicators with data" agrees
    assert dashboard == _update(update)
    # and the comparison is not vacuous
    assert any(v[0] for k, v in dashboard.items() if k.startswith("outcome"))

    # and the CSV's rows at the headline's period and span carry the same figures
    rows = {
        r["indicator_code"]: r
        for r in _csv_rows(update)
        if r["scope"] == "global" and r["period"] == last and r["span"] == update.span
    }
    for row in update.indicators:
        if not row.counted or row.figure is None:
            continue
        found = rows[row.code]
        assert found["status"] == row.status
        assert D(found["actual"] or "0") == (row.actual or D(0))
        if row.share is not None:
            assert D(found["share"]) == row.share

    # and the XLSX's outcomes sheet has the same "n of m" and band as the dashboard
    book = load_workbook(io.BytesIO(membership_update_xlsx(update=update)))
    outcomes = {r[0]: r for r in book["Outcomes"].iter_rows(min_row=2, values_only=True)}
    for outcome in update.outcomes:
        with_data, total, _band, explanation = dashboard[f"outcome {outcome.code}"]
        xlsx = outcomes[f"({outcome.code})"]
        assert (xlsx[3], xlsx[4], xlsx[5], xlsx[7]) == (
            with_data,
            total,
            outcome.summary.band_label,
            explanation,
        )
    indicators = {r[1]: r for r in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert indicators["A.ii.4"][12] == str(
        next(r for r in update.indicators if r.code == "A.ii.4").status_label
    )

    # and the PDF writes each outcome's "n of m indicators with data" as the dashboard counts it
    html = membership_update_html(update=update)
    for outcome in update.outcomes:
        with_data, total, *_ = dashboard[f"outcome {outcome.code}"]
        assert f"{with_data} of {total} indicators with data" in html


def test_export_yes_no_is_a_share_and_open_period_has_no_verdict(engine, strategy):
    # when the update covers 2023-Q4, still open, where 1 of 4 offices reported "no"
    periods = engine["periods"]
    update = membership_update_build(
        strategy=strategy, period_from=periods["2023-Q4"], period_to=periods["2023-Q4"]
    )
    row = next(r for r in update.indicators if r.code == "A.ii.4")
    # then the yes/no figure is a share of reporting offices, with no verdict, and marked
    assert row.share == D("0")
    assert row.status == "in_progress"
    assert row.figure.verdict == "off_track"
    assert row.period_mark == "2023-Q4 open — 1 of 4 offices reported"
    html = membership_update_html(update=update)
    assert "2023-Q4 open — 1 of 4 offices reported" in html
    assert "0.0% of reporting offices" in html
    assert "2023-Q4 is open: offices are still reporting" in html
    assert re.search(r"status-off_track\">Off track", html) is None
    # and the CSV says so in its new columns, at the end
    assert COLUMNS[-3:] == ["period_state", "offices_expected", "share"]
    rows = [
        r
        for r in _csv_rows(update)
        if r["indicator_code"] == "A.ii.4" and r["scope"] == "global" and r["span"] == "period"
    ]
    (q4,) = rows
    assert (q4["period_state"], q4["offices_expected"], q4["share"], q4["status"]) == (
        "open",
        "4",
        "0",
        "in_progress",
    )
    nairobi = next(
        r
        for r in _csv_rows(update)
        if r["indicator_code"] == "A.ii.4" and r["region_code"] == "nairobi"
    )
    assert nairobi["offices_expected"] == "3"  # Kenya, Uganda, Rwanda
    number = next(r for r in _csv_rows(update) if r["indicator_code"] == "A.i.1")
    assert number["share"] == ""  # shares only for yes/no and ordinal rows
