"""Incremental recomputation: what it touches, when it runs, and that it always agrees with the
full rebuild."""

import random
from decimal import Decimal

from deliverables import services as deliverables
from deliverables.models import Assignment, Indicator
from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues
from reporting.services.workflow import (
    update_approve,
    update_reopen,
    update_return,
    update_save,
    update_submit,
)
from rollups.models import Rollup
from rollups.services import rollup_rebuild_full, rollup_recompute, rollup_recompute_by_ids

Status = IndicatorUpdate.Status
D = Decimal


def _snapshot() -> list[tuple]:
    """Every roll-up row, every field but its id and computed_at, in a stable order."""
    fields = [
        f.attname
        for f in Rollup._meta.concrete_fields
        if f.attname not in {"id", "computed_at", "distribution"}
    ]
    rows = Rollup.objects.values_list(*fields, "distribution")
    return sorted((*(str(v) for v in row[:-1]), sorted(row[-1].items())) for row in rows)


# --- Incremental recomputation ---------------------------------------------------------------


def test_rollup_recompute_touches_exactly_the_period_later_ytd_and_later_std_rows(
    make_indicator, report, by_code, kenya, periods
):
    indicator = make_indicator("number")
    other = make_indicator("number")
    report(indicator, kenya, by_code["2021-Q3"], "5")
    report(other, kenya, by_code["2021-Q3"], "5")
    # when only (indicator, 2021-Q3) is recomputed on an empty table
    rollup_recompute(indicator=indicator, period=by_code["2021-Q3"])
    # then its global rows are: the quarter, ytd Q3 and Q4, std from Q3 to the end (10)
    touched = set(
        Rollup.objects.filter(scope="global").values_list("indicator_id", "span", "period__code")
    )
    later = [p.code for p in periods if p.start_date >= by_code["2021-Q3"].start_date]
    assert touched == {
        (indicator.pk, "period", "2021-Q3"),
        (indicator.pk, "ytd", "2021-Q3"),
        (indicator.pk, "ytd", "2021-Q4"),
        *((indicator.pk, "std", code) for code in later),
    }


def test_rollup_recompute_twice_is_harmless(make_indicator, report, by_code, kenya, uganda):
    indicator = make_indicator("number", targets={2021: "100"})
    report(indicator, kenya, by_code["2021-Q1"], "10")
    report(indicator, uganda, by_code["2021-Q1"], "5")
    rollup_rebuild_full()
    before = _snapshot()
    # when the same recomputation (and a full rebuild) runs again
    rollup_recompute(indicator=indicator, period=by_code["2021-Q1"])
    rollup_recompute(indicator=indicator, period=by_code["2021-Q1"])
    rollup_rebuild_full()
    # then nothing is counted twice
    assert _snapshot() == before


def test_rollup_reopening_or_returning_removes_an_update(
    make_indicator, report, by_code, kenya, uganda, rollup_row
):
    indicator = make_indicator("number")
    q1 = by_code["2021-Q1"]
    kenya_update = report(indicator, kenya, q1, "10")
    report(indicator, uganda, q1, "5")
    rollup_rebuild_full()
    assert rollup_row(indicator, q1, "std").actual == D("15")
    # when Kenya's approved update is reopened (back to draft) and recomputed
    IndicatorUpdate.objects.filter(pk=kenya_update.pk).update(status=Status.DRAFT)
    rollup_recompute(indicator=indicator, period=q1)
    # then it no longer counts anywhere, and Kenya's rows are gone
    assert rollup_row(indicator, q1, "std").actual == D("5")
    assert rollup_row(indicator, by_code["2023-Q4"], "std").actual == D("5")
    assert rollup_row(indicator, q1, office=kenya) is None


