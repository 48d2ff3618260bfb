"""The CSV membership update: the documented columns, one row per global and regional roll-up."""

from __future__ import annotations

import csv
import io

from exports.services.csv import COLUMNS, membership_update_csv
from rollups.models import Rollup
from tests.exports.helpers import build

Span = Rollup.Span
Scope = Rollup.Scope


def test_csv_rows_match_the_rollups(world):
    # when the CSV is made and read back
    data = membership_update_csv(update=build(world)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    # then the columns are the documented ones and there is one row per global/regional roll-up
    assert list(rows[0]) == COLUMNS
    assert len(rows) == Rollup.objects.filter(scope__in=["global", "region"]).count()
    key = ("A.i.1", "global", "2023-Q4", "std")
    final = next(
        r for r in rows if (r["indicator_code"], r["scope"], r["period"], r["span"]) == key
    )
    assert (final["actual"], final["target"], final["progress"]) == ("3500", "5000", "0.7")
    assert (final["result_code"], final["outcome_code"], final["status"]) == ("A.i", "a", "at_risk")
    nairobi = next(r for r in rows if r["scope"] == "region" and r["region_code"] == "nairobi")
    assert nairobi["actual"] == "2000"
    percentage = next(r for r in rows if r["indicator_code"] == "O.a.1" and r["span"] == "std")
    assert (percentage["numerator"], percentage["denominator"]) == ("150", "300")


def test_csv_of_a_year_holds_only_that_years_periods(world):
    data = membership_update_csv(update=build(world, "2021-Q1", "2021-Q4")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows
    assert {r["year"] for r in rows} == {"2021"}
