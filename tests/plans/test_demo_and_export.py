"""Demo data for both plans, and the rows the XLSX export writes."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from offices.models import Region
from plans.demo import seed_plans
from plans.models import Action, DeliveryPlanVersion, FinancialResource, HumanResource
from plans.selectors import (
    actions_for_export,
    actions_overdue,
    delivery_plan_compare,
    resources_for_export,
)
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def country_offices(strategy):
    regions = list(Region.objects.order_by("code"))
    return [
        OfficeFactory(code=f"co-{iso.lower()}", name=name, iso_code=iso, region=regions[i % 9])
        for i, (iso, name) in enumerate(
            [("KE", "Kenya"), ("SN", "Senegal"), ("TH", "Thailand"), ("CO", "Colombia")]
        )
    ]


def test_seed_plans_fills_both_plans(strategy, country_offices):
    seed_plans(rng=random.Random(7), strategy=strategy)

    actions = Action.objects.filter(strategy=strategy)
    assert 30 <= actions.count() <= 60
    assert actions.filter(deliverable__isnull=False).exists()
    assert actions.filter(output__isnull=False).exists()
    assert actions.values("office").distinct().count() > 5
    assert actions.filter(status=Action.Status.DELAYED).exists()
    assert actions_overdue(strategy=strategy, today=dt.date(strategy.end_year + 1, 1, 1)).exists()

    older, newer = DeliveryPlanVersion.objects.filter(strategy=strategy).order_by("number")
    comparison = delivery_plan_compare(older=older, newer=newer)
    assert comparison.added
    assert comparison.changed
    assert comparison.dropped
    assert any(d.removed for d in comparison.dropped)

    financial = FinancialResource.objects.filter(strategy=strategy)
    assert set(financial.values_list("year", flat=True)) == set(strategy.years)
    assert set(financial.values_list("source", flat=True)) == set(FinancialResource.Source.values)
    assert financial.filter(office__isnull=True).exists()
    human = HumanResource.objects.filter(strategy=strategy)
    assert set(human.values_list("year", flat=True)) == set(strategy.years)


def test_seed_plans_is_deterministic_and_replaces_earlier_data(strategy, country_offices):
    def fingerprint():
        return (
            list(
                Action.objects.order_by("title").values_list(
                    "title", "status", "due_date", "office__code"
                )
            ),
            list(
                FinancialResource.objects.order_by("year", "source", "amount_planned").values_list(
                    "amount_planned", "amount_spent"
                )
            ),
            list(
                DeliveryPlanVersion.objects.order_by("number").values_list("number", "published_at")
            ),
        )

    seed_plans(rng=random.Random(3), strategy=strategy)
    first = fingerprint()
    seed_plans(rng=random.Random(3), strategy=strategy)

    assert fingerprint() == first
    assert DeliveryPlanVersion.objects.count() == 2


def test_actions_for_export_writes_one_row_per_action(strategy, make_action, today):
    make_action(
        title="Late one",
        due_date=today - dt.timedelta(days=2),
        start_date=today - dt.timedelta(days=20),
    )

    table = actions_for_export(strategy=strategy, today=today)

    assert table.name == "Delivery plan"
    assert len(table.headers) == len(table.rows[0])
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert row["Action"] == "Late one"
    assert row["Code"] == "A.i"
    assert row["Responsible office"] == "Kenya"
    assert row["Region"] == "Nairobi"
    assert row["Status"] == "In progress"
    assert row["Overdue"] == "Yes"
    assert isinstance(row["Due date"], dt.date)


def test_resources_for_export_writes_human_and_financial_tables(
    strategy, make_human, make_financial, output_a
):
    make_human(fte_planned=Decimal("1.5"))
    make_financial(output=output_a, office=None, source="dfi", amount_planned=Decimal("2500"))

    human, financial = resources_for_export(strategy=strategy)

    assert human.name == "Human resources"
    assert dict(zip(human.headers, human.rows[0], strict=True))["FTE planned"] == Decimal("1.5")
    row = dict(zip(financial.headers, financial.rows[0], strict=True))
    assert row["Code"] == "O.a"
    assert row["Funding source"] == "Development finance institutions"
    assert row["Region"] == "Global (no office)"
    assert row["Planned (USD)"] == Decimal("2500")
