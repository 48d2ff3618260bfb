"""Reads for the membership update exports page: the strategy, range presets, past exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import Job
from outcomes.models import Strategy
from reporting.models import ReportingPeriod


@dataclass(frozen=True)
class RangePreset:
    key: str
    label: str
    period_from: str
    period_to: str


def export_range_presets(*, strategy: Strategy) -> list[RangePreset]:
    """Return the ranges offered with one click: strategy to date, then each year."""
    periods = list(ReportingPeriod.objects.filter(strategy=strategy).order_by("start_date"))
    if not periods:
        return []
    today = timezone.localdate()
    started = [p for p in periods if p.start_date <= today] or periods[:1]
    last = started[-1]
    presets = [
        RangePreset(
            key="std",
            label=_("Strategy to date (%(a)s – %(b)s)") % {"a": periods[0].code, "b": last.code},
            period_from=periods[0].code,
            period_to=last.code,
        )
    ]
    for year in sorted({p.year for p in started}, reverse=True):
        in_year = [p for p in periods if p.year == year and p.start_date <= today]
        presets.append(
            RangePreset(
                key=f"year-{year}",
                label=_("Year %(year)s (%(a)s – %(b)s)")
                % {"year": year, "a": in_year[0].code, "b": in_year[-1].code},
                period_from=in_year[0].code,
                period_to=in_year[-1].code,
            )
        )
    return presets


def export_jobs_list(*, strategy: Strategy | None = None) -> QuerySet[Job]:
    """Return the membership update jobs, newest first, with who made them."""
    jobs = Job.objects.filter(kind=Job.Kind.MEMBERSHIP_UPDATE).select_related("created_by")
    if strategy is not None:
        jobs = jobs.filter(params__strategy_id=strategy.pk)
    return jobs.order_by("-created_at", "-pk")