def test_rollup_follows_the_workflow_after_commit(
    users, number_indicator, kenya, period, django_capture_on_commit_callbacks, rollup_row
):
    # given Kenya's draft of 40 people for 2023-Q4, submitted
    values = UpdateValues(value=D("40"), disaggregations={"sex": {"female": 20, "male": 20}})
    with django_capture_on_commit_callbacks(execute=True):
        update = update_save(
            user=users["field"],
            indicator=number_indicator,
            office=kenya,
            period=period,
            values=values,
        )
        update = update_submit(user=users["field"], update=update)
    row = rollup_row(number_indicator, period)
    assert (row.actual, row.provisional_actual, row.status) == (None, D("40"), "no_data")
    # when a reviewer approves it (the roll-up task runs once the transaction commits)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update = update_approve(user=users["reviewer"], update=update)
    assert callbacks  # the recomputation was enqueued on commit
    # then the period's global row counts it: 40 of a quarter's 1000 / 4 = 250
    row = rollup_row(number_indicator, period)
    assert (row.actual, row.target, row.updates_count) == (D("40"), D("250"), 1)
    assert rollup_row(number_indicator, period, "std").actual == D("40")
    # when it is reopened it leaves the roll-up again
    with django_capture_on_commit_callbacks(execute=True):
        update_reopen(user=users["reviewer"], update=update, reason="Wrong source")
    assert rollup_row(number_indicator, period).actual is None


def test_rollup_returned_update_is_not_provisional(
    users, number_indicator, kenya, period, django_capture_on_commit_callbacks, rollup_row
):
    values = UpdateValues(value=D("40"), disaggregations={"sex": {"female": 20, "male": 20}})
    with django_capture_on_commit_callbacks(execute=True):
        update = update_save(
            user=users["field"],
            indicator=number_indicator,
            office=kenya,
            period=period,
            values=values,
        )
        update = update_submit(user=users["field"], update=update)
        update_return(user=users["reviewer"], update=update, comment="Check the source")
    row = rollup_row(number_indicator, period)
    assert (row.provisional_actual, row.provisional_updates_count) == (None, 0)


# --- Full rebuild = incremental --------------------------------------------------------------


KINDS = [
    ("number", True),
    ("number", False),
    ("percentage", False),
    ("percentage", True),
    ("yes_no", False),
    ("ordinal", False),
    ("qualitative", False),
]


def _random_values(rng, measure, dims) -> dict:
    if measure == "number":
        value = rng.randint(0, 50)
        values = {"value": str(value)}
    elif measure == "percentage":
        den = rng.randint(1, 40)
        value = rng.randint(0, den)
        values = {"numerator": str(value), "denominator": str(den)}
    elif measure == "yes_no":
        return {"value": str(rng.randint(0, 1))}
    elif measure == "ordinal":
        return {"value": str(rng.randint(1, 4))}
    else:
        return {"text": rng.choice(["A narrative.", ""])}
    # some updates break their figure down, by some of the indicator's dimensions
    given = [dim for dim in dims if rng.random() < 0.6]
    if given:
        parts = {}
        for dim in given:
            first, *rest = (cat for cat, _label in Indicator.DIMENSION_CATEGORIES[dim])
            share = rng.randint(0, value)
            parts[dim] = {first: share, rng.choice(rest): value - share}
        values["parts"] = parts
    return values


def _random_targets(rng) -> list[dict]:
    """Yearly global targets, now and then a year without one, now and then an office's own."""
    years = [y for y in range(2019, 2024) if rng.random() < 0.85]
    return [{"year": y, "value": D(rng.choice([40, 60, 100]))} for y in years]


