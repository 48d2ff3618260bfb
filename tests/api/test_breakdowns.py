"""The breakdowns API (/api/v1/breakdowns/): the roll-ups' breakdowns by sex, age and population
group with the totals' filters and visibility, the coverage of each dimension, a `dimension`
filter, 400 on a bad value, and a bounded number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rollups.models import Rollup
from rollups.services import rollup_rebuild_full
from tests.api.conftest import ids
from tests.factories import AssignmentFactory, IndicatorFactory, OfficeFactory, UpdateFactory

URL = "/api/v1/breakdowns/"
D = Decimal


@pytest.fixture
def people(strategy, kenya, uganda, thailand):
    """A cumulative count broken down by sex and age (number_indicator asks for sex only)."""
    deliverable = strategy.outcome_set.get(code="b").deliverables.get(code="i")
    indicator = IndicatorFactory(
        deliverable=deliverable, code="B.i.9", measure="number", disaggregations=["sex", "age"]
    )
    for office in (kenya, uganda, thailand):
        AssignmentFactory(indicator=indicator, office=office)
    return indicator


@pytest.fixture
def rolled(
    strategy, periods, people, number_indicator, percentage_indicator, kenya, uganda, thailand
):
    by_code = {p.code: p for p in periods}
    q1 = by_code["2023-Q1"]
    UpdateFactory(
        indicator=people,
        office=kenya,
        period=q1,
        status="approved",
        value=D("100"),
        disaggregations={"sex": {"female": 60, "male": 40}, "age": {"0_17": 30, "18_59": 70}},
    )
    UpdateFactory(indicator=people, office=uganda, period=q1, status="approved", value=D("50"))
    UpdateFactory(
        indicator=people,
        office=thailand,
        period=q1,
        status="approved",
        value=D("20"),
        disaggregations={"sex": {"female": 5, "male": 15}},
    )
    UpdateFactory(
        indicator=number_indicator,
        office=kenya,
        period=q1,
        status="approved",
        value=D("8"),
        disaggregations={"sex": {"female": 8}},
    )
    # a percentage without dimensions has no breakdown rows
    UpdateFactory(
        indicator=percentage_indicator,
        office=kenya,
        period=q1,
        status="approved",
        value=D("50"),
        numerator=D("1"),
        denominator=D("2"),
    )
    rollup_rebuild_full(strategy=strategy)
    return by_code


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_breakdowns_list_global_quarter_with_coverage(client_for, people, rolled):
    # when HQ asks for the global figure of 2023-Q1
    rows = _rows(
        client_for("hq").get(
            URL,
            {
                "indicator": people.pk,
                "scope": "global",
                "span": "period",
                "period": rolled["2023-Q1"].pk,
            },
        )
    )
    # then one row, each dimension with its parts and coverage
    (row,) = rows
    assert (row["actual"], row["updates_count"]) == ("170.0000", 3)
    sex, age = row["dimensions"]
    assert sex["dimension"] == "sex"
    assert {p["category"]: p["value"] for p in sex["parts"]} == {
        "female": "65.0000",
        "male": "55.0000",
        "other_unknown": None,
    }
    assert (sex["total"], sex["covered_total"], sex["covered_updates"]) == (
        "170.0000",
        "120.0000",
        2,
    )
    assert sex["complete"] is False
    assert age["covered_total"] == "100.0000"
    assert age["parts"][0]["share_of_covered"] == "0.300000"


def test_breakdowns_filters_like_the_totals(client_for, people, number_indicator, rolled, nairobi):
    hq = client_for("hq")
    q1 = rolled["2023-Q1"]
    # the same rows as the roll-ups list for the same filters, restricted to breakdown indicators
    for params in (
        {"scope": "region", "region": nairobi.pk},
        {"span": "ytd", "period_from": "2023-Q1", "period_to": "2023-Q1"},
        {"indicator": people.pk, "period": q1.pk},
    ):
        breakdowns = ids(hq.get(URL, params))
        totals = Rollup.objects.filter(pk__in=ids(hq.get("/api/v1/rollups/", params)))
        assert breakdowns == {r.pk for r in totals if r.indicator.disaggregations}
        assert breakdowns
    # the region's breakdown is its offices' own (Kenya and Uganda)
    (nairobi_q1,) = _rows(
        hq.get(
            URL, {"indicator": people.pk, "region": nairobi.pk, "span": "period", "period": q1.pk}
        )
    )
    assert nairobi_q1["dimensions"][0]["covered_total"] == "100.0000"
    # a dimension narrows the indicators and the dimensions listed
    by_age = _rows(hq.get(URL, {"dimension": "age", "period": q1.pk, "span": "period"}))
    assert {r["indicator"] for r in by_age} == {people.pk}
    assert all([d["dimension"] for d in r["dimensions"]] == ["age"] for r in by_age)
    by_sex = _rows(hq.get(URL, {"dimension": "sex", "period": q1.pk, "scope": "global"}))
    assert {r["indicator"] for r in by_sex} == {people.pk, number_indicator.pk}


def test_breakdowns_follow_the_rollups_visibility(client_for, people, rolled, nairobi, bangkok):
    # a Nairobi reviewer sees the global and Nairobi's breakdowns, never Bangkok's
    rows = _rows(client_for("reviewer").get(URL, {"indicator": people.pk, "page_size": 200}))
    scopes = {(r["scope"], r["region"]) for r in rows}
    assert ("region", nairobi.pk) in scopes
    assert ("region", bangkok.pk) not in scopes
    assert client_for(None).get(URL).status_code in (401, 403)


@pytest.mark.parametrize("params", [{"dimension": "income"}, {"scope": "planet"}, {"period": "x"}])
def test_breakdowns_bad_filter_is_400(client_for, rolled, params):
    assert client_for("hq").get(URL, params).status_code == 400


def test_breakdowns_list_query_count_does_not_grow(client_for, strategy, people, rolled, nairobi):
    hq = client_for("hq")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert hq.get(URL, {"page_size": 100}).status_code == 200
        return len(queries)

    count()  # the first request also reads what is cached afterwards (the token's user, roles)
    small = count()
    for n in range(4):
        office = OfficeFactory(
            code=f"co-y{n}", name=f"Y{n}", iso_code=f"X{'GHIJ'[n]}", region=nairobi
        )
        AssignmentFactory(indicator=people, office=office)
        UpdateFactory(
            indicator=people,
            office=office,
            period=rolled["2022-Q3"],
            status="approved",
            value=D("10"),
            disaggregations={"sex": {"female": 10}},
        )
    rollup_rebuild_full(strategy=strategy)
    assert count() == small
    assert small <= 10


def test_breakdowns_documented_in_the_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    doc = SchemaGenerator().get_schema(request=None, public=True)
    operation = doc["paths"]["/api/v1/breakdowns/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"dimension", "indicator", "scope", "region", "span", "period_from"} <= names
    assert {"401", "403", "400", "404"} <= set(operation["responses"])
    assert "DimensionBreakdown" in doc["components"]["schemas"]
    assert "/api/v1/breakdowns/{id}/" in doc["paths"]
