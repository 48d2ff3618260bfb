"""The headline rule (rollups.selectors): which span stands for a range, each indicator's figure
at exactly the range's end, which indicators count, a result's mean and band; and the proof that
the dashboards and the membership update, which both read through it, show the same figures."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from exports.services.membership import membership_update_build
from outcomes.models import Marker
from rollups.selectors import (
    Figure,
    headline_for,
    headline_span,
    range_span,
    result_mean,
)
from rollups.services import rollup_rebuild_full
from tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    UpdateFactory,
    assign,
    close_periods,
)

# --- The span of a range ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "span", "headline"),
    [
        ("2019-Q1", "2023-Q4", "std", "std"),
        ("2019-Q1", "2019-Q3", "std", "std"),
        ("2021-Q1", "2021-Q4", "ytd", "ytd"),
        ("2022-Q3", "2022-Q3", "period", "period"),
        ("2021-Q2", "2021-Q4", None, "std"),  # not from a first quarter
        ("2021-Q1", "2022-Q2", None, "std"),  # across years
        ("2022-Q1", "2021-Q4", None, "std"),  # reversed
    ],
)
def test_range_span_covers_exactly_the_range_else_headline_is_strategy_to_date(
    strategy, periods, first, last, span, headline
):
    by_code = {p.code: p for p in periods}
    chosen = {"strategy": strategy, "period_from": by_code[first], "period_to": by_code[last]}
    assert range_span(**chosen) == span
    assert headline_span(**chosen) == headline


def test_headline_for_takes_exactly_the_period_never_an_earlier_one(
    strategy, periods, number_indicator, kenya
):
    # given an approved figure in 2023-Q2 only, rolled up, in closed periods
    close_periods(strategy, periods)
    by_code = {p.code: p for p in periods}
    UpdateFactory(
        indicator=number_indicator, office=kenya, period=by_code["2023-Q2"], status="approved"
    )
    rollup_rebuild_full(strategy=strategy)
    one = [number_indicator]
    # then the quarter 2023-Q3 has no data, while its year and the strategy to date carry Q2's
    (q3,) = headline_for(indicators=one, period=by_code["2023-Q3"], span="period")
    assert (q3.actual, q3.status) == (None, "no_data")
    (ytd,) = headline_for(indicators=one, period=by_code["2023-Q3"], span="ytd")
    assert ytd.actual == D("10")
    # and a period without any stored figure gives none (no falling back to an earlier one)
    number_indicator.rollups.filter(period=by_code["2023-Q4"]).delete()
    assert headline_for(indicators=one, period=by_code["2023-Q4"], span="std") == []


# --- A result's mean -------------------------------------------------------------------------


def _figure(progress: str | None, pace: str | None = None, status: str = "on_track") -> Figure:
    return Figure(
        indicator_id=1, period_id=1, period_code="2023-Q4", span="std", scope="global",
        region_id=None, office_id=None, actual=None, numerator=None, denominator=None,
        share=None, target=None, target_prorated=None, baseline=None,
        progress=None if progress is None else D(progress),
        pace=None if pace is None else D(pace),
        status=status, updates_count=0, offices_count=0, provisional_actual=None,
        provisional_updates_count=0, computed_at=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("figures", "progress", "with_data", "band"),
    [
        # progress and pace capped to 0–100% each: 1.2 counts as 1, -0.2 as 0
        ([("1.2", "1.5"), ("0.4", "0.6")], D("0.7"), 2, "on_track"),  # pace (1 + 0.6) / 2
        ([("1.2", None), ("0.4", None)], D("0.7"), 2, "at_risk"),  # no pace: the progress
        ([("0.3", "0.9"), ("0.5", "0.7")], D("0.4"), 2, "on_track"),  # behind target, on pace
        ([("-0.2", "-0.2"), ("0.5", "0.8")], D("0.25"), 2, "at_risk"),
        ([("1", "1"), ("1.1", "1.3")], D("1"), 2, "achieved"),
        ([None, ("0.2", "0.3")], D("0.2"), 1, "off_track"),  # an indicator without a figure
        ([None, None], None, 0, "no_data"),
    ],
)
def test_result_mean_caps_each_indicator_and_bands_the_means(figures, progress, with_data, band):
    given = [None if f is None else _figure(*f) for f in figures]
    mean = result_mean(figures=given)
    assert (mean.progress, mean.with_data, mean.indicators, mean.band) == (
        progress,
        with_data,
        len(figures),
        band,
    )


def test_result_mean_counts_only_measured_figures_as_with_data():
    # a figure with approved data but no target has no progress: not in the mean, not "with data"
    mean = result_mean(figures=[_figure(None, status="no_target"), _figure("0.8")])
    assert (mean.progress, mean.with_data, mean.indicators) == (D("0.8"), 1, 2)


# --- The dashboards and the membership update agree ------------------------------------------


@pytest.fixture
def engine_world(
    strategy, periods, number_indicator, percentage_indicator, kenya, uganda, thailand
):
    """Approved updates of five indicators in 2022–2023, rolled up by the engine: a cumulative
    count (A.i.1), a percentage (O.a.1), a non-cumulative count (B.i.1), a qualitative indicator
    with narratives (B.i.2) and a yes/no one without data (C.i.1)."""
    by_code = {p.code: p for p in periods}
    outcome_b = strategy.outcome_set.get(code="b").deliverables.get(code="i")
    b_count = IndicatorFactory(deliverable=outcome_b, code="B.i.1", cumulative=False)
    qualitative = IndicatorFactory(deliverable=outcome_b, code="B.i.2", measure="qualitative")
    yes_no = IndicatorFactory(
        deliverable=strategy.outcome_set.get(code="c").deliverables.get(code="i"),
        code="C.i.1",
        measure="yes_no",
        cumulative=False,
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=b_count, year=year, value=D("50"))
        IndicatorTargetFactory(indicator=yes_no, year=year, value=D("1"))
    assign(b_count, kenya, uganda)
    assign(qualitative, kenya, uganda)
    assign(yes_no, thailand)
    markers = {m.code: m for m in Marker.objects.filter(strategy=strategy)}
    markers["gender"].indicators.add(number_indicator, b_count, qualitative)
    markers["inequalities"].indicators.add(percentage_indicator)

    def approve(indicator, office, code, value=None, **values):
        UpdateFactory(
            indicator=indicator,
            office=office,
            period=by_code[code],
            status="approved",
            value=None if value is None else D(value),
            **values,
        )

    approve(number_indicator, kenya, "2022-Q3", "200")
    approve(number_indicator, uganda, "2023-Q1", "150")
    approve(number_indicator, thailand, "2023-Q2", "300")
    approve(number_indicator, kenya, "2023-Q3", "100")
    approve(percentage_indicator, kenya, "2022-Q3", "50", numerator=D("5"), denominator=D("10"))
    approve(percentage_indicator, uganda, "2023-Q2", "30", numerator=D("3"), denominator=D("10"))
    approve(b_count, kenya, "2022-Q3", "10")
    approve(b_count, uganda, "2023-Q1", "60")
    approve(qualitative, kenya, "2022-Q3", text="Two new return programmes.")
    approve(qualitative, uganda, "2023-Q2", text="Training went well.")
    rollup_rebuild_full(strategy=strategy)
    # closed periods carry verdicts (an open one reads "reporting in progress")
    close_periods(strategy, periods)
    return by_code


def _mean(n, m, band, progress):
    return {"n of m": (n, m), "band": band, "progress": progress}


def _dashboard(client, steering, strategy, first, last):
    """Return the dashboards' figures for the range: each result's, region's and indicator's."""
    client.force_login(steering)
    params = {"from": first, "to": last}
    overview = client.get(reverse("reporting:dashboard"), params).context["overview"]
    cards = [(f"outcome {c.code}", c) for c in overview.outcomes]
    cards += [(f"deliverable {d.code}", d) for c in overview.outcomes for d in c.children]
    cards += [(f"output {o.code}", o) for o in overview.outputs]
    cards += [(f"marker {m.code}", m) for m in overview.markers]
    regions = client.get(reverse("reporting:dashboard_regions"), params).context["regions"]
    cards += [(f"region {r.code}", r) for r in regions]
    cards += [(f"region {r.code} outcome {c.code}", c) for r in regions for c in r.children]
    found = {k: _mean(c.with_data, c.indicators, c.band, c.progress) for k, c in cards}
    pages = [("dashboard_outcome", o.pk) for o in strategy.outcome_set.all()]
    pages += [("dashboard_output", o.pk) for o in strategy.institutionaloutput_set.all()]
    for name, pk in pages:
        detail = client.get(reverse(f"reporting:{name}", args=[pk]), params).context["detail"]
        for f in detail.figures:
            row = f.row
            found[f"indicator {f.indicator.code}"] = (
                (row.actual, row.target, row.progress, row.status)
                if row
                else (None,) * 3 + (f.band,)
            )
    return found


def _export(update):
    """Return the membership update's figures, keyed as `_dashboard` keys them."""
    blocks = [(f"outcome {o.code}", o.summary) for o in update.outcomes]
    blocks += [
        (f"deliverable {d.code.lower()}", d.summary)
        for o in update.outcomes
        for d in o.deliverables
    ]
    blocks += [(f"output {b.code.removeprefix('O.')}", b.summary) for b in update.outputs]
    blocks += [(f"marker {m.code}", m.summary) for m in update.markers]
    blocks += [(f"region {r.code}", r.summary) for r in update.regions]
    blocks += [
        (f"region {r.code} outcome {g.label.strip('()')}", g.summary)
        for r in update.regions
        for g in r.groups[:-1]  # the last group is all the outputs: no dashboard column
    ]
    found = {k: _mean(s.n_with_data, s.n_indicators, s.band, s.progress) for k, s in blocks}
    for row in update.indicators:
        if row.counted:
            found[f"indicator {row.code}"] = (row.actual, row.target, row.progress, row.status)
    return found


@pytest.mark.parametrize(
    ("first", "last", "span"),
    [
        ("2019-Q1", "2023-Q4", "std"),
        ("2023-Q1", "2023-Q3", "ytd"),
        ("2022-Q3", "2022-Q3", "period"),
    ],
)
def test_dashboards_and_membership_update_show_the_same_figures(
    client, engine_world, users, strategy, first, last, span
):
    # given roll-ups computed by the engine
    # when the dashboards and the membership update show the same range
    update = membership_update_build(
        strategy=strategy, period_from=engine_world[first], period_to=engine_world[last]
    )
    dashboard = _dashboard(client, users["steering"], strategy, first, last)
    # then every indicator's headline figure, and each result's "n of m", band and mean agree
    assert update.span == span
    assert dashboard == _export(update)
    # and the qualitative indicator is listed in the update but counted in neither
    assert "indicator B.i.2" not in dashboard
    assert "B.i.2" in [row.code for row in update.indicators]
    assert dashboard["deliverable b.i"]["n of m"][1] == 1
    # and the comparison is not vacuous: outcomes have data, in more than one band
    bands = {v["band"] for k, v in dashboard.items() if k.startswith("outcome") and v["n of m"][0]}
    assert len(bands) >= 2
