"""How a figure is written for a person, in one place, for the dashboards, the PDF and the
XLSX alike: every figure in its unit (a yes/no or ordinal figure as a share of reporting
offices with the count beside, a percentage from Σ numerators / Σ denominators, a number with
its unit), and the mark of a period still open or partly reported."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import number_display, percent_display
from deliverables.models import Indicator
from rollups.bands import Band, band_label, band_threshold_percent
from rollups.selectors.figures import Figure
from rollups.selectors.means import ResultMean

Measure = Indicator.Measure


def amount_text(value: Decimal | None, *, indicator: Indicator) -> str:
    """Return a value in the indicator's own unit: "9,400 people", "70.6%", "level 3 (…)"."""
    if value is None:
        return "—"
    if indicator.measure in (Measure.PERCENTAGE, Measure.YES_NO):
        return percent_display(value)
    if indicator.measure == Measure.ORDINAL:
        label = indicator.level_label(int(value))
        level = number_display(value)
        if label and label != str(int(value)):
            return _("level %(n)s (%(label)s)") % {"n": level, "label": label}
        return _("level %(n)s") % {"n": level}
    text = number_display(value)
    return f"{text} {indicator.unit}".strip()


def value_text(figure: Figure | None, *, indicator: Indicator) -> str:
    """Return the headline quantity of a figure in its unit ("78.0% of reporting offices")."""
    if figure is None or figure.value is None:
        return "—"
    if indicator.measure == Measure.YES_NO:
        return _("%(share)s of reporting offices") % {"share": percent_display(figure.share)}
    if indicator.measure == Measure.ORDINAL:
        return _("%(share)s at or above the target level") % {
            "share": percent_display(figure.share)
        }
    return amount_text(figure.actual, indicator=indicator)


def count_text(figure: Figure | None, *, indicator: Indicator) -> str:
    """Return the count beside a share or a percentage ("7 of 9 offices answered yes",
    "7,491 of 8,720"); "" for a number."""
    if figure is None or figure.denominator is None:
        return ""
    values = {"n": number_display(figure.numerator), "m": number_display(figure.denominator)}
    offices = int(figure.denominator)
    if indicator.measure == Measure.YES_NO:
        return (
            ngettext(
                "%(n)s of %(m)s office answered yes", "%(n)s of %(m)s offices answered yes", offices
            )
            % values
        )
    if indicator.measure == Measure.ORDINAL:
        return ngettext("%(n)s of %(m)s office", "%(n)s of %(m)s offices", offices) % values
    if indicator.measure == Measure.PERCENTAGE:
        return _("%(n)s of %(m)s") % values
    return ""


def target_text(figure: Figure | None, *, indicator: Indicator) -> str:
    """Return the target in the unit of the headline quantity (a yes/no target is a share
    of offices; an ordinal target is a level)."""
    return amount_text(None if figure is None else figure.target, indicator=indicator)


def baseline_text(figure: Figure | None, *, indicator: Indicator) -> str:
    return amount_text(None if figure is None else figure.baseline, indicator=indicator)


def provisional_text(figure: Figure | None, *, indicator: Indicator) -> str:
    """Return the provisional figure, saying how many submitted updates it adds to the approved
    ones ("" when none is awaiting review)."""
    if figure is None or not figure.submitted_count:
        return ""
    n = figure.submitted_count
    values = {"n": number_display(n, kind="count")}
    if indicator.measure in (Measure.NUMBER, Measure.PERCENTAGE):
        values["v"] = amount_text(figure.provisional_actual, indicator=indicator)
        return (
            ngettext(
                "provisional: %(v)s, counting %(n)s submitted update awaiting review",
                "provisional: %(v)s, counting %(n)s submitted updates awaiting review",
                n,
            )
            % values
        )
    return (
        ngettext(
            "%(n)s submitted update awaiting review", "%(n)s submitted updates awaiting review", n
        )
        % values
    )


def period_mark(figure: Figure | None, *, expected: int | None, reported: int | None = None) -> str:
    """Return the mark of an open or partly reported period ("2023-Q4 open — 12 of 180
    offices reported"); "" for a period every expected office reported. `reported`: the
    offices that reported in the period itself, when the figure spans more than that period."""
    if figure is None:
        return ""
    reported = figure.offices_count if reported is None else reported
    values = {
        "p": figure.period_code,
        "n": number_display(reported, kind="count"),
        "m": number_display(expected, kind="count"),
    }
    if figure.in_progress:
        if expected:
            return _("%(p)s open — %(n)s of %(m)s offices reported") % values
        return _("%(p)s open — reporting in progress") % values
    if expected and reported < expected:
        return _("%(p)s partly reported — %(n)s of %(m)s offices reported") % values
    return ""


def bands_text(bands: tuple[tuple[str, int], ...]) -> str:
    """Return a band distribution in words ("2 on track, 5 at risk")."""
    return ", ".join(f"{number_display(n, kind='count')} {band_label(b).lower()}" for b, n in bands)


def mean_explanation(mean: ResultMean) -> str:
    """Return, in one line, why a result has its band: the mean progress and pace of its
    indicators with data against the band thresholds, and how many of them are in each band."""
    values = {
        "n": number_display(mean.with_data, kind="count"),
        "m": number_display(mean.indicators, kind="count"),
        "progress": percent_display(mean.progress, kind="progress", fraction=True),
        "pace": percent_display(mean.pace, kind="progress", fraction=True),
        "on": percent_display(band_threshold_percent("on_track"), kind="progress"),
        "risk": percent_display(band_threshold_percent("at_risk"), kind="progress"),
        "bands": bands_text(mean.bands),
    }
    if not mean.with_data:
        return _("None of its %(m)s indicators has approved data against a target yet.") % values
    n = mean.with_data
    if mean.in_progress:
        line = ngettext(
            "Offices are still reporting: no verdict until the period closes; so far the "
            "progress of its indicator with data is %(progress)s.",
            "Offices are still reporting: no verdict until the period closes; so far the mean "
            "progress of its %(n)s indicators with data is %(progress)s.",
            n,
        )
    elif mean.band == Band.ACHIEVED:
        line = ngettext(
            "Its indicator with data reached %(progress)s of its target.",
            "Its %(n)s indicators with data reached %(progress)s of their targets on average.",
            n,
        )
    else:
        line = ngettext(
            "The pace of its indicator with data is %(pace)s of what should be reached by now "
            "(on track from %(on)s, at risk from %(risk)s).",
            "The mean pace of its %(n)s indicators with data is %(pace)s of what should be "
            "reached by now (on track from %(on)s, at risk from %(risk)s).",
            n,
        )
    # The translation outside the f-string, where makemessages finds it.
    bands = _("Indicators: %(bands)s.") % values
    return f"{line % values} {bands}"
