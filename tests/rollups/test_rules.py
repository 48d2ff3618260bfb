"""The roll-up rules against hand-computed numbers (docs/domain.md, "Roll-up rules").

Updates are written straight to the database in the status a case needs (fixture `report`).
"""

from decimal import Decimal

import pytest

from reporting.models import IndicatorUpdate
from rollups.models import Rollup
from rollups.selectors import rollup_figures
from rollups.services import rollup_rebuild_full

Status = IndicatorUpdate.Status
D = Decimal


# --- Across offices --------------------------------------------------------------------------


def test_rollup_number_sums_offices_into_regions_and_global(
    make_indicator,
    report,
    by_code,
    kenya,
    uganda,
    thailand,
    hq_office,
    nairobi,
    bangkok,
    rollup_row,
):
    # given a cumulative count (2020 target 400) reported by two Nairobi offices, one Bangkok
    # office and headquarters (which has no region)
    indicator = make_indicator("number", targets={2020: "400"})
    q2 = by_code["2020-Q2"]
    report(indicator, kenya, q2, "10")
    report(indicator, uganda, q2, "5")
    report(indicator, thailand, q2, "7")
    report(indicator, hq_office, q2, "3")
    # when the roll-ups are rebuilt
    rollup_rebuild_full()
    # then offices keep their figure, regions add their offices, global adds every office
    assert rollup_row(indicator, q2, office=kenya).actual == D("10")
    assert rollup_row(indicator, q2, office=kenya).region == nairobi
    assert rollup_row(indicator, q2, office=hq_office).region is None
    nairobi_row = rollup_row(indicator, q2, region=nairobi)
    assert (nairobi_row.actual, nairobi_row.offices_count, nairobi_row.updates_count) == (
        D("15"),  # 10 + 5
        2,
        2,
    )
    assert rollup_row(indicator, q2, region=bangkok).actual == D("7")
    glob = rollup_row(indicator, q2)
    assert glob.actual == D("25")  # 10 + 5 + 7 + 3 (HQ counts in global only)
    assert (glob.offices_count, glob.updates_count) == (4, 4)
    # a quarter's share of the yearly target: 400 / 4 = 100; progress 25 / 100
    assert (glob.target, glob.target_prorated, glob.progress) == (D("100"), D("100"), D("0.25"))
    assert glob.status == Rollup.Status.OFF_TRACK  # 0.25 < 0.40
    assert glob.computed_at is not None


def test_rollup_percentage_is_ratio_of_sums_not_mean_of_percentages(
    make_indicator, report, by_code, kenya, thailand, nairobi, rollup_row
):
    # given 1/2 (50%) in Kenya and 30/100 (30%) in Thailand; baseline 20, target 60
    indicator = make_indicator("percentage", cumulative=False, baseline="20", targets={2019: "60"})
    q1 = by_code["2019-Q1"]
    report(indicator, kenya, q1, numerator="1", denominator="2")
    report(indicator, thailand, q1, numerator="30", denominator="100")
    rollup_rebuild_full()
    # then global = (1 + 30) / (2 + 100) = 31 / 102 = 30.3922%, not (50 + 30) / 2 = 40%
    glob = rollup_row(indicator, q1)
    assert (glob.actual, glob.numerator, glob.denominator) == (D("30.3922"), D("31"), D("102"))
    assert rollup_row(indicator, q1, region=nairobi).actual == D("50")
    # progress (30.3922 − 20) / (60 − 20) = 0.2598; pro-rated target on the line from the
    # baseline (end 2018) to 60 (end 2019) after 1 of 4 quarters: 20 + 40 × 1/4 = 30
    assert glob.progress == D("0.2598")
    assert glob.target_prorated == D("30")
    # (30.3922 − 20) / (30 − 20) = 1.04 of the pro-rated target → on track
    assert glob.status == Rollup.Status.ON_TRACK
    # an office without its own target is measured against the global one (a rate)
    assert rollup_row(indicator, q1, office=kenya).target == D("60")


