"""Schemathesis fuzzing of the API against its own OpenAPI schema, authenticated.

Every operation of the tracker's own resources gets a bounded, deterministic number of
generated requests as an HQ results manager (who may write everything) and again as Kenya's
field staff (who is refused most writes: those refusals must be documented too). Each response
must not be a server error, must have a documented status code, and must match the documented
body. The plans' rows include ones without an office and of headquarters (no region), so the
nullable fields are exercised.

The delivery and resource plans' operations (actions, resources, delivery-plan-versions) get
fewer examples each, which keeps the whole run within a few minutes.
"""

import datetime as dt
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from deliverables.models import Assignment, Deliverable, Indicator
from offices.models import Office, Region
from outcomes.models import InstitutionalOutput, Marker, Outcome, SdgTarget, Strategy
from plans.models import Action, DeliveryPlanVersion, FinancialResource, HumanResource
from plans.services import delivery_plan_publish
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.models import Rollup

RESOURCES = (
    "strategies|outcomes|deliverables|outputs|markers|sdg-targets|indicators|regions|offices"
    "|periods|assignments|updates|rollups|actions|resources|resources/human|resources/financial"
    "|delivery-plan-versions"
)
PLANS = r"^/api/v1/(actions|resources|delivery-plan-versions)/"
OWN = rf"^/api/v1/(auth|{RESOURCES})/"

loaded = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
# The coverage phase enumerates every boundary of every parameter (minutes per operation);
# the explicit examples and the random fuzzing keep the run within a few minutes.
loaded.config.phases.update(phases=["examples", "fuzzing"])
own = loaded.include(path_regex=OWN)
schema = own.exclude(path_regex=PLANS)
plans_schema = loaded.include(path_regex=PLANS)
field_schema = own

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
PLANS_SETTINGS = settings(FUZZ_SETTINGS, max_examples=10)


MODELS = {
    "strategies": Strategy,
    "outcomes": Outcome,
    "deliverables": Deliverable,
    "outputs": InstitutionalOutput,
    "markers": Marker,
    "sdg-targets": SdgTarget,
    "indicators": Indicator,
    "regions": Region,
    "offices": Office,
    "periods": ReportingPeriod,
    "assignments": Assignment,
    "updates": IndicatorUpdate,
    "rollups": Rollup,
    "actions": Action,
    "resources/human": HumanResource,
    "resources/financial": FinancialResource,
    "delivery-plan-versions": DeliveryPlanVersion,
}


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Requests go through the real WSGI handler, whose request signals close the database
    connection (and with it the test's transaction on PostgreSQL); keep it open, as Django's
    own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _header(user) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


FOREIGN_KEYS = {
    "strategy": Strategy,
    "outcome": Outcome,
    "deliverable": Deliverable,
    "output": InstitutionalOutput,
    "indicator": Indicator,
    "region": Region,
    "office": Office,
    "period": ReportingPeriod,
}


def _existing(model, generated: int) -> int | None:
    """Return a row's id chosen by `generated`, or None when there are none."""
    existing = list(model.objects.order_by("pk").values_list("pk", flat=True)[:50])
    return existing[(generated // 2) % len(existing)] if existing else None


def _aim(case) -> None:
    """Point half of the generated ids (path `{id}` and related ids in bodies) at rows that
    exist, so fuzzed requests reach the serializers and services rather than stopping at 404
    or "no such row" (deterministic: by the generated id's parity)."""
    generated = (case.path_parameters or {}).get("id")
    parts = case.path.removeprefix("/api/v1/").split("/")
    model = MODELS.get("/".join(parts[:2])) or MODELS.get(parts[0])
    if model is not None and isinstance(generated, int) and not generated % 2:
        case.path_parameters["id"] = _existing(model, generated) or generated
    if isinstance(case.body, dict):
        for name, related in FOREIGN_KEYS.items():
            value = case.body.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and not value % 2:
                case.body[name] = _existing(related, value) or value


@pytest.mark.fuzz
@schema.parametrize()
@FUZZ_SETTINGS
def test_api_conforms_to_its_schema_as_hq(case, users, world):
    # given an HQ results manager; when any request the schema allows is sent
    # then no 5xx, the status code is documented and the body matches the schema
    _aim(case)
    case.call_and_validate(headers=_header(users["hq"]), checks=CHECKS)


@pytest.fixture
def plans(world, strategy, kenya, thailand, users):
    """A few rows of the delivery and resource plans in two offices, and a published version."""
    deliverable = Deliverable.objects.filter(outcome__strategy=strategy).order_by("pk").first()
    output = InstitutionalOutput.objects.filter(strategy=strategy).order_by("pk").first()
    year = strategy.start_year
    for office, result in ((kenya, {"deliverable": deliverable}), (thailand, {"output": output})):
        Action.objects.create(
            strategy=strategy,
            title=f"Map the drivers of migration in {office.name}",
            expected_results="Assessments shared with governments.",
            office=office,
            start_date=dt.date(year, 1, 1),
            due_date=dt.date(year, 12, 31),
            **result,
        )
        HumanResource.objects.create(
            strategy=strategy, year=year, office=office, fte_planned=Decimal("1.5"), **result
        )
        FinancialResource.objects.create(
            strategy=strategy,
            year=year,
            source=FinancialResource.Source.UNEARMARKED,
            office=office,
            amount_planned=Decimal("1000"),
            **result,
        )
    # Rows without a region (headquarters) or without an office at all (a global allocation):
    # their `region` and `office_name` are null, as the schema must say.
    headquarters = Office.objects.get(kind=Office.Kind.HEADQUARTERS)
    Action.objects.create(
        strategy=strategy,
        title="Publish the global migration data report",
        expected_results="A report.",
        office=headquarters,
        start_date=dt.date(year, 1, 1),
        due_date=dt.date(year, 12, 31),
        output=output,
    )
    FinancialResource.objects.create(
        strategy=strategy,
        year=year,
        source=FinancialResource.Source.UNEARMARKED,
        office=None,
        amount_planned=Decimal("5000"),
        output=output,
    )
    HumanResource.objects.create(
        strategy=strategy, year=year, office=headquarters, fte_planned=Decimal("2"), output=output
    )
    delivery_plan_publish(strategy=strategy, user=users["hq"], note="First")


@pytest.mark.fuzz
@plans_schema.parametrize()
@PLANS_SETTINGS
def test_plans_api_conforms_to_its_schema_as_hq(case, users, plans):
    # given an HQ results manager and rows of the plans; when any request the schema allows
    # is sent to the plans' operations then no 5xx, documented status codes and bodies
    _aim(case)
    case.call_and_validate(headers=_header(users["hq"]), checks=CHECKS)


@pytest.mark.fuzz
@field_schema.parametrize()
@FUZZ_SETTINGS
def test_api_conforms_to_its_schema_as_field_staff(case, users, plans):
    _aim(case)
    case.call_and_validate(headers=_header(users["field"]), checks=CHECKS)