def test_rollup_full_rebuild_equals_incremental_over_random_events(
    make_indicator,
    report,
    periods,
    kenya,
    uganda,
    thailand,
    rwanda,
    hq_office,
    users,
    django_capture_on_commit_callbacks,
):
    rng = random.Random(20231)
    hq = users["hq"]
    offices = [kenya, uganda, thailand, rwanda, hq_office]
    indicators = []
    for n, (measure, cumulative) in enumerate(KINDS * 2):
        targets = {y: str(rng.choice([40, 60, 100])) for y in (2019, 2020, 2021, 2022, 2023)}
        if n % 3 == 0:
            targets.pop(2021)
        office_targets = {kenya: {2021: "30"}, uganda: {2021: "20"}} if n % 2 else {}
        dims = ("sex", "age", "population") if measure in ("number", "percentage") else ()
        indicators.append(
            make_indicator(
                measure,
                cumulative=cumulative,
                baseline=str(rng.choice([0, 5, 10])) if measure != "ordinal" else "2",
                direction=rng.choice(["increase", "decrease"]),
                targets={} if measure == "qualitative" else targets,
                office_targets={} if measure == "qualitative" else office_targets,
                offices=(kenya, uganda),
                levels=["a", "b", "c", "d"] if measure == "ordinal" else None,
                dimensions=dims[: 1 + n % 3],
            )
        )
    # given the nightly rebuild of an empty database
    rollup_rebuild_full()
    # when updates arrive, change status and are reopened, each followed by the recomputation
    # the workflow enqueues, and HQ now and then edits targets, baselines and assignments (each
    # recomputed by what its commit sends)
    statuses = [Status.APPROVED] * 5 + [Status.SUBMITTED, Status.DRAFT, Status.RETURNED]
    edits = {"targets": 0, "baseline": 0, "assign": 0, "unassign": 0}
    for _ in range(300):
        indicator = rng.choice(indicators)
        roll = rng.random()
        if roll < 0.06 and indicator.measure != "qualitative":
            edits["targets"] += 1
            with django_capture_on_commit_callbacks(execute=True):
                deliverables.indicator_targets_set(
                    user=hq, indicator=indicator, targets=_random_targets(rng)
                )
            continue
        if roll < 0.10 and indicator.measure in ("number", "percentage", "yes_no"):
            edits["baseline"] += 1
            with django_capture_on_commit_callbacks(execute=True):
                deliverables.indicator_update(
                    user=hq, indicator=indicator, data={"baseline_value": D(rng.randint(0, 9))}
                )
            continue
        if roll < 0.15:
            office = rng.choice([uganda, thailand, rwanda, hq_office])
            assignment = Assignment.objects.filter(indicator=indicator, office=office).first()
            with django_capture_on_commit_callbacks(execute=True):
                if assignment is None:
                    edits["assign"] += 1
                    deliverables.assignment_create(user=hq, indicator=indicator, office=office)
                else:
                    edits["unassign"] += 1
                    deliverables.assignment_delete(user=hq, assignment=assignment)
            continue
        office, period = rng.choice(offices), rng.choice(periods)
        existing = IndicatorUpdate.objects.filter(
            indicator=indicator, office=office, period=period
        ).first()
        if existing is None:
            dims = tuple(indicator.disaggregations)
            values = _random_values(rng, indicator.measure, dims)
            report(indicator, office, period, status=rng.choice(statuses), **values)
        else:
            existing.status = rng.choice(statuses)
            existing.save(update_fields=["status"])
        rollup_recompute_by_ids(indicator_id=indicator.pk, period_id=period.pk, office_id=office.pk)
    incremental = _snapshot()
    # then a full rebuild gives every row and every number identically, breakdowns included
    report_ = rollup_rebuild_full()
    assert report_.rows == len(incremental)
    assert _snapshot() == incremental
    # and the scenario did exercise every kind of edit, every scope and span with data, and
    # breakdowns with partial coverage
    assert all(count >= 2 for count in edits.values()), edits
    assert Rollup.objects.exclude(status="no_data").values("scope", "span").distinct().count() == 9
    partial = [
        row
        for row in Rollup.objects.filter(covered_sex_updates__gt=0)
        if row.coverage("sex")[1] != row.actual
    ]
    assert partial, "some breakdowns should cover only part of their total"
