"""Lists run a bounded number of SQL queries, whatever the data size."""

import itertools
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deliverables.models import Indicator, IndicatorTarget
from reporting.models import IndicatorUpdate
from rollups.models import Rollup
from tests.factories import OfficeFactory

BOUND = 8  # token, roles, count, page, prefetches: never one per row


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) > 0
    return len(captured)


def _offices(nairobi, count: int):
    return [
        OfficeFactory(code=f"co-q{n}", name=f"Office {n}", region=nairobi) for n in range(count)
    ]


def _updates(indicators, offices, periods, count: int) -> None:
    rows = []
    for indicator, office, period in itertools.islice(
        itertools.product(indicators, offices, periods), count
    ):
        rows.append(
            IndicatorUpdate(
                indicator=indicator,
                office=office,
                period=period,
                measure=indicator.measure,
                status="submitted",
                value=Decimal("1"),
                numerator=Decimal("1") if indicator.measure == "percentage" else None,
                denominator=Decimal("2") if indicator.measure == "percentage" else None,
            )
        )
    IndicatorUpdate.objects.bulk_create(rows)


def test_updates_list_query_count_does_not_grow(
    client_for, users, number_indicator, percentage_indicator, nairobi, periods
):
    # given 20 updates, then 200
    offices = _offices(nairobi, 5)
    indicators = [number_indicator, percentage_indicator]
    client = client_for("hq")
    _updates(indicators, offices[:1], periods, 20)
    small = _queries(client, "/api/v1/updates/?page_size=100")
    IndicatorUpdate.objects.all().delete()
    _updates(indicators, offices, periods, 200)
    assert IndicatorUpdate.objects.count() == 200
    # then listing 100 of them costs the same few queries
    large = _queries(client, "/api/v1/updates/?page_size=100")
    assert small == large
    assert large <= BOUND
    # and so for a reviewer, whose visibility filter is more involved
    assert _queries(client_for("reviewer"), "/api/v1/updates/?page_size=100") <= BOUND


def test_rollups_list_query_count_does_not_grow(
    client_for, users, number_indicator, nairobi, periods
):
    now = timezone.now()
    spans = ["period", "ytd", "std"]

    def make(count: int) -> None:
        Rollup.objects.all().delete()
        Rollup.objects.bulk_create(
            Rollup(
                indicator=number_indicator,
                scope="region",
                region=nairobi,
                period=period,
                span=span,
                computed_at=now,
                actual=Decimal("1"),
            )
            for period, span in itertools.islice(itertools.product(periods, spans), count)
        )

    client = client_for("hq")
    make(20)
    small = _queries(client, "/api/v1/rollups/?page_size=100")
    make(60)
    large = _queries(client, "/api/v1/rollups/?page_size=100")
    assert small == large <= BOUND
    assert _queries(client_for("reviewer"), "/api/v1/rollups/?page_size=100") <= BOUND


def test_indicators_list_query_count_does_not_grow(client_for, users, number_indicator, strategy):
    deliverable = number_indicator.deliverable
    markers = list(strategy.marker_set.all())

    def make(count: int) -> None:
        created = Indicator.objects.bulk_create(
            Indicator(
                strategy=strategy,
                deliverable=deliverable,
                code=f"Q.{count}.{n}",
                name=f"Q {n}",
                measure="number",
            )
            for n in range(count)
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, year=year, value=Decimal("5"))
            for indicator in created
            for year in (2022, 2023)
        )
        for indicator in created:
            indicator.markers.set(markers)

    client = client_for("steering")
    make(19)
    small = _queries(client, "/api/v1/indicators/?page_size=100")
    make(60)
    large = _queries(client, "/api/v1/indicators/?page_size=100")
    assert small == large <= BOUND + 4