def test_rollup_yes_no_counts_yes_and_share_of_reporting_offices(
    make_indicator, report, by_code, kenya, uganda, thailand, rwanda, nairobi, rollup_row
):
    # given yes in Kenya, Thailand and Rwanda, no in Uganda; target 80% of offices
    indicator = make_indicator("yes_no", cumulative=False, targets={2021: "80"})
    q2 = by_code["2021-Q2"]
    for office, value in ((kenya, "1"), (uganda, "0"), (thailand, "1"), (rwanda, "1")):
        report(indicator, office, q2, value)
    rollup_rebuild_full()
    glob = rollup_row(indicator, q2)
    # then actual = 3 yes, of 4 reporting offices: share 75%
    assert (glob.actual, glob.numerator, glob.denominator, glob.share) == (
        D("3"),
        D("3"),
        D("4"),
        D("75"),
    )
    # progress on the share: 75 / 80 = 0.9375; pro-rated on the line from 0 (end 2018) to 80
    # (end 2021) after 10 of 12 quarters: 66.6667; 75 / 66.6667 = 1.125 → on track
    assert (glob.progress, glob.target_prorated) == (D("0.9375"), D("66.6667"))
    assert glob.status == Rollup.Status.ON_TRACK
    nairobi_row = rollup_row(indicator, q2, region=nairobi)
    assert (nairobi_row.actual, nairobi_row.share) == (D("2"), D("66.6667"))  # 2 of 3


def test_rollup_ordinal_distribution_and_share_at_or_above_target_level(
    make_indicator, report, by_code, kenya, uganda, thailand, rwanda, nairobi, rollup_row
):
    # given levels 4, 3, 1, 2 and a target level of 3
    indicator = make_indicator(
        "ordinal", cumulative=False, targets={2022: "3"}, levels=["none", "low", "mid", "high"]
    )
    q3 = by_code["2022-Q3"]
    for office, level in ((kenya, "4"), (uganda, "3"), (thailand, "1"), (rwanda, "2")):
        report(indicator, office, q3, level)
    rollup_rebuild_full()
    glob = rollup_row(indicator, q3)
    # then every level has one office; 2 of 4 are at or above level 3: share 50%
    assert glob.distribution == {"1": 1, "2": 1, "3": 1, "4": 1}
    assert (glob.actual, glob.denominator, glob.share, glob.progress) == (
        D("2"),
        D("4"),
        D("50"),
        D("0.5"),
    )
    assert glob.status == Rollup.Status.AT_RISK  # 0.40 ≤ 0.5 < 0.75
    nairobi_row = rollup_row(indicator, q3, region=nairobi)
    assert nairobi_row.distribution == {"2": 1, "3": 1, "4": 1}
    assert nairobi_row.share == D("66.6667")  # Kenya 4 and Uganda 3 of 3 offices
    assert rollup_row(indicator, q3, office=kenya).status == Rollup.Status.ACHIEVED


def test_rollup_qualitative_counts_narratives(
    make_indicator, report, by_code, kenya, uganda, thailand, rollup_row
):
    indicator = make_indicator("qualitative", cumulative=False)
    q1 = by_code["2020-Q1"]
    report(indicator, kenya, q1, text="New referral mechanism agreed.")
    report(indicator, uganda, q1, text="Policy drafted.")
    report(indicator, thailand, q1, text="   ")  # nothing written: not a narrative
    rollup_rebuild_full()
    glob = rollup_row(indicator, q1)
    assert (glob.actual, glob.offices_count, glob.status) == (D("2"), 2, Rollup.Status.NO_TARGET)


# --- Across periods --------------------------------------------------------------------------


