"""Dashboards: figures from Rollup rows (means with "n of m", data as of, provisional), scope per
role, filters, and a bounded number of queries whatever the amount of data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliverables.models import Indicator
from outcomes.models import Marker, SdgTarget, StrategicPriority
from reporting.models import IndicatorUpdate
from rollups.models import Rollup
from tests.dashboards.helpers import T0, dash_indicator, make_rollup
from tests.factories import (
    IndicatorTargetFactory,
    OfficeFactory,
    UpdateFactory,
    assign,
    close_periods,
)

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def world(strategy, periods, users, number_indicator, percentage_indicator, nairobi, bangkok):
    """Four indicators with known strategy-to-date figures at 2023-Q4 (unless noted):

    A.i.1 (outcome a, deliverable i): 50% global (30% at 2022-Q4), Nairobi 60%, Bangkok 20%,
      Kenya 70%, Uganda 50%, Thailand 20%; provisional 650 from 2 submitted updates.
    A.ii.1 (outcome a, deliverable ii): no data.
    B.i.1 120%, B.ii.1 40% (outcome b).  O.a.1 (output a): 80%, at 2023-Q3 only.
    Markers: gender → A.i.1, B.i.1; priority resilience → A.i.1; SDG 10.7 → A.i.1, O.a.1.
    Every period is closed (an open one has no verdict: tests/dashboards/test_clarity.py).
    """
    close_periods(strategy, periods)
    by_code = {p.code: p for p in periods}
    q4 = by_code["2023-Q4"]
    kenya, uganda, thailand = (
        users["field"].role_assignments.get().office,
        users["field_ug"].role_assignments.get().office,
        users["field_th"].role_assignments.get().office,
    )
    a_ii = dash_indicator(strategy, outcome="a", deliverable="ii", code="A.ii.1")
    b_i = dash_indicator(strategy, outcome="b", deliverable="i", code="B.i.1")
    b_ii = dash_indicator(strategy, outcome="b", deliverable="ii", code="B.ii.1")
    for ind in (a_ii, b_i, b_ii):
        assign(ind, kenya, uganda, thailand)
    gender = Marker.objects.get(strategy=strategy, code="gender")
    gender.indicators.add(number_indicator, b_i)
    StrategicPriority.objects.get(strategy=strategy, code="resilience").indicators.add(
        number_indicator
    )
    sdg = SdgTarget.objects.get(code="10.7")
    sdg.indicators.add(number_indicator, percentage_indicator)

    a = number_indicator
    make_rollup(
        a,
        q4,
        progress="0.50",
        actual="500",
        computed_at=T0,
        provisional_actual="650",
        provisional_updates_count=2,
    )
    make_rollup(a, by_code["2022-Q4"], progress="0.30", actual="300", computed_at=T0)
    make_rollup(a, q4, progress="0.60", region=nairobi, computed_at=T0 + 5 * HOUR)
    make_rollup(a, q4, progress="0.20", region=bangkok, computed_at=T0)
    # (offices' own figures are computed from their updates: the tests that read them add some)
    for quarter, actual in zip((1, 2, 3, 4), ("100", "150", "125", "125"), strict=True):
        make_rollup(
            a,
            by_code[f"2023-Q{quarter}"],
            span=Rollup.Span.PERIOD,
            actual=actual,
            target="250",
            progress="0.4",
        )
    make_rollup(b_i, q4, progress="1.20", status="achieved", computed_at=T0 + 2 * HOUR)
    make_rollup(b_ii, q4, progress="0.40", computed_at=T0 + HOUR)
    make_rollup(percentage_indicator, by_code["2023-Q3"], progress="0.80", computed_at=T0 + HOUR)
    return {
        "periods": by_code,
        "a_i": a,
        "a_ii": a_ii,
        "b_i": b_i,
        "o_a": percentage_indicator,
        "kenya": kenya,
        "uganda": uganda,
        "thailand": thailand,
    }


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"reporting:{name}", args=args), params)


def _cards(response):
    overview = response.context["overview"]
    found = {f"outcome {c.code}": c for c in overview.outcomes}
    for c in overview.outcomes:
        found.update({f"deliverable {d.code}": d for d in c.children})
    found.update({f"output {o.code}": o for o in overview.outputs})
    found.update({f"marker {m.code}": m for m in overview.markers})
    return found


def _pct(item):
    return None if item.progress is None else round(item.progress * 100, 2)


# --- Figures ---------------------------------------------------------------------------------


def test_overview_means_of_indicators_with_data_and_n_of_m(client, world, users):
    # given the world's roll-up rows
    # when the steering committee opens the overview
    response = _get(client, users["steering"], "dashboard")
    # then each result shows the mean progress of its indicators that have data, "n of m"
    assert response.status_code == 200
    cards = _cards(response)
    assert (_pct(cards["outcome a"]), cards["outcome a"].with_data) == (Decimal("50.00"), 1)
    assert cards["outcome a"].indicators == 2
    # b.i is at 120% but counts as 100% in a mean: (100% + 40%) / 2 = 70%
    assert (_pct(cards["outcome b"]), cards["outcome b"].with_data) == (Decimal("70.00"), 2)
    assert cards["outcome b"].band == "at_risk"  # 70% of a target due in full: under 75%
    assert (_pct(cards["outcome c"]), cards["outcome c"].indicators) == (None, 0)
    assert _pct(cards["deliverable a.i"]) == Decimal("50.00")
    assert (_pct(cards["deliverable a.ii"]), cards["deliverable a.ii"].band) == (None, "no_data")
    # O.a.1 has a figure at 2023-Q3 only: at 2023-Q4 it has no data (no earlier period stands in)
    assert (_pct(cards["output a"]), cards["output a"].with_data) == (None, 0)
    # A.i.1 at 50% and B.i.1 at 120% (counted as 100%): (50% + 100%) / 2 = 75%
    assert (_pct(cards["marker gender"]), cards["marker gender"].with_data) == (
        Decimal("75.00"),
        2,
    )
    html = response.content.decode()
    assert "1 of 2 indicators have data" in html
    assert "2 of 2 indicators have data" in html
    assert "At risk" in html  # outcome a at 50%: the band carries its label, not just colour


def test_overview_reads_rollups_not_updates(client, world, users):
    # given an approved update for A.ii.1 that no roll-up has counted yet
    IndicatorUpdate.objects.create(
        indicator=world["a_ii"],
        office=world["kenya"],
        period=world["periods"]["2023-Q4"],
        measure="number",
        status="approved",
        value=Decimal("99"),
    )
    # then the dashboards still show what the roll-up table holds: no data for A.ii.1
    cards = _cards(_get(client, users["steering"], "dashboard"))
    assert (cards["deliverable a.ii"].with_data, cards["deliverable a.ii"].band) == (0, "no_data")


def test_overview_data_as_of_is_latest_computed_at_of_rows_shown(client, world, users):
    # given global rows computed up to T0+2h and a Nairobi row computed at T0+5h
    response = _get(client, users["steering"], "dashboard")
    # then "data as of" is the newest of the global rows shown, not the regional one
    assert response.context["overview"].as_of == T0 + 2 * HOUR
    assert "2024-01-10 10:00" in response.content.decode()


def test_overview_completeness_share_of_expected_updates_approved(client, world, users):
    # given 5 indicators × 3 offices assigned, and over 2023-Q4 alone 3 approved, 1 submitted
    q4 = world["periods"]["2023-Q4"]
    for ind, status in (
        (world["a_i"], "approved"),
        (world["a_ii"], "approved"),
        (world["b_i"], "approved"),
        (world["o_a"], "submitted"),
    ):
        IndicatorUpdate.objects.create(
            indicator=ind,
            office=world["kenya"],
            period=q4,
            measure=ind.measure,
            status=status,
            value=Decimal("10") if ind.measure != "percentage" else None,
        )
    # when the overview shows 2023-Q4 only
    response = _get(client, users["steering"], "dashboard", **{"from": "2023-Q4", "to": "2023-Q4"})
    # then 3 of 15 expected updates are approved (20%)
    completeness = response.context["completeness"]
    assert completeness == {
        "expected": 15,
        "approved": 3,
        "submitted": 1,
        "approved_percent": 20,
    }
    assert "20% of expected updates approved (3 of 15)" in response.content.decode()


def test_overview_shows_overdue_actions_card(client, world, users):
    # when the overview is shown, then it carries the delivery plan's overdue-actions card
    response = _get(client, users["steering"], "dashboard")
    assert "overdue_actions" in response.context
    assert "Overdue actions" in response.content.decode()


def test_indicator_page_headline_provisional_trend_and_table(client, world, users):
    # when the steering committee opens A.i.1
    response = _get(client, users["steering"], "dashboard_indicator", world["a_i"].pk)
    # then the headline is the std row, provisional figures are shown apart
    detail = response.context["detail"]
    assert detail.headline.row.actual == Decimal("500")
    html = response.content.decode()
    assert "provisional: 650 people, counting 1 submitted update awaiting review" in html
    # and the trend has one point per period of the range, from the "period" rows
    chart = detail.trend["chart"]
    assert chart["labels"][-4:] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert chart["datasets"][0]["data"][-4:] == [100.0, 150.0, 125.0, 125.0]
    assert chart["datasets"][2]["data"][-1] == 250.0
    # and the chart is accessible: a labelled canvas and a data table with a caption
    assert 'aria-label="The figure and its target over the periods, in the same unit' in html
    assert '<table class="table table-sm" id="trend-table">' in html
    assert "<caption>The figure and its target over the periods, in the same unit" in html
    assert 'id="trend-data" type="application/json"' in html


def test_indicator_page_trend_span_ytd_reads_ytd_rows(client, world, users):
    # given a year-to-date row for 2023-Q2
    q2 = world["periods"]["2023-Q2"]
    make_rollup(world["a_i"], q2, span=Rollup.Span.YEAR_TO_DATE, actual="250", progress="0.25")
    # when the trend is asked for year to date
    response = _get(client, users["steering"], "dashboard_indicator", world["a_i"].pk, span="ytd")
    # then it shows the ytd rows only
    data = response.context["detail"].trend["chart"]["datasets"][0]["data"]
    assert data[-4:] == [None, 250.0, None, None]


def test_outcome_page_lists_deliverables_and_indicators(client, world, users, strategy):
    outcome = strategy.outcome_set.get(code="b")
    response = _get(client, users["steering"], "dashboard_outcome", outcome.pk)
    detail = response.context["detail"]
    # results count each indicator between 0% and 100%: B.i.1's 120% counts as 100%
    assert _pct(detail.summary) == Decimal("70.00")
    assert [(c.code, _pct(c)) for c in detail.children][:2] == [
        ("B.i", Decimal("100.00")),
        ("B.ii", Decimal("40.00")),
    ]
    assert [f.indicator.code for f in detail.figures] == ["B.i.1", "B.ii.1"]
    html = response.content.decode()
    assert "Achieved" in html
    assert '<table class="table table-sm" id="trend-table">' in html


def test_deliverable_and_output_pages_show_their_indicators(client, world, users):
    deliverable = world["a_i"].deliverable
    response = _get(client, users["steering"], "dashboard_deliverable", deliverable.pk)
    assert [f.indicator.code for f in response.context["detail"].figures] == ["A.i.1"]
    response = _get(client, users["steering"], "dashboard_output", world["o_a"].output.pk)
    assert [f.row for f in response.context["detail"].figures] == [None]
    response = _get(
        client, users["steering"], "dashboard_output", world["o_a"].output.pk, to="2023-Q3"
    )
    detail = response.context["detail"]
    assert [f.row.period_code for f in detail.figures] == ["2023-Q3"]
    assert "2023-Q3" in response.content.decode()


def test_regions_markers_and_sdg_pages(client, world, users):
    # by region: each region's mean of its regional rows
    response = _get(client, users["steering"], "dashboard_regions")
    regions = {r.code: r for r in response.context["regions"]}
    assert len(regions) == 9
    assert _pct(regions["nairobi"]) == Decimal("60.00")
    assert _pct(regions["bangkok"]) == Decimal("20.00")
    assert regions["cairo"].with_data == 0
    # by marker: gender = mean(A.i.1 50%, B.i.1 120% counted as 100%), indicators listed
    response = _get(client, users["steering"], "dashboard_markers")
    gender = next(m for m in response.context["markers"] if m["summary"].code == "gender")
    assert _pct(gender["summary"]) == Decimal("75.00")
    assert [f.indicator.code for f in gender["figures"]] == ["A.i.1", "B.i.1"]
    # SDG: 10.7 advanced by A.i.1 (50%) and O.a.1 (no figure at 2023-Q4: no data)
    response = _get(client, users["steering"], "dashboard_sdg")
    targets = {t["summary"].code: t for t in response.context["targets"]}
    assert set(targets) == {"10.7"}
    assert _pct(targets["10.7"]["summary"]) == Decimal("50.00")
    assert targets["10.7"]["summary"].with_data == 1
    assert targets["10.7"]["summary"].indicators == 2
    assert "SDG 10.7" in response.content.decode()


def test_heatmap_uses_completeness_matrix(client, world, users):
    response = _get(client, users["reviewer"], "dashboard_heatmap", to="2023-Q4")
    offices = [row.office.name for row in response.context["matrix"].rows]
    assert offices == ["Kenya", "Uganda"]
    assert "Not started" in response.content.decode()


# --- Filters ---------------------------------------------------------------------------------


def test_filter_to_period_moves_the_headline(client, world, users):
    response = _get(client, users["steering"], "dashboard", to="2022-Q4")
    cards = _cards(response)
    assert (_pct(cards["outcome a"]), cards["outcome a"].with_data) == (Decimal("30.00"), 1)
    assert (_pct(cards["output a"]), cards["output a"].with_data) == (None, 0)
    assert response.context["filters"].periods[-1].code == "2022-Q4"
    # and the links on the page keep the filter
    assert "to=2022-Q4" in response.context["query"]


def test_filter_marker_and_priority_narrow_the_indicators(client, world, users):
    response = _get(client, users["steering"], "dashboard", marker="gender")
    cards = _cards(response)
    assert (cards["outcome a"].with_data, cards["outcome a"].indicators) == (1, 1)
    assert (_pct(cards["outcome b"]), cards["outcome b"].indicators) == (Decimal("100.00"), 1)
    assert cards["output a"].indicators == 0
    response = _get(client, users["steering"], "dashboard", priority="resilience")
    cards = _cards(response)
    assert cards["outcome a"].indicators == 1
    assert cards["outcome b"].indicators == 0


def test_filter_region_shows_regional_figures(client, world, users):
    response = _get(client, users["steering"], "dashboard", region="nairobi")
    assert _pct(_cards(response)["outcome a"]) == Decimal("60.00")
    assert response.context["overview"].as_of == T0 + 5 * HOUR


def test_filter_unknown_values_are_ignored_with_a_message(client, world, users):
    response = _get(client, users["steering"], "dashboard", to="1999-Q1", marker="nope")
    assert response.status_code == 200
    assert response.context["filters"].period_to.code == "2023-Q4"
    assert len(response.context["filters"].errors) == 2


def test_filter_range_reversed_is_swapped(client, world, users):
    response = _get(client, users["steering"], "dashboard", **{"from": "2023-Q4", "to": "2023-Q1"})
    filters = response.context["filters"]
    assert [p.code for p in filters.periods] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]


# --- Scope -----------------------------------------------------------------------------------

PAGES = [
    ("dashboard", None),
    ("dashboard_outcome", "outcome"),
    ("dashboard_deliverable", "deliverable"),
    ("dashboard_output", "output"),
    ("dashboard_indicator", "indicator"),
    ("dashboard_regions", None),
    ("dashboard_markers", None),
    ("dashboard_sdg", None),
    ("dashboard_heatmap", None),
    ("completeness", None),
]
ROLES = [
    "field",
    "field_th",
    "reviewer",
    "reviewer_bkk",
    "reviewer_hq",
    "steering",
    "hq",
    "admin",
    "norole",
    None,
]


def _args(world, kind):
    ind = world["a_i"]
    return {
        None: [],
        "outcome": [ind.deliverable.outcome.pk],
        "deliverable": [ind.deliverable.pk],
        "output": [world["o_a"].output.pk],
        "indicator": [ind.pk],
    }[kind]


@pytest.mark.parametrize(("name", "kind"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_dashboard_permission_matrix(client, world, users, name, kind, role):
    # given a user of each role (None: anonymous)
    if role:
        client.force_login(users[role])
    # when they open each dashboard page
    url = reverse(f"reporting:{name}", args=_args(world, kind))
    response = client.get(url)
    # then anonymous users go to the login page, people without a role are refused, and
    # everyone with a role may read (each within their scope)
    if role is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif role == "norole":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


def test_nairobi_reviewer_sees_only_nairobi_offices_and_region(client, world, users):
    response = _get(client, users["reviewer"], "dashboard_indicator", world["a_i"].pk)
    detail = response.context["detail"]
    assert [o["office"].name for o in detail.offices] == ["Kenya", "Uganda"]
    assert [r["region"].code for r in detail.regions] == ["nairobi"]
    html = response.content.decode()
    assert "Thailand" not in html
    assert "Bangkok" not in html
    # but the global headline is the same for everyone
    assert detail.headline.row.actual == Decimal("500")


def test_nairobi_reviewer_cannot_open_bangkok_region(client, world, users):
    response = _get(
        client, users["reviewer"], "dashboard_indicator", world["a_i"].pk, region="bangkok"
    )
    assert response.status_code == 403
    assert _get(client, users["reviewer"], "dashboard", region="bangkok").status_code == 403
    response = _get(
        client, users["reviewer"], "dashboard_indicator", world["a_i"].pk, office="co-th"
    )
    assert response.status_code == 403


def _approved(indicator, office, period, value):
    """An approved update (a cumulative count broken down by sex, as number_indicator asks)."""
    return UpdateFactory(
        indicator=indicator, office=office, period=period, status="approved",
        value=Decimal(value), disaggregations={"sex": {"female": int(value), "male": 0}},
    )  # fmt: skip


def test_region_view_lists_that_regions_offices(client, world, users):
    # given Thailand's own targets of 200 a year and 200 people reported by 2023-Q4
    for year in range(2019, 2024):
        IndicatorTargetFactory(
            indicator=world["a_i"], office=world["thailand"], year=year, value=Decimal(200)
        )
    _approved(world["a_i"], world["thailand"], world["periods"]["2022-Q2"], "200")
    response = _get(
        client, users["steering"], "dashboard_indicator", world["a_i"].pk, region="bangkok"
    )
    detail = response.context["detail"]
    assert [o["office"].name for o in detail.offices] == ["Thailand"]
    assert detail.headline.row.progress == Decimal("0.2")
    assert detail.offices[0]["row"].progress == Decimal("0.2")


def test_office_trend_for_an_office_in_scope(client, world, users):
    q3 = world["periods"]["2023-Q3"]
    _approved(world["a_i"], world["kenya"], q3, "42")
    response = _get(
        client, users["reviewer"], "dashboard_indicator", world["a_i"].pk, office="co-ke"
    )
    assert response.context["detail"].office == world["kenya"]
    assert response.context["detail"].trend["chart"]["datasets"][0]["data"][-2] == 42.0


def test_field_staff_see_global_figures_and_only_their_office(client, world, users):
    response = _get(client, users["field"], "dashboard_indicator", world["a_i"].pk)
    detail = response.context["detail"]
    assert detail.headline.row.actual == Decimal("500")
    assert detail.regions == []
    assert [o["office"].name for o in detail.offices] == ["Kenya"]
    assert _get(client, users["field"], "dashboard", region="nairobi").status_code == 403
    response = _get(client, users["field"], "dashboard_regions")
    assert response.context["regions"] == []


def test_steering_sees_every_region_and_office(client, world, users):
    response = _get(client, users["steering"], "dashboard_indicator", world["a_i"].pk)
    detail = response.context["detail"]
    assert len(detail.regions) == 9
    assert [o["office"].name for o in detail.offices] == ["Thailand", "Kenya", "Uganda"]


# --- Bounded queries -------------------------------------------------------------------------


def _grow(strategy, periods, regions, scale):
    """Add 4×scale indicators, 2×scale offices, and roll-up rows and updates for 8 periods."""
    first = 26 * 16 + 10 * scale  # ISO-like codes from "QK" on, clear of KE, UG, TH
    offices = [
        OfficeFactory(
            region=regions[i % len(regions)],
            name=f"Office {scale}-{i}",
            iso_code=chr(65 + (first + i) // 26) + chr(65 + (first + i) % 26),
        )
        for i in range(2 * scale)
    ]
    recent = periods[-8:]
    rows, updates = [], []
    outputs = list(strategy.institutionaloutput_set.all())
    deliverables = [d for o in strategy.outcome_set.all() for d in o.deliverables.all()]
    markers = list(Marker.objects.filter(strategy=strategy))
    sdgs = list(SdgTarget.objects.all()[:3])
    start = Indicator.objects.count()
    for i in range(4 * scale):
        n = start + i
        if i % 3 == 2:
            ind = dash_indicator(strategy, output=outputs[n % 4].code, code=f"V.{n}")
        else:
            d = deliverables[n % len(deliverables)]
            ind = dash_indicator(
                strategy, outcome=d.outcome.code, deliverable=d.code, code=f"V.{n}"
            )
        ind.markers.add(markers[n % 3])
        ind.sdg_targets.add(sdgs[n % 3])
        assign(ind, *offices)
        for p in recent:
            for span in ("std", "period"):
                common = {
                    "indicator": ind,
                    "period": p,
                    "span": span,
                    "progress": Decimal("0.5"),
                    "actual": Decimal("5"),
                    "target": Decimal("10"),
                    "status": "at_risk",
                    "computed_at": T0,
                }
                rows.append(Rollup(scope="global", **common))
                rows.extend(Rollup(scope="region", region=r, **common) for r in regions)

            updates.extend(
                IndicatorUpdate(
                    indicator=ind,
                    office=o,
                    period=p,
                    measure="number",
                    status="approved",
                    value=Decimal("5"),
                )
                for o in offices
            )
    Rollup.objects.bulk_create(rows)
    IndicatorUpdate.objects.bulk_create(updates)


QUERY_BOUND = 25  # the overview runs 22 today (incl. the delivery plan's card)


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_dashboard_pages_run_bounded_queries(
    client, world, users, strategy, periods, nairobi, bangkok, name, kind
):
    # given a small data set
    client.force_login(users["reviewer"] if name == "completeness" else users["steering"])
    url = reverse(f"reporting:{name}", args=_args(world, kind))
    _grow(strategy, periods, [nairobi, bangkok], scale=1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"from": "2022-Q1"}).status_code == 200
    # when the data grows five-fold
    _grow(strategy, periods, [nairobi, bangkok], scale=5)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, {"from": "2022-Q1"}).status_code == 200
    # then the page runs the same, bounded number of queries
    assert len(small.captured_queries) <= QUERY_BOUND
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("scale", [1, 5])
def test_overview_query_bound_holds_at_any_size(
    client, world, users, strategy, periods, nairobi, bangkok, scale, django_assert_max_num_queries
):
    _grow(strategy, periods, [nairobi, bangkok], scale=scale)
    client.force_login(users["steering"])
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(reverse("reporting:dashboard")).status_code == 200
