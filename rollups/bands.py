"""Status bands, in one place (DOMAIN: "Progress"): the rule the roll-up statement writes on each
row and the one pages apply to a result's mean, from the same thresholds (settings, not
constants).

A figure with data is `achieved` once its progress against the full target reaches the
"achieved" share; otherwise its *pace* — progress against the pro-rated target, what should have
been reached by now — puts it `on_track`, `at_risk` or `off_track`. Data with nothing to measure
it against is `no_target`; no approved data is `no_data`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from rollups.models import Rollup

Band = Rollup.Status


def _threshold(name: str) -> Decimal:
    return Decimal(str(settings.PROGRESS_BANDS[name]))


def status_band(*, progress: Decimal | None, pace: Decimal | None, has_data: bool = True) -> str:
    """Return the band of a progress (1.0 = 100% of the target) and a pace (1.0 = on the
    pro-rated target)."""
    if not has_data:
        return Band.NO_DATA
    if progress is None:
        return Band.NO_TARGET
    if progress >= _threshold("achieved"):
        return Band.ACHIEVED
    pace = progress if pace is None else pace
    if pace >= _threshold("on_track"):
        return Band.ON_TRACK
    if pace >= _threshold("at_risk"):
        return Band.AT_RISK
    return Band.OFF_TRACK


def status_band_sql(*, has_data: str, progress: str, pace: str) -> str:
    """Return the SQL CASE of `status_band` over three column expressions; its parameters are
    `status_band_params()`."""
    return f"""CASE WHEN NOT ({has_data}) THEN '{Band.NO_DATA}'
        WHEN {progress} IS NULL THEN '{Band.NO_TARGET}'
        WHEN {progress} >= %(band_achieved)s THEN '{Band.ACHIEVED}'
        WHEN COALESCE({pace}, {progress}) >= %(band_on_track)s THEN '{Band.ON_TRACK}'
        WHEN COALESCE({pace}, {progress}) >= %(band_at_risk)s THEN '{Band.AT_RISK}'
        ELSE '{Band.OFF_TRACK}' END"""


def status_band_params(*, as_float: bool = False) -> dict[str, Decimal | float]:
    """Return the thresholds as the statement's parameters (SQLite compares REAL columns with
    numbers, not with decimal strings)."""
    return {
        f"band_{name}": float(_threshold(name)) if as_float else _threshold(name)
        for name in ("achieved", "on_track", "at_risk")
    }
