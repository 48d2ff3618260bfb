"""Dashboards' breakdowns by sex, age and population group: read from the roll-ups for the page's
span and scope (global, region, office), incomplete coverage said in words, the marker pages'
leads, and a bounded number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.selectors.breakdowns import indicator_breakdowns
from dashboards.selectors.filters import dashboard_filters
from outcomes.models import Marker
from rollups.services import rollup_rebuild_full
from tests.factories import AssignmentFactory, IndicatorFactory, OfficeFactory, UpdateFactory

D = Decimal
QUERY_BOUND = 40


def _report(indicator, office, period, value, parts=None, status="approved"):
    return UpdateFactory(
        indicator=indicator,
        office=office,
        period=period,
        status=status,
        value=D(value),
        disaggregations=parts or {},
    )


@pytest.fixture
def people(strategy, kenya, uganda, thailand):
    """A cumulative count broken down by sex and population group, tagged gender and
    inequalities, assigned to Kenya, Uganda and Thailand."""
    deliverable = strategy.outcome_set.get(code="b").deliverables.get(code="ii")
    indicator = IndicatorFactory(
        deliverable=deliverable,
        code="B.ii.7",
        name="Returnees reintegrated",
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=["sex", "population"],
    )
    for office in (kenya, uganda, thailand):
        AssignmentFactory(indicator=indicator, office=office)
    for code in ("gender", "inequalities"):
        Marker.objects.get(strategy=strategy, code=code).indicators.add(indicator)
    return indicator


@pytest.fixture
def reported(people, periods, kenya, uganda, thailand):
    """2023-Q1: Kenya 100 (60 women, 40 men; 100 returnees), Uganda 50 without a breakdown;
    2023-Q2: Thailand 30 (10 women, 20 men). Global 2023 to date: 180, 130 broken down by sex."""
    by_code = {p.code: p for p in periods}
    _report(
        people,
        kenya,
        by_code["2023-Q1"],
        "100",
        {"sex": {"female": 60, "male": 40}, "population": {"returnees": 100}},
    )
    _report(people, uganda, by_code["2023-Q1"], "50")
    _report(people, thailand, by_code["2023-Q2"], "30", {"sex": {"female": 10, "male": 20}})
    _report(people, kenya, by_code["2023-Q3"], "999", {"sex": {"female": 999}}, "submitted")
    rollup_rebuild_full()
    return by_code


def _filters(user, strategy, **params):
    return dashboard_filters(user=user, strategy=strategy, params=params)


def test_indicator_breakdowns_global_year_to_date_with_coverage(users, strategy, people, reported):
    # given the year 2023 to its second quarter, globally
    filters = _filters(users["steering"], strategy, **{"from": "2023-Q1", "to": "2023-Q2"})
    # when the indicator's breakdowns are read
    found = indicator_breakdowns(filters=filters, indicator=people)
    # then the sex breakdown adds Kenya's and Thailand's parts, and says what it covers
    sex = found.sections[0].dim
    assert sex.dimension == "sex"
    assert (sex.total, sex.covered_total) == (D("180"), D("130"))
    assert (sex.covered_updates, sex.updates) == (2, 3)
    assert {p.category: p.value for p in sex.parts if p.value} == {"female": 70, "male": 60}
    assert not sex.complete
    assert sex.uncovered == D("50")
    # and the population breakdown covers Kenya's 100 only
    population = found.sections[1].dim
    assert (population.covered_total, population.part("returnees").value) == (100, 100)
    # and each region shows its own: Nairobi 100 of 150 broken down, Bangkok all of its 30
    regions = {r.region.code: r.dim for r in found.sections[0].regions}
    assert (regions["nairobi"].covered_total, regions["nairobi"].total) == (100, 150)
    assert regions["bangkok"].complete
    assert regions["dakar"] is None
    # and the trend has one entry per period of the range, per quarter
    assert [t["period"] for t in found.sections[0].trend_table] == ["2023-Q1", "2023-Q2"]
    assert found.sections[0].trend_table[0]["parts"][:2] == [D("60"), D("40")]


def test_indicator_breakdowns_of_a_region_and_an_office(
    users, strategy, people, reported, bangkok, thailand
):
    # given the Bangkok region
    filters = _filters(
        users["steering"], strategy, **{"from": "2023-Q1", "to": "2023-Q2", "region": "bangkok"}
    )
    # then its breakdown is Thailand's only, complete
    region = indicator_breakdowns(filters=filters, indicator=people).sections[0].dim
    assert (region.total, region.covered_total, region.complete) == (D("30"), D("30"), True)
    # and an office's own breakdown is computed on request
    office = indicator_breakdowns(filters=filters, indicator=people, office=thailand)
    assert office.where == "Thailand" or office.scope == "office"
    assert office.sections[0].dim.part("female").value == D("10")


def test_indicator_page_shows_breakdown_table_and_incomplete_coverage(
    client, users, people, reported
):
    # when the steering committee opens the indicator for 2023 to date
    client.force_login(users["steering"])
    response = client.get(
        reverse("reporting:dashboard_indicator", args=[people.pk]),
        {"from": "2023-Q1", "to": "2023-Q2"},
    )
    # then the sex breakdown is shown with its table, chart data and coverage in words
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="breakdown-sex-table"' in body
    assert 'id="breakdown-sex-data"' in body
    assert 'id="breakdown-sex-regions-table"' in body
    assert "Incomplete breakdown:" in body
    assert "of which 130 (72%) broken down by sex" in body
    assert "Not broken down" in body
    assert "js/breakdowns.js" in body
    # and no inline script (data comes through json_script)
    assert "<script>" not in body


def test_indicator_page_office_breakdown(client, users, people, reported, thailand):
    client.force_login(users["steering"])
    response = client.get(
        reverse("reporting:dashboard_indicator", args=[people.pk]),
        {"from": "2023-Q1", "to": "2023-Q2", "office": thailand.code},
    )
    body = response.content.decode()
    assert "Who benefits — Thailand" in body
    assert "30 in all, all of it broken down by sex" in body


def test_indicator_without_dimensions_has_no_breakdown_section(
    client, users, percentage_indicator, reported
):
    client.force_login(users["steering"])
    response = client.get(reverse("reporting:dashboard_indicator", args=[percentage_indicator.pk]))
    assert 'id="breakdowns"' not in response.content.decode()


def test_marker_page_leads_with_share_of_women_and_population_groups(
    client, users, people, reported
):
    # when the markers page is opened for 2023 to date
    client.force_login(users["steering"])
    response = client.get(
        reverse("reporting:dashboard_markers"), {"from": "2023-Q1", "to": "2023-Q2"}
    )
    body = response.content.decode()
    # then the gender marker leads with the share of women and girls (70 of the 130 broken down)
    leads = {lead.code: lead for lead in response.context["marker_breakdowns"]}
    assert leads["gender"].women_share.quantize(D("0.1")) == D("53.8")
    assert "Women and girls: 53.8% of the people broken down by sex" in body
    # and the inequalities marker with population groups and age
    assert [d.dimension for d in leads["inequalities"].dimensions] == ["population", "age"]
    assert 'id="marker-inequalities-population"' in body
    assert "Incomplete breakdown:" in body


@pytest.mark.parametrize("name", ["indicator", "markers", "office"])
def test_breakdown_pages_run_bounded_queries(
    client, users, strategy, people, reported, thailand, kenya, name, django_assert_max_num_queries
):
    client.force_login(users["steering"])
    if name == "markers":
        url, params = reverse("reporting:dashboard_markers"), {"from": "2022-Q1"}
    else:
        url = reverse("reporting:dashboard_indicator", args=[people.pk])
        params = {"from": "2022-Q1", **({"office": thailand.code} if name == "office" else {})}
    with django_assert_max_num_queries(QUERY_BOUND) as small:
        assert client.get(url, params).status_code == 200
    # when more offices report broken-down figures
    for n in range(6):
        office = OfficeFactory(
            code=f"co-x{n}", name=f"X{n}", iso_code=f"X{'ABCDEF'[n]}", region=kenya.region
        )
        AssignmentFactory(indicator=people, office=office)
        for code in ("2022-Q1", "2022-Q2", "2023-Q1"):
            _report(people, office, reported[code], "10", {"sex": {"female": 4, "male": 6}})
    rollup_rebuild_full()
    with django_assert_max_num_queries(QUERY_BOUND) as large:
        assert client.get(url, params).status_code == 200
    # then the count does not grow
    assert len(large.captured_queries) == len(small.captured_queries)
