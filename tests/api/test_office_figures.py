"""/api/v1/office-figures/: an office's own figures, computed from its updates on request by the
roll-ups' rules (offices are never stored as roll-up rows), within what the caller may see."""

from decimal import Decimal as D

import pytest

from tests.factories import UpdateFactory

URL = "/api/v1/office-figures/"


@pytest.fixture
def kenya_reports(number_indicator, kenya, uganda, periods):
    """A cumulative count: Kenya 10 in 2023-Q1 and 5 in 2023-Q2 (approved), 7 in 2023-Q3
    (submitted); Uganda 4 in 2023-Q2 (approved)."""
    q1, q2, q3 = periods[-4], periods[-3], periods[-2]
    for period, value, status in ((q1, "10", "approved"), (q2, "5", "approved"),
                                  (q3, "7", "submitted")):  # fmt: skip
        UpdateFactory(
            indicator=number_indicator, office=kenya, period=period, status=status,
            value=D(value), disaggregations={"sex": {"female": int(value), "male": 0}},
        )  # fmt: skip
    UpdateFactory(
        indicator=number_indicator, office=uganda, period=q2, status="approved", value=D("4"),
        disaggregations={"sex": {"female": 1, "male": 3}},
    )  # fmt: skip
    return q1, q2, q3


def _rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_office_figures_of_one_office_follow_the_rollup_rules(
    client_for, kenya, number_indicator, kenya_reports
):
    _q1, _q2, q3 = kenya_reports
    rows = _rows(
        client_for("field").get(
            f"{URL}?office={kenya.pk}&indicator={number_indicator.pk}&period={q3.pk}"
        )
    )
    by_span = {r["span"]: r for r in rows}
    # strategy to date: 10 + 5 approved; provisional adds the submitted 7
    std = by_span["std"]
    assert (std["actual"], std["provisional_actual"], std["updates_count"]) == (
        "15.0000", "22.0000", 2,
    )  # fmt: skip
    assert std["breakdown"] == {"sex": {"female": "15.0000", "male": "0.0000",
                                        "other_unknown": None}}  # fmt: skip
    assert std["coverage"] == {"sex": {"updates": 2, "total": "15.0000"}}
    # the quarter itself has only the submitted figure: no approved data yet
    assert by_span["period"]["actual"] is None
    assert by_span["period"]["status"] == "no_data"
    assert {r["office"] for r in rows} == {kenya.pk}
    assert "id" not in rows[0]


def test_office_figures_stay_inside_the_callers_scope(
    client_for, kenya, uganda, number_indicator, kenya_reports
):
    _q1, q2, _q3 = kenya_reports
    query = f"{URL}?indicator={number_indicator.pk}&period={q2.pk}&span=period"
    # the Nairobi reviewer sees both offices' figures, Kenya's field staff only Kenya's
    assert {r["office"] for r in _rows(client_for("reviewer").get(query))} == {kenya.pk, uganda.pk}
    assert {r["office"] for r in _rows(client_for("field").get(query))} == {kenya.pk}
    assert _rows(client_for("reviewer_bkk").get(query)) == []
    assert client_for("norole").get(query).status_code == 403
    assert client_for(None).get(query).status_code == 401


@pytest.mark.parametrize(
    "query", ["", "indicator=1", "period=1", "office=abc", "office=0", "span=week"]
)
def test_office_figures_refuse_an_unbounded_or_bad_question(client_for, kenya_reports, query):
    response = client_for("hq").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
