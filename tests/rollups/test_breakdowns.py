"""Breakdowns by sex, age and population group roll up by the totals' rules (hand-computed):
across offices they add up; across periods cumulative indicators add their periods and
non-cumulative ones take each office's latest value; coverage counts the updates that gave one."""

from decimal import Decimal

from rollups.services import rollup_rebuild_full

D = Decimal


def _parts(row, dim: str) -> dict[str, Decimal | None]:
    return {cat: value for cat, value in row.breakdown().get(dim, {}).items() if value}


def test_cumulative_breakdowns_add_offices_and_periods(
    make_indicator, report, by_code, kenya, uganda, thailand, nairobi, rollup_row
):
    indicator = make_indicator("number", dimensions=("sex", "population"))
    q1, q2 = by_code["2022-Q1"], by_code["2022-Q2"]
    report(indicator, kenya, q1, "18", parts={"sex": {"female": 10, "male": 8}})
    report(indicator, kenya, q2, "10", parts={"sex": {"female": 5, "male": 5}})
    report(indicator, uganda, q1, "12")  # no breakdown given
    report(
        indicator,
        thailand,
        q2,
        "7",
        parts={"sex": {"female": 4, "male": 3}, "population": {"returnees": 7}},
    )
    rollup_rebuild_full()
    # the quarter 2022-Q1, globally: 30 of which 18 broken down by sex (10 women, 8 men)
    period = rollup_row(indicator, q1, "period")
    assert period.actual == D("30")
    assert _parts(period, "sex") == {"female": D("10"), "male": D("8")}
    assert period.coverage("sex") == (1, D("18"))
    assert period.coverage("population") == (0, None)
    # the year to 2022-Q2: every quarter added, 47 of which 35 by sex and 7 by population group
    ytd = rollup_row(indicator, q2, "ytd")
    assert ytd.actual == D("47")
    assert _parts(ytd, "sex") == {"female": D("19"), "male": D("16")}
    assert ytd.coverage("sex") == (3, D("35"))
    assert _parts(ytd, "population") == {"returnees": D("7")}
    assert ytd.coverage("population") == (1, D("7"))
    # Nairobi's region: Kenya and Uganda only
    region = rollup_row(indicator, q2, "std", region=nairobi)
    assert region.actual == D("40")
    assert _parts(region, "sex") == {"female": D("15"), "male": D("13")}
    assert region.coverage("sex") == (2, D("28"))
    assert "population" not in region.breakdown()
    # and an office's own figures, computed on request, follow the same rules
    office = rollup_row(indicator, q2, "std", office=kenya)
    assert (office.actual, _parts(office, "sex")) == (D("28"), {"female": D("15"), "male": D("13")})


def test_non_cumulative_breakdowns_take_each_offices_latest_value(
    make_indicator, report, by_code, kenya, uganda, thailand, rollup_row
):
    indicator = make_indicator("number", cumulative=False, dimensions=("age",))
    q1, q2 = by_code["2022-Q1"], by_code["2022-Q2"]
    report(indicator, kenya, q1, "18", parts={"age": {"0_17": 10, "18_59": 8}})
    report(indicator, kenya, q2, "10", parts={"age": {"0_17": 6, "18_59": 4}})
    report(indicator, uganda, q1, "12", parts={"age": {"0_17": 3, "60_plus": 9}})
    # Thailand's latest value carries no breakdown, though its earlier one did
    report(indicator, thailand, q1, "5", parts={"age": {"18_59": 5}})
    report(indicator, thailand, q2, "9")
    rollup_rebuild_full()
    # strategy to date at 2022-Q2: Kenya 10 (Q2), Uganda 12 (Q1), Thailand 9 (Q2)
    std = rollup_row(indicator, q2, "std")
    assert std.actual == D("31")
    assert _parts(std, "age") == {"0_17": D("9"), "18_59": D("4"), "60_plus": D("9")}
    # two of the three latest values were broken down, 22 of the 31: never Thailand's old 5
    assert std.coverage("age") == (2, D("22"))


def test_an_indicator_without_dimensions_stores_no_breakdown(
    make_indicator, report, by_code, kenya, rollup_row
):
    indicator = make_indicator("number")
    report(indicator, kenya, by_code["2022-Q1"], "18", parts={"sex": {"female": 18}})
    rollup_rebuild_full()
    row = rollup_row(indicator, by_code["2022-Q1"], "period")
    assert row.breakdown() == {}
    assert row.coverage("sex") == (0, None)
