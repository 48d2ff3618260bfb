"""Fixtures shared by the whole suite: the real framework, a small world of offices and people
with one of each role, and a current open period."""

from decimal import Decimal

import pytest

from offices.models import Office, Region
from outcomes.models import Strategy
from outcomes.services import strategy_load
from reporting.models import ReportingPeriod
from reporting.services.periods import periods_ensure
from tests.factories import (
    AssignmentFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    OfficeFactory,
    Role,
    UserFactory,
    grant,
)


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider (tests/oidc_provider/) on 127.0.0.1, for the session."""
    from tests.oidc_provider.harness import provider_start

    provider = provider_start()
    yield provider
    provider.stop()


@pytest.fixture
def strategy(db) -> Strategy:
    """The IOM strategy, loaded from its data file (outcomes, deliverables, regions, HQ)."""
    loaded, _report = strategy_load()
    return loaded


@pytest.fixture
def periods(strategy) -> list[ReportingPeriod]:
    """The strategy's 20 quarters, all open."""
    return periods_ensure(strategy=strategy)


@pytest.fixture
def period(periods) -> ReportingPeriod:
    """2023-Q4, open."""
    return periods[-1]


@pytest.fixture
def nairobi(strategy) -> Region:
    return Region.objects.get(code="nairobi")


@pytest.fixture
def bangkok(strategy) -> Region:
    return Region.objects.get(code="bangkok")


@pytest.fixture
def kenya(nairobi) -> Office:
    return OfficeFactory(code="co-ke", name="Kenya", iso_code="KE", region=nairobi)


@pytest.fixture
def uganda(nairobi) -> Office:
    return OfficeFactory(code="co-ug", name="Uganda", iso_code="UG", region=nairobi)


@pytest.fixture
def thailand(bangkok) -> Office:
    return OfficeFactory(code="co-th", name="Thailand", iso_code="TH", region=bangkok)


@pytest.fixture
def hq_office(strategy) -> Office:
    return Office.objects.get(kind=Office.Kind.HEADQUARTERS)


@pytest.fixture
def number_indicator(strategy, kenya, uganda, thailand):
    """A cumulative count on deliverable (a)(i), assigned to Kenya, Uganda and Thailand."""
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="i")
    indicator = IndicatorFactory(
        deliverable=deliverable,
        code="A.i.1",
        name="People assisted",
        measure="number",
        cumulative=True,
        baseline_value=Decimal("0"),
        disaggregations=["sex"],
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=indicator, year=year, value=Decimal("1000"))
    for office in (kenya, uganda, thailand):
        AssignmentFactory(indicator=indicator, office=office)
    return indicator


@pytest.fixture
def percentage_indicator(strategy, kenya, uganda, thailand):
    """A non-cumulative percentage on institutional output (a), assigned to the three offices."""
    output = strategy.institutionaloutput_set.get(code="a")
    indicator = IndicatorFactory(
        deliverable=None,
        output=output,
        code="O.a.1",
        name="Share of staff trained",
        measure="percentage",
        unit="%",
        cumulative=False,
        baseline_value=Decimal("20"),
    )
    for year in strategy.years:
        IndicatorTargetFactory(indicator=indicator, year=year, value=Decimal("60"))
    for office in (kenya, uganda, thailand):
        AssignmentFactory(indicator=indicator, office=office)
    return indicator


@pytest.fixture
def users(kenya, uganda, thailand, nairobi, bangkok, hq_office) -> dict:
    """One person per role and scope, keyed by a short name:
    field (Kenya), field_ug (Uganda), field_th (Thailand), reviewer (Nairobi region),
    reviewer_bkk (Bangkok region), reviewer_hq (headquarters), steering, hq, admin, norole."""
    return {
        "field": grant(UserFactory(username="field"), Role.FIELD_STAFF, office=kenya),
        "field_ug": grant(UserFactory(username="field_ug"), Role.FIELD_STAFF, office=uganda),
        "field_th": grant(UserFactory(username="field_th"), Role.FIELD_STAFF, office=thailand),
        "reviewer": grant(UserFactory(username="reviewer"), Role.REVIEWER, region=nairobi),
        "reviewer_bkk": grant(UserFactory(username="reviewer_bkk"), Role.REVIEWER, region=bangkok),
        "reviewer_hq": grant(UserFactory(username="reviewer_hq"), Role.REVIEWER, office=hq_office),
        "steering": grant(UserFactory(username="steering"), Role.STEERING),
        "hq": grant(UserFactory(username="hq"), Role.HQ_MANAGER),
        "admin": grant(UserFactory(username="admin"), Role.ADMINISTRATOR),
        "norole": UserFactory(username="norole"),
    }


def pytest_collection_modifyitems(items):
    """Run the tests that stop and restart a Redis of their own last: kombu's Redis transport
    keeps process-wide state after them that a later real-worker test in the same process
    (tests/rollups/test_worker.py) does not recover from."""
    items.sort(key=lambda item: "test_redis_down" in item.nodeid)
