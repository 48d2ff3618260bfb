"""Fixtures for the plans: the strategy's real deliverables and outputs, offices in two regions
and HQ (from tests/conftest.py), and helpers that write rows straight to the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from deliverables.models import Deliverable
from outcomes.models import InstitutionalOutput
from plans.models import Action, FinancialResource, HumanResource


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def deliverable_ai(strategy) -> Deliverable:
    return Deliverable.objects.get(outcome__strategy=strategy, outcome__code="a", code="i")


@pytest.fixture
def deliverable_aii(strategy) -> Deliverable:
    return Deliverable.objects.get(outcome__strategy=strategy, outcome__code="a", code="ii")


@pytest.fixture
def deliverable_bi(strategy) -> Deliverable:
    return Deliverable.objects.get(outcome__strategy=strategy, outcome__code="b", code="i")


@pytest.fixture
def output_a(strategy) -> InstitutionalOutput:
    return InstitutionalOutput.objects.get(strategy=strategy, code="a")


@pytest.fixture
def make_action(strategy, deliverable_ai, kenya, today):
    """Write an action straight to the database (set-up, not the service under test)."""

    def make(**fields) -> Action:
        values = {
            "strategy": strategy,
            "deliverable": deliverable_ai,
            "output": None,
            "title": "Map the drivers of migration",
            "expected_results": "Assessments shared with governments.",
            "office": kenya,
            "lead": "Amina Diallo",
            "start_date": today - dt.timedelta(days=90),
            "due_date": today + dt.timedelta(days=90),
            "status": Action.Status.IN_PROGRESS,
        }
        values.update(fields)
        if values.get("output") is not None and "deliverable" not in fields:
            values["deliverable"] = None
        return Action.objects.create(**values)

    return make


@pytest.fixture
def make_human(strategy, deliverable_ai, kenya):
    def make(**fields) -> HumanResource:
        values = {
            "strategy": strategy,
            "deliverable": deliverable_ai,
            "output": None,
            "year": 2021,
            "office": kenya,
            "fte_planned": Decimal("1"),
            "fte_actual": Decimal("1"),
        }
        values.update(fields)
        if values.get("output") is not None and "deliverable" not in fields:
            values["deliverable"] = None
        return HumanResource.objects.create(**values)

    return make


@pytest.fixture
def make_financial(strategy, deliverable_ai, kenya):
    def make(**fields) -> FinancialResource:
        values = {
            "strategy": strategy,
            "deliverable": deliverable_ai,
            "output": None,
            "year": 2021,
            "source": FinancialResource.Source.EARMARKED,
            "office": kenya,
            "amount_planned": Decimal("100"),
            "amount_mobilized": Decimal("0"),
            "amount_spent": Decimal("0"),
        }
        values.update(fields)
        if values.get("output") is not None and "deliverable" not in fields:
            values["deliverable"] = None
        return FinancialResource.objects.create(**values)

    return make


@pytest.fixture
def api():
    """Return a function giving an API client signed in as a user."""

    def client_for(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for
