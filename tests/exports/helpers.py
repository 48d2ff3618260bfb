"""Helpers of the export tests: roll-up rows written with known values, the update built for a
range of the `world` fixture, and a queued export job."""

import datetime as dt

from exports.services.membership import membership_update_build
from jobs.models import Job
from rollups.models import Rollup

Scope = Rollup.Scope
AS_OF = dt.datetime(2024, 1, 15, 10, 30, tzinfo=dt.UTC)


def write_rollup(indicator, period, *, span, scope=Scope.GLOBAL, region=None, **values):
    values.setdefault("computed_at", AS_OF - dt.timedelta(days=1))
    return Rollup.objects.create(
        indicator=indicator, period=period, span=span, scope=scope, region=region, **values
    )


def build(world, first="2019-Q1", last="2023-Q4"):
    p = world["periods"]
    return membership_update_build(
        strategy=world["strategy"], period_from=p[first], period_to=p[last]
    )


def export_job(user, strategy, **params):
    values = {
        "strategy_id": strategy.pk,
        "period_from": "2019-Q1",
        "period_to": "2023-Q4",
        "format": "xlsx",
    } | params
    return Job.objects.create(kind=Job.Kind.MEMBERSHIP_UPDATE, created_by=user, params=values)