def test_rollup_cumulative_adds_periods_without_double_counting(
    make_indicator, report, by_code, kenya, uganda, rollup_row, periods
):
    # given a cumulative count: Kenya 10 (2021-Q1), 20 (Q2), nothing in Q3, 5 (Q4), 7 (2022-Q1);
    # Uganda 4 (2021-Q2); targets 2019 and 2020: 0, 2021: 100, 2022: 200 (every year has one:
    # a strategy-to-date window with a year without target has no target)
    indicator = make_indicator("number", targets={2019: "0", 2020: "0", 2021: "100", 2022: "200"})
    for code, value in (("2021-Q1", "10"), ("2021-Q2", "20"), ("2021-Q4", "5"), ("2022-Q1", "7")):
        report(indicator, kenya, by_code[code], value)
    report(indicator, uganda, by_code["2021-Q2"], "4")
    rollup_rebuild_full()

    def actual(code, span, **scope):
        row = rollup_row(indicator, by_code[code], span, **scope)
        return row.actual if row else None

    # period: what happened in the quarter
    assert actual("2021-Q2", "period") == D("24")  # 20 + 4
    # year to date: 10 + 20 + 4 = 34; Q3 adds nothing and does not go down; Q4 adds 5
    assert actual("2021-Q2", "ytd") == D("34")
    assert actual("2021-Q3", "ytd") == D("34")
    assert actual("2021-Q4", "ytd") == D("39")
    assert actual("2022-Q1", "ytd") == D("7")  # a new year starts again
    # strategy to date: 39 + 7 = 46, counted once each
    assert actual("2022-Q1", "std") == D("46")
    assert actual("2021-Q4", "std", office=kenya) == D("35")  # 10 + 20 + 5
    assert rollup_row(indicator, by_code["2022-Q1"], "std").updates_count == 5
    assert actual("2020-Q4", "std") is None
    # strategy-to-date totals never go down
    series = rollup_figures(indicators=[indicator], windows={"std": periods})
    totals = [r.actual or D(0) for r in series]
    assert len(totals) == len(periods)
    assert totals == sorted(totals)
    # targets: std 2022-Q1 = 100 + 200 = 300, pro-rated 100 + 200 × 1/4 = 150;
    # progress 46 / 300 = 0.1533, 46 / 150 = 0.31 of the pro-rated target → off track
    std = rollup_row(indicator, by_code["2022-Q1"], "std")
    assert (std.target, std.target_prorated, std.progress) == (D("300"), D("150"), D("0.1533"))
    assert std.status == Rollup.Status.OFF_TRACK
    # ytd 2021-Q2: target 100, pro-rated 50; 34 / 50 = 0.68 → at risk
    ytd = rollup_row(indicator, by_code["2021-Q2"], "ytd")
    assert (ytd.target, ytd.target_prorated, ytd.progress) == (D("100"), D("50"), D("0.34"))
    assert ytd.status == Rollup.Status.AT_RISK
    # the quarter: target 100 / 4 = 25; 24 / 25 = 0.96 → on track
    assert rollup_row(indicator, by_code["2021-Q2"]).status == Rollup.Status.ON_TRACK


def test_rollup_non_cumulative_takes_each_offices_latest_value(
    make_indicator, report, by_code, kenya, uganda, rollup_row
):
    # given a level: Kenya 10/100 (2021-Q1) then 30/100 (2021-Q3); Uganda 20/40 (2021-Q1) only
    indicator = make_indicator("percentage", cumulative=False, targets={2021: "50"})
    report(indicator, kenya, by_code["2021-Q1"], numerator="10", denominator="100")
    report(indicator, kenya, by_code["2021-Q3"], numerator="30", denominator="100")
    report(indicator, uganda, by_code["2021-Q1"], numerator="20", denominator="40")
    rollup_rebuild_full()
    q3 = by_code["2021-Q3"]
    # the quarter itself: only Kenya reported, 30/100
    assert rollup_row(indicator, q3).actual == D("30")
    # to date: Kenya's latest 30/100 and Uganda's earlier 20/40 it keeps: 50 / 140 = 35.7143
    std = rollup_row(indicator, q3, "std")
    assert (std.actual, std.numerator, std.denominator) == (D("35.7143"), D("50"), D("140"))
    assert std.updates_count == 2  # one (the latest) per office, not the three updates
    assert rollup_row(indicator, q3, "ytd").actual == D("35.7143")
    # a new year with nothing reported yet: no data this year, the level carries to date
    assert rollup_row(indicator, by_code["2022-Q1"], "ytd").status == Rollup.Status.NO_DATA
    assert rollup_row(indicator, by_code["2022-Q1"], "std").actual == D("35.7143")


def test_rollup_non_cumulative_latest_approved_not_latest_submitted(
    make_indicator, report, by_code, kenya, rollup_row
):
    indicator = make_indicator("number", cumulative=False)
    report(indicator, kenya, by_code["2021-Q1"], "8")
    report(indicator, kenya, by_code["2021-Q2"], "12", status=Status.SUBMITTED)
    rollup_rebuild_full()
    std = rollup_row(indicator, by_code["2021-Q2"], "std")
    assert (std.actual, std.provisional_actual) == (D("8"), D("12"))


