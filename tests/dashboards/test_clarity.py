"""Dashboards say what their figures mean: a yes/no figure is a share of reporting offices (with
the count beside) and its chart plots that share under its target; a period still open is
marked and has no verdict; the office filter shows the office's own figures; numbers follow the
page's language; a result shows its band distribution and why it has its band."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from core.formatting import number_display, percent_display
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
def yes_no_world(strategy, periods, kenya, uganda, thailand, nairobi):
    """A yes/no indicator (A.ii.4, baseline 30%, target 65% of offices) assigned to 4 offices;
    in 2023-Q3 3 of 4 answer yes (75%); 2023-Q4 is open with 1 office reported (no)."""
    rwanda = OfficeFactory(code="co-rw", name="Rwanda", iso_code="RW", region=nairobi)
    indicator = IndicatorFactory(
        deliverable=strategy.outcome_set.get(code="a").deliverables.get(code="ii"),
        code="A.ii.4",
        name="Offices with a migration policy",
        measure="yes_no",
        cumulative=False,
        baseline_value=D("30"),
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=indicator, year=year, value=D("65"))
    assign(indicator, kenya, uganda, thailand, rwanda)
    by_code = {p.code: p for p in periods}
    for office, answer in ((kenya, "1"), (uganda, "1"), (thailand, "1"), (rwanda, "0")):
        UpdateFactory(
            indicator=indicator,
            office=office,
            period=by_code["2023-Q3"],
            status="approved",
            value=D(answer),
        )
    UpdateFactory(
        indicator=indicator, office=kenya, period=by_code["2023-Q4"], status="approved", value=D(0)
    )
    rollup_rebuild_full(strategy=strategy)
    close_periods(strategy, periods)
    ReportingPeriod.objects.filter(pk=by_code["2023-Q4"].pk).update(state=State.OPEN)
    by_code["2023-Q4"].state = State.OPEN
    return {"indicator": indicator, "periods": by_code, "rwanda": rwanda}


def _page(client, user, name, *args, **params):
    client.force_login(user)
    response = client.get(reverse(f"reporting:{name}", args=args), params)
    assert response.status_code == 200
    return response


def test_yes_no_headline_and_chart_are_shares_of_reporting_offices(client, yes_no_world, users):
    # when the steering committee opens the yes/no indicator at the last complete quarter
    indicator = yes_no_world["indicator"]
    response = _page(
        client,
        users["steering"],
        "dashboard_indicator",
        indicator.pk,
        **{"from": "2023-Q1", "to": "2023-Q3"},
    )
    html = response.content.decode()
    detail = response.context["detail"]
    # then the headline is the share of reporting offices, with the count beside, against a
    # target and baseline that are shares too
    assert detail.headline.row.value == D("75")
    assert '<span id="headline-actual">75.0% of reporting offices</span>' in html
    assert "3 of 4 offices answered yes" in html
    assert 'id="headline-target">65.0%<' in html
    assert 'id="headline-baseline">30.0%<' in html
    # and the chart plots that share under a target line in the same unit
    chart = detail.trend["chart"]
    actual, target = chart["datasets"][0], chart["datasets"][-1]
    assert actual["data"][chart["labels"].index("2023-Q3")] == 75.0
    assert target["data"][chart["labels"].index("2023-Q3")] == 65.0
    assert chart["percent"] is True
    assert "reporting offices" in chart["yLabel"]


def test_open_period_is_marked_and_has_no_verdict(client, yes_no_world, users):
    # when the reader picks 2023-Q4, still open, where 1 of 4 offices reported "no"
    indicator = yes_no_world["indicator"]
    response = _page(
        client,
        users["steering"],
        "dashboard_indicator",
        indicator.pk,
        **{"from": "2023-Q4", "to": "2023-Q4"},
    )
    html = response.content.decode()
    headline = response.context["detail"].headline
    # then its status reads "reporting in progress", never off track, and the period is marked
    assert headline.row.verdict == "off_track"  # what the stored row alone would say
    assert headline.band == "in_progress"
    assert "2023-Q4 open — 1 of 4 offices reported" in html
    assert "Reporting in progress" in html
    assert "Off track" not in html.split('id="trend-table"')[0]
    assert 'id="period-state"' in html
    # and the chart marks the open period's point (drawn hollow)
    chart = response.context["detail"].trend["chart"]
    assert chart["open"][chart["labels"].index("2023-Q4")] is True
    assert chart["open"] == [True]
    # and over the strategy to date the mark still counts the offices reported in 2023-Q4
    longer = _page(client, users["steering"], "dashboard_indicator", indicator.pk, to="2023-Q4")
    assert longer.context["detail"].headline.band == "in_progress"
    assert "2023-Q4 open — 1 of 4 offices reported" in longer.content.decode()
    # and the outcome's card has no verdict either
    overview = _page(client, users["steering"], "dashboard", to="2023-Q4")
    card = next(c for c in overview.context["overview"].outcomes if c.code == "a")
    assert card.band == "in_progress"


def test_last_complete_period_carries_the_headline_by_default(client, yes_no_world, users):
    # when the overview opens without a chosen range, 2023-Q4 being open
    response = _page(client, users["steering"], "dashboard")
    filters = response.context["filters"]
    # then the headline is 2023-Q3, the last complete period, and the page says why
    assert filters.period_to.code == "2023-Q3"
    assert filters.open_latest.code == "2023-Q4"
    html = response.content.decode()
    assert "the last complete period; 2023-Q4 is open" in html
    assert "to=2023-Q4" in html


def test_office_filter_shows_the_office_own_figures(client, yes_no_world, users, kenya):
    # when the reader opens the indicator for Kenya
    indicator = yes_no_world["indicator"]
    response = _page(
        client,
        users["steering"],
        "dashboard_indicator",
        indicator.pk,
        to="2023-Q3",
        office=kenya.code,
    )
    detail = response.context["detail"]
    # then the headline and the trend are Kenya's own (1 of 1 office answered yes), not its
    # region's or the world's
    assert detail.office == kenya
    assert detail.headline.row.office_id == kenya.pk
    assert detail.headline.row.value == D("100")
    html = response.content.decode()
    assert "(the office&#x27;s own figures)" in html or "(the office's own figures)" in html
    assert "1 of 1 office answered yes" in html
    chart = detail.trend["chart"]
    assert chart["datasets"][0]["data"][chart["labels"].index("2023-Q3")] == 100.0


def test_regions_show_shares_of_the_global_figure(client, yes_no_world, users, nairobi):
    # when the indicator page lists the regions (no regional target)
    indicator = yes_no_world["indicator"]
    response = _page(client, users["steering"], "dashboard_indicator", indicator.pk, to="2023-Q3")
    regions = {r["region"].code: r for r in response.context["detail"].regions}
    # then Nairobi holds 2 of the 3 "yes" and 3 of the 4 reporting offices
    assert round(regions["nairobi"]["of_actual"], 1) == D("66.7")
    assert regions["nairobi"]["of_offices"] == D("75")
    html = response.content.decode()
    assert "66.7%" in html


def test_result_shows_its_band_distribution_and_why(client, yes_no_world, users):
    # when the overview shows outcome (a) at 2023-Q3
    response = _page(client, users["steering"], "dashboard", to="2023-Q3")
    card = next(c for c in response.context["overview"].outcomes if c.code == "a")
    # then it says how many of its indicators are in each band, and why it has its band
    assert sum(b["n"] for b in card.bands) == card.indicators
    assert "Indicators:" in card.explanation
    html = response.content.decode()
    assert 'class="band-bar"' in html
    assert card.explanation.split(" (")[0] in html


@pytest.mark.parametrize(
    ("language", "number", "percent"),
    [("en", "1,234,568", "70.6%"), ("fr", "1\xa0234\xa0568", "70,6\xa0%")],
)
def test_numbers_follow_the_language(language, number, percent):
    with translation.override(language):
        assert number_display(D("1234567.8")) == number
        assert percent_display(D("70.5882")) == percent
        assert number_display(D("1234.5"), kind="percentage") == (
            "1,234.5" if language == "en" else "1\xa0234,5"
        )


def test_french_page_writes_french_numbers(client, yes_no_world, users):
    # when a French reader opens the yes/no indicator
    indicator = yes_no_world["indicator"]
    client.force_login(users["steering"])
    response = client.get(
        reverse("reporting:dashboard_indicator", args=[indicator.pk]),
        {"to": "2023-Q3"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    # then its share is written the French way
    assert "75,0\xa0%" in response.content.decode()


def _map_data(response, map_id):
    import json
    import re

    html = response.content.decode()
    found = re.search(rf'<script id="{map_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no embedded data {map_id}"
    return json.loads(found.group(1))


def test_map_data_covers_every_country_office_with_its_band(client, yes_no_world, users):
    # given every active country office
    from offices.models import Office

    country = Office.objects.filter(kind="country", is_active=True)
    # when the indicator page and the overview are shown at 2023-Q3
    indicator = yes_no_world["indicator"]
    page = _page(client, users["steering"], "dashboard_indicator", indicator.pk, to="2023-Q3")
    data = _map_data(page, "indicator-map")
    # then the indicator map has every country office, with its numeric ISO code, and its band
    by_iso = {c["iso"]: c for c in data["countries"]}
    assert set(by_iso) == set(country.values_list("iso_code", flat=True))
    assert by_iso["KE"]["id"] == "404"
    assert by_iso["KE"]["band"] == "achieved"  # Kenya's own: yes, 100% against 65%
    assert by_iso["RW"]["band"] == "off_track"  # Rwanda's own: no
    assert by_iso["KE"]["region"] == "Nairobi"
    assert data["topology"].endswith("vendor/world-atlas/countries-110m.json")
    assert {item["band"] for item in data["legend"]} >= {"achieved", "off_track", "no_data"}
    # and a table of the same figures sits beside it, reachable by keyboard
    html = page.content.decode()
    assert 'id="indicator-map-table"' in html
    assert 'tabindex="0" role="region"' in html
    # and the overview map covers them too, by completeness of the headline's period
    overview = _map_data(
        _page(client, users["steering"], "dashboard", to="2023-Q3"), "overview-map"
    )
    by_iso = {c["iso"]: c for c in overview["countries"]}
    assert set(by_iso) == set(country.values_list("iso_code", flat=True))
    assert by_iso["RW"]["band"] == "complete"  # its one expected update approved
    # and no script is written inline: data in json_script, code in static files
    import re

    inline = re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", html)
    assert inline == []


def test_what_changed_since_last_quarter_lists_band_moves_newly_off_track_first(
    client, yes_no_world, users, strategy, kenya, uganda
):
    # given a second yes/no indicator of outcome (a): both offices "yes" in Q2, "no" in Q3
    periods = yes_no_world["periods"]
    falling = IndicatorFactory(
        deliverable=strategy.outcome_set.get(code="a").deliverables.get(code="i"),
        code="A.i.9",
        measure="yes_no",
        cumulative=False,
        baseline_value=D("0"),
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=falling, year=year, value=D("50"))
    assign(falling, kenya, uganda)
    for code, answer in (("2023-Q2", "1"), ("2023-Q3", "0")):
        for office in (kenya, uganda):
            UpdateFactory(
                indicator=falling,
                office=office,
                period=periods[code],
                status="approved",
                value=D(answer),
            )
    rollup_rebuild_full(strategy=strategy)
    # when the overview shows 2023-Q3
    response = _page(client, users["steering"], "dashboard", to="2023-Q3")
    changes = response.context["overview"].changes
    # then outcome (a) lists its band moves since 2023-Q2, the newly off-track one first
    assert changes["previous"].code == "2023-Q2"
    outcome_a = next(c for c in changes["outcomes"] if c["outcome"].code == "a")
    moves = [(m.indicator.code, m.before, m.after) for m in outcome_a["moves"]]
    assert moves[0] == ("A.i.9", "achieved", "off_track")
    assert ("A.ii.4", "no_data", "achieved") in moves
    html = response.content.decode()
    assert "What changed since 2023-Q2" in html
    assert "newly off track" in html
