"""Fixtures of the REST API tests: token clients per role, and a small set of updates and
roll-ups across offices, statuses and periods."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reporting.models import IndicatorUpdate
from rollups.models import Rollup
from tests.factories import UpdateFactory

Status = IndicatorUpdate.Status


@pytest.fixture
def client_for(users):
    """Return an API client authenticated with the token of `users[name]`, or anonymous."""

    def make(name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            token, _ = Token.objects.get_or_create(user=users[name])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def world(users, number_indicator, percentage_indicator, kenya, uganda, thailand, periods):
    """Updates in each status for Kenya (Nairobi region), one submitted for Thailand (Bangkok),
    and roll-ups at each scope. Returns a dict of the rows by short name."""
    q3, q4 = periods[-2], periods[-1]
    rows = {
        "ke_draft": UpdateFactory(
            indicator=number_indicator, office=kenya, period=q4, status=Status.DRAFT
        ),
        "ke_submitted": UpdateFactory(
            indicator=number_indicator,
            office=kenya,
            period=q3,
            status=Status.SUBMITTED,
            value=Decimal("10"),
            disaggregations={"sex": {"female": 5, "male": 5}},
            submitted_at=timezone.now(),
        ),
        "ke_approved": UpdateFactory(
            indicator=percentage_indicator,
            office=kenya,
            period=q3,
            status=Status.APPROVED,
            value=Decimal("50"),
            numerator=Decimal("5"),
            denominator=Decimal("10"),
            submitted_at=timezone.now(),
        ),
        "ug_submitted": UpdateFactory(
            indicator=number_indicator,
            office=uganda,
            period=q4,
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
        ),
        "th_submitted": UpdateFactory(
            indicator=number_indicator,
            office=thailand,
            period=q4,
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
        ),
        "th_draft": UpdateFactory(
            indicator=percentage_indicator,
            office=thailand,
            period=q4,
            status=Status.DRAFT,
            value=Decimal("50"),
            numerator=Decimal("1"),
            denominator=Decimal("2"),
        ),
    }
    now = timezone.now()
    common = {"indicator": number_indicator, "period": q3, "computed_at": now}
    rows["rollup_global"] = Rollup.objects.create(scope="global", actual=Decimal("30"), **common)
    rows["rollup_nairobi"] = Rollup.objects.create(
        scope="region", region=kenya.region, actual=Decimal("20"), **common
    )
    rows["rollup_bangkok"] = Rollup.objects.create(
        scope="region", region=thailand.region, actual=Decimal("10"), **common
    )
    rows["rollup_hq"] = Rollup.objects.create(scope="hq", actual=Decimal("0"), **common)
    rows["rollup_ytd"] = Rollup.objects.create(
        scope="global", span="ytd", actual=Decimal("60"), **common
    )
    return rows


def ids(response) -> set[int]:
    """Return the ids of a paginated list response."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