def test_rollup_decreasing_indicator_progress(make_indicator, report, by_code, kenya, rollup_row):
    # given baseline 10, target 4 (lower is better) and 7 reached: (7 − 10) / (4 − 10) = 0.5
    indicator = make_indicator(
        "percentage",
        cumulative=False,
        baseline="10",
        direction="decrease",
        targets={2023: "4"},
    )
    q4 = by_code["2023-Q4"]
    report(indicator, kenya, q4, numerator="7", denominator="100")
    rollup_rebuild_full()
    glob = rollup_row(indicator, q4)
    assert (glob.actual, glob.baseline, glob.target, glob.progress) == (
        D("7"),
        D("10"),
        D("4"),
        D("0.5"),
    )
    # at the end of the line the pro-rated target is the target: 0.5 → at risk
    assert glob.target_prorated == D("4")
    assert glob.status == Rollup.Status.AT_RISK


def test_rollup_missing_data_is_no_data_not_zero(make_indicator, by_code, kenya, rollup_row):
    indicator = make_indicator("number", targets={2020: "100"}, offices=(kenya,))
    rollup_rebuild_full()
    glob = rollup_row(indicator, by_code["2020-Q1"])
    assert (glob.actual, glob.status, glob.updates_count, glob.offices_count) == (
        None,
        Rollup.Status.NO_DATA,
        0,
        0,
    )
    assert glob.target == D("25")  # the target is known even without data
    assert not Rollup.objects.filter(indicator=indicator, scope="office").exists()


def test_rollup_provisional_counts_submitted_but_not_drafts_or_returned(
    make_indicator, report, by_code, kenya, uganda, thailand, rwanda, rollup_row
):
    indicator = make_indicator("number")
    q1 = by_code["2020-Q1"]
    report(indicator, kenya, q1, "10")
    report(indicator, uganda, q1, "5", status=Status.SUBMITTED)
    report(indicator, thailand, q1, "100", status=Status.DRAFT)
    report(indicator, rwanda, q1, "50", status=Status.RETURNED)
    rollup_rebuild_full()
    glob = rollup_row(indicator, q1)
    assert (glob.actual, glob.updates_count) == (D("10"), 1)
    assert (glob.provisional_actual, glob.provisional_updates_count) == (D("15"), 2)
    # an office with only a submitted figure has a row, provisional only
    uganda_row = rollup_row(indicator, q1, office=uganda)
    assert (uganda_row.actual, uganda_row.status, uganda_row.provisional_actual) == (
        None,
        Rollup.Status.NO_DATA,
        D("5"),
    )
    assert rollup_row(indicator, q1, office=thailand) is None


# --- Targets and status bands ----------------------------------------------------------------


def test_rollup_office_and_region_targets(
    make_indicator, report, by_code, kenya, uganda, thailand, rwanda, nairobi, bangkok, rollup_row
):
    # given own 2020 targets for Kenya (40) and Uganda (60), both assigned, and Thailand
    # assigned without one
    indicator = make_indicator(
        "number",
        targets={2020: "1000"},
        office_targets={kenya: {2020: "40"}, uganda: {2020: "60"}},
        offices=(kenya, uganda, thailand),
    )
    q4 = by_code["2020-Q4"]
    for office in (kenya, uganda, thailand):
        report(indicator, office, q4, "10")
    rollup_rebuild_full()
    # then an office uses its own target (the quarter: 40 / 4 = 10), a region the sum of its
    # offices' targets ((40 + 60) / 4 = 25), global the global one (1000 / 4 = 250)
    assert rollup_row(indicator, q4, office=kenya).target == D("10")
    assert rollup_row(indicator, q4, office=kenya).status == Rollup.Status.ACHIEVED
    assert rollup_row(indicator, q4, "ytd", region=nairobi).target == D("100")
    assert rollup_row(indicator, q4, region=nairobi).target == D("25")
    assert rollup_row(indicator, q4).target == D("250")
    # an office with no target of its own, and its region, have none: "no target", not no data
    assert rollup_row(indicator, q4, office=thailand).status == Rollup.Status.NO_TARGET
    assert rollup_row(indicator, q4, region=bangkok).target is None

    # when Rwanda is assigned without a target, Nairobi no longer has a complete sum
    from tests.factories import AssignmentFactory

    AssignmentFactory(indicator=indicator, office=rwanda)
    rollup_rebuild_full()
    assert rollup_row(indicator, q4, region=nairobi).target is None
    assert rollup_row(indicator, q4, region=nairobi).status == Rollup.Status.NO_TARGET


