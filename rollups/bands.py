"""Status bands, in one place (DOMAIN: "Progress"): the rule the roll-up statement writes on each
row and the one pages apply to a result's mean, from the same thresholds (settings, not
constants).

A figure with data is `achieved` once its progress against the full target reaches the
"achieved" share; otherwise its *pace* — progress against the pro-rated target, what should have
been reached by now — puts it `on_track`, `at_risk` or `off_track`. Data with nothing to measure
it against is `no_target`; no approved data is `no_data`. A figure ending at a period still
open (offices reporting) gets no verdict: it reads `in_progress` ("reporting in progress").
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Band(models.TextChoices):
    """What a figure or a result says: the stored verdicts (Rollup.Status, same values) and
    `in_progress`, which pages and exports show instead of a verdict while a period is open."""

    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_TARGET = "no_target", _("No target")
    NO_DATA = "no_data", _("No data")
    IN_PROGRESS = "in_progress", _("Reporting in progress")


# The order a band distribution is drawn and counted in (worst verdicts last).
BAND_ORDER = (
    Band.ACHIEVED,
    Band.ON_TRACK,
    Band.AT_RISK,
    Band.OFF_TRACK,
    Band.NO_TARGET,
    Band.IN_PROGRESS,
    Band.NO_DATA,
)


def band_label(band: str) -> str:
    """Return a band's words in the active language."""
    return str(Band(band).label)


def band_threshold_percent(name: str) -> Decimal:
    """Return a band's threshold in percent (e.g. on track: 75)."""
    return _threshold(name) * 100


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
