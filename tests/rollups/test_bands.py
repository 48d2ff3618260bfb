"""Status bands: one rule, written on each roll-up row by SQL and applied to results in Python."""

from decimal import Decimal as D

import pytest
from django.db import connection

from rollups.bands import status_band, status_band_params, status_band_sql

CASES = [
    # has data, progress, pace, band
    (False, None, None, "no_data"),
    (True, None, None, "no_target"),
    (True, D("1"), D("0.2"), "achieved"),
    (True, D("1.3"), None, "achieved"),
    (True, D("0.5"), D("0.75"), "on_track"),
    (True, D("0.5"), D("0.7499"), "at_risk"),
    (True, D("0.3"), D("0.40"), "at_risk"),
    (True, D("0.3"), D("0.3999"), "off_track"),
    (True, D("-0.2"), D("-0.5"), "off_track"),
    (True, D("0.8"), None, "on_track"),  # no pro-rated target: the progress is the pace
]


@pytest.mark.parametrize(("has_data", "progress", "pace", "band"), CASES)
def test_status_band_follows_the_thresholds(has_data, progress, pace, band):
    assert status_band(progress=progress, pace=pace, has_data=has_data) == band


@pytest.mark.django_db
@pytest.mark.parametrize(("has_data", "progress", "pace", "band"), CASES)
def test_status_band_sql_agrees_with_python(has_data, progress, pace, band):
    # given the SQL the roll-up statement writes, evaluated over the same values
    sql = status_band_sql(
        has_data="%(has)s = 1", progress="CAST(%(progress)s AS DECIMAL(12, 4))",
        pace="CAST(%(pace)s AS DECIMAL(12, 4))",
    )  # fmt: skip
    postgres = connection.vendor == "postgresql"
    params = {
        **status_band_params(as_float=not postgres),
        "has": int(has_data),
        "progress": progress if postgres or progress is None else float(progress),
        "pace": pace if postgres or pace is None else float(pace),
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        (stored,) = cursor.fetchone()
    # then it gives the band Python gives
    assert stored == band


def test_status_band_thresholds_are_settings(settings):
    settings.PROGRESS_BANDS = {"achieved": 0.9, "on_track": 0.5, "at_risk": 0.2}
    assert status_band(progress=D("0.9"), pace=None) == "achieved"
    assert status_band(progress=D("0.3"), pace=D("0.5")) == "on_track"
    assert status_band(progress=D("0.1"), pace=D("0.19")) == "off_track"