@pytest.mark.parametrize(
    ("value", "status", "progress"),
    [
        ("400", Rollup.Status.ACHIEVED, "1"),  # the full year's target
        ("160", Rollup.Status.ON_TRACK, "0.4"),  # 160 / 200 pro-rated = 0.8
        ("100", Rollup.Status.AT_RISK, "0.25"),  # 100 / 200 = 0.5
        ("60", Rollup.Status.OFF_TRACK, "0.15"),  # 60 / 200 = 0.3
    ],
)
def test_rollup_status_bands_against_pro_rated_target(
    make_indicator, report, by_code, kenya, rollup_row, value, status, progress
):
    # given 2020's target of 400; by the end of Q2 half of it (200) is expected
    indicator = make_indicator("number", targets={2020: "400"})
    report(indicator, kenya, by_code["2020-Q2"], value)
    rollup_rebuild_full()
    ytd = rollup_row(indicator, by_code["2020-Q2"], "ytd")
    assert (ytd.target, ytd.target_prorated) == (D("400"), D("200"))
    assert (ytd.status, ytd.progress) == (status, D(progress))


def test_rollup_status_bands_come_from_settings(
    make_indicator, report, by_code, kenya, rollup_row, settings
):
    settings.PROGRESS_BANDS = {"achieved": 1.0, "on_track": 0.9, "at_risk": 0.4}
    indicator = make_indicator("number", targets={2020: "400"})
    report(indicator, kenya, by_code["2020-Q2"], "160")  # 0.8 of the pro-rated target
    rollup_rebuild_full()
    assert rollup_row(indicator, by_code["2020-Q2"], "ytd").status == Rollup.Status.AT_RISK


def test_rollup_ordinal_rows_carry_the_baseline_level(
    make_indicator, report, by_code, kenya, nairobi, rollup_row
):
    # given an ordinal indicator whose baseline is level 2 ("low") of four
    indicator = make_indicator(
        "ordinal",
        cumulative=False,
        baseline="2",
        targets={2022: "3"},
        levels=["none", "low", "mid", "high"],
        offices=(kenya,),
    )
    q3 = by_code["2022-Q3"]
    report(indicator, kenya, q3, "4")
    rollup_rebuild_full()
    # then every row, global, regional and the office's, has baseline level 2, not 0
    rows = [
        rollup_row(indicator, q3, span)
        for span in (Rollup.Span.PERIOD, Rollup.Span.YEAR_TO_DATE, Rollup.Span.STRATEGY_TO_DATE)
    ]
    rows += [rollup_row(indicator, q3, region=nairobi), rollup_row(indicator, q3, office=kenya)]
    assert [row.baseline for row in rows] == [D("2")] * 5


def test_rollup_std_window_with_a_year_without_target_has_no_target(
    make_indicator, report, by_code, kenya, rollup_row
):
    # given yearly targets for 2019, 2020, 2022 and 2023, none for 2021
    indicator = make_indicator(
        "number", targets={2019: "10", 2020: "10", 2022: "10", 2023: "10"}, offices=(kenya,)
    )
    report(indicator, kenya, by_code["2020-Q4"], "15")
    report(indicator, kenya, by_code["2021-Q2"], "30")
    report(indicator, kenya, by_code["2022-Q1"], "5")
    rollup_rebuild_full()
    # then the windows before the gap add their years
    before = rollup_row(indicator, by_code["2020-Q4"], "std")
    assert (before.target, before.status) == (D("20"), Rollup.Status.ON_TRACK)
    # and from 2021 on strategy to date has no target (not 2019 + 2020 + 2022 = 30 against an
    # actual that counts 2021): "no target", never "achieved"
    for code in ("2021-Q2", "2022-Q1", "2023-Q4"):
        row = rollup_row(indicator, by_code[code], "std")
        assert (row.target, row.progress, row.status) == (None, None, Rollup.Status.NO_TARGET)
    # while 2022's own year to date keeps its yearly target (a quarter of it expected by Q1)
    ytd = rollup_row(indicator, by_code["2022-Q1"], "ytd")
    assert (ytd.target, ytd.target_prorated) == (D("10"), D("2.5"))
