"""Totals of the resource mobilization plan against sums worked out by hand."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from plans.models import FinancialResource
from plans.selectors import (
    financial_grand_total,
    financial_resource_list,
    financial_totals,
    human_grand_total,
    human_resource_list,
    human_totals,
)
from tests.factories import DeliverableFactory, OutcomeFactory, StrategyFactory

pytestmark = pytest.mark.django_db
Source = FinancialResource.Source


@pytest.fixture
def money(
    make_financial,
    deliverable_ai,
    deliverable_aii,
    deliverable_bi,
    output_a,
    kenya,
    uganda,
    thailand,
    hq_office,
):
    """Six allocations: Kenya and Uganda are in the Nairobi region, Thailand in Bangkok's.

    | # | result | year | source      | office   | planned | mobilized | spent  |
    | 1 | A.i    | 2021 | earmarked   | Kenya    |  100    |   80      |  50    |
    | 2 | A.ii   | 2021 | un_pooled   | Uganda   |  200    |  150      | 100    |
    | 3 | B.i    | 2022 | earmarked   | Thailand |  300    |  300      | 120    |
    | 4 | O.a    | 2021 | unearmarked | (none)   | 1000    |  900      | 400    |
    | 5 | O.a    | 2022 | dfi         | HQ       |   50    |    0      |   0    |
    | 6 | A.i    | 2022 | other       | Kenya    |   10.50 |   10.25   |   0.75 |
    """
    rows = [
        (deliverable_ai, None, 2021, Source.EARMARKED, kenya, "100", "80", "50"),
        (deliverable_aii, None, 2021, Source.UN_POOLED, uganda, "200", "150", "100"),
        (deliverable_bi, None, 2022, Source.EARMARKED, thailand, "300", "300", "120"),
        (None, output_a, 2021, Source.UNEARMARKED, None, "1000", "900", "400"),
        (None, output_a, 2022, Source.DFI, hq_office, "50", "0", "0"),
        (deliverable_ai, None, 2022, Source.OTHER, kenya, "10.50", "10.25", "0.75"),
    ]
    for deliverable, output, year, source, office, planned, mobilized, spent in rows:
        make_financial(
            deliverable=deliverable,
            output=output,
            year=year,
            source=source,
            office=office,
            amount_planned=D(planned),
            amount_mobilized=D(mobilized),
            amount_spent=D(spent),
        )


@pytest.fixture
def staff(make_human, deliverable_ai, deliverable_bi, output_a, kenya, uganda, thailand, hq_office):
    """| A.i 2021 Kenya 1.5/1.0 | A.i 2021 Uganda 0.5/0.5 | B.i 2022 Thailand 2/1.25 |
    | O.a 2021 HQ 3/2.5 |"""
    make_human(
        deliverable=deliverable_ai, year=2021, office=kenya, fte_planned=D("1.5"), fte_actual=D("1")
    )
    make_human(
        deliverable=deliverable_ai,
        year=2021,
        office=uganda,
        fte_planned=D("0.5"),
        fte_actual=D("0.5"),
    )
    make_human(
        deliverable=deliverable_bi,
        year=2022,
        office=thailand,
        fte_planned=D("2"),
        fte_actual=D("1.25"),
    )
    make_human(
        output=output_a, year=2021, office=hq_office, fte_planned=D("3"), fte_actual=D("2.5")
    )


def _figures(rows: list[dict], *keys: str) -> dict:
    return {row["key"]: tuple(row[k] for k in keys) for row in rows}


MONEY = ("planned", "mobilized", "spent")


def test_financial_totals_by_outcome(strategy, money):
    rows = financial_totals(resources=financial_resource_list(strategy=strategy), by="outcome")

    assert [row["key"] for row in rows] == ["a", "b", "_outputs"]
    assert _figures(rows, *MONEY) == {
        "a": (D("310.50"), D("240.25"), D("150.75")),
        "b": (D("300.00"), D("300.00"), D("120.00")),
        "_outputs": (D("1050.00"), D("900.00"), D("400.00")),
    }
    assert rows[-1]["label"] == "Institutional outputs"


def test_financial_totals_by_region(strategy, money):
    rows = financial_totals(resources=financial_resource_list(strategy=strategy), by="region")

    # regions by name, then headquarters, then allocations without an office
    assert [row["key"] for row in rows] == ["bangkok", "nairobi", "_hq", "_global"]
    assert _figures(rows, *MONEY) == {
        "bangkok": (D("300"), D("300"), D("120")),
        "nairobi": (D("310.50"), D("240.25"), D("150.75")),
        "_hq": (D("50"), D("0"), D("0")),
        "_global": (D("1000"), D("900"), D("400")),
    }


def test_financial_totals_by_source(strategy, money):
    rows = financial_totals(resources=financial_resource_list(strategy=strategy), by="source")

    assert [row["key"] for row in rows] == ["unearmarked", "earmarked", "un_pooled", "dfi", "other"]
    assert _figures(rows, *MONEY) == {
        "unearmarked": (D("1000"), D("900"), D("400")),
        "earmarked": (D("400"), D("380"), D("170")),
        "un_pooled": (D("200"), D("150"), D("100")),
        "dfi": (D("50"), D("0"), D("0")),
        "other": (D("10.50"), D("10.25"), D("0.75")),
    }


def test_financial_totals_by_year_and_grand_total(strategy, money):
    resources = financial_resource_list(strategy=strategy)

    rows = financial_totals(resources=resources, by="year")

    assert _figures(rows, *MONEY) == {
        2021: (D("1300"), D("1130"), D("550")),
        2022: (D("360.50"), D("310.25"), D("120.75")),
    }
    assert financial_grand_total(resources=resources) == {
        "planned": D("1660.50"),
        "mobilized": D("1440.25"),
        "spent": D("670.75"),
    }


def test_financial_totals_leave_out_other_strategies(strategy, money, kenya, make_financial):
    other = StrategyFactory(code="next", start_year=2024, end_year=2030)
    deliverable = DeliverableFactory(outcome=OutcomeFactory(strategy=other, code="a"))
    make_financial(strategy=other, deliverable=deliverable, year=2024, amount_planned=D("999"))

    total = financial_grand_total(resources=financial_resource_list(strategy=strategy))

    assert total["planned"] == D("1660.50")


def test_financial_totals_of_nothing_are_empty(strategy):
    resources = financial_resource_list(strategy=strategy)

    assert financial_totals(resources=resources, by="region") == []
    assert financial_grand_total(resources=resources) == {
        "planned": D("0"),
        "mobilized": D("0"),
        "spent": D("0"),
    }


def test_human_totals_by_outcome_region_and_overall(strategy, staff):
    resources = human_resource_list(strategy=strategy)

    by_outcome = human_totals(resources=resources, by="outcome")
    by_region = human_totals(resources=resources, by="region")

    assert _figures(by_outcome, "planned", "actual") == {
        "a": (D("2"), D("1.5")),
        "b": (D("2"), D("1.25")),
        "_outputs": (D("3"), D("2.5")),
    }
    assert _figures(by_region, "planned", "actual") == {
        "bangkok": (D("2"), D("1.25")),
        "nairobi": (D("2"), D("1.5")),
        "_hq": (D("3"), D("2.5")),
    }
    assert human_grand_total(resources=resources) == {"planned": D("7"), "actual": D("5.25")}


def test_human_totals_have_no_source(strategy):
    with pytest.raises(ValueError, match="funding source"):
        human_totals(resources=human_resource_list(strategy=strategy), by="source")


def test_resources_page_totals_follow_filters(client, strategy, users, money, staff, nairobi):
    client.force_login(users["steering"])

    page = client.get(reverse("plans:resources"), {"year": 2021, "region": nairobi.pk})

    assert page.status_code == 200
    financial = page.context["financial"]
    assert financial["total"] == {"planned": D("300"), "mobilized": D("230"), "spent": D("150")}
    assert _figures(financial["by_source"], *MONEY) == {
        "earmarked": (D("100"), D("80"), D("50")),
        "un_pooled": (D("200"), D("150"), D("100")),
    }
    assert page.context["human"]["total"] == {"planned": D("2"), "actual": D("1.5")}
    # the chart's numbers are those of the table beside it
    chart = page.context["chart"]
    assert chart["labels"] == ["2021"]
    assert [d["data"] for d in chart["datasets"]] == [[300.0], [230.0], [150.0]]


def test_resources_page_source_filter_leaves_human_resources_alone(
    client, strategy, users, money, staff
):
    client.force_login(users["field"])

    page = client.get(reverse("plans:resources"), {"source": "earmarked"})

    assert page.context["financial"]["total"]["planned"] == D("400")
    assert page.context["human"]["total"]["planned"] == D("7")
    assert b"does not apply to human resources" in page.content


def test_resources_api_summary_matches_hand_sums(api, strategy, users, money, staff, bangkok):
    response = api(users["reviewer"]).get("/api/v1/resources/", {"year": 2022})

    assert response.status_code == 200
    body = response.json()
    assert body["financial"]["total"] == {
        "planned": "360.50",
        "mobilized": "310.25",
        "spent": "120.75",
    }
    assert {r["key"]: r["planned"] for r in body["financial"]["by_region"]} == {
        "bangkok": "300.00",
        "nairobi": "10.50",
        "_hq": "50.00",
    }
    assert {r["key"]: r["planned"] for r in body["financial"]["by_source"]} == {
        "earmarked": "300.00",
        "dfi": "50.00",
        "other": "10.50",
    }
    assert body["human"]["total"] == {"planned": "2.00", "actual": "1.25"}
    assert body["human_url"].endswith("/api/v1/resources/human/")

    by_region = api(users["reviewer"]).get("/api/v1/resources/", {"region": bangkok.pk}).json()
    assert by_region["financial"]["total"]["planned"] == "300.00"
