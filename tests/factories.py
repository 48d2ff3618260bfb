"""factory_boy factories for the whole project. Framework rows come from `load_strategy`
(fixture `strategy` in conftest) so tests use the strategy's real outcomes and deliverables."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from deliverables.models import Assignment, Deliverable, Indicator, IndicatorTarget
from offices.models import Office, Region, RoleAssignment
from outcomes.models import InstitutionalOutput, Outcome, Strategy
from reporting.models import IndicatorUpdate, ReportingPeriod


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "pass")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"strategy-{n}")
    title = factory.Sequence(lambda n: f"Strategy {n}")
    start_year = 2019
    end_year = 2023


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: f"x{n}")
    title = factory.Sequence(lambda n: f"Outcome {n}")


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    outcome = factory.SubFactory(OutcomeFactory)
    code = factory.Sequence(lambda n: f"d{n}")
    title = factory.Sequence(lambda n: f"Deliverable {n}")


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionalOutput

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: f"o{n}")
    title = factory.Sequence(lambda n: f"Output {n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    city = factory.Sequence(lambda n: f"City {n}")
    name = factory.Sequence(lambda n: f"Region {n}")


def _iso(n: int) -> str:
    return chr(ord("A") + (n // 26) % 26) + chr(ord("A") + n % 26)


class OfficeFactory(factory.django.DjangoModelFactory):
    """A country office; pass kind/region/iso_code for others."""

    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"co-{n}")
    name = factory.Sequence(lambda n: f"Country office {n}")
    kind = Office.Kind.COUNTRY
    iso_code = factory.Sequence(lambda n: _iso(n + 100))
    region = factory.SubFactory(RegionFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A number indicator measuring a deliverable; pass `output=` (and deliverable=None) for
    an institutional output."""

    class Meta:
        model = Indicator

    deliverable = factory.SubFactory(DeliverableFactory)
    output = None
    strategy = factory.LazyAttribute(
        lambda i: i.deliverable.outcome.strategy if i.deliverable else i.output.strategy
    )
    code = factory.Sequence(lambda n: f"T.{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    definition = "What it measures."
    measure = Indicator.Measure.NUMBER
    unit = "people"
    direction = Indicator.Direction.INCREASE
    cumulative = True
    baseline_value = Decimal("0")
    baseline_year = 2018
    disaggregations = factory.LazyFunction(list)


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2019
    office = None
    value = Decimal("100")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment
        django_get_or_create = ("indicator", "office")

    indicator = factory.SubFactory(IndicatorFactory)
    office = factory.SubFactory(OfficeFactory)


class PeriodFactory(factory.django.DjangoModelFactory):
    """A quarter; pass year and quarter, dates follow."""

    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("strategy", "year", "quarter")

    strategy = factory.SubFactory(StrategyFactory)
    year = 2023
    quarter = 1
    code = factory.LazyAttribute(lambda p: f"{p.year}-Q{p.quarter}")
    start_date = factory.LazyAttribute(lambda p: dt.date(p.year, 3 * p.quarter - 2, 1))
    end_date = factory.LazyAttribute(
        lambda p: (
            (dt.date(p.year + 1, 1, 1) if p.quarter == 4 else dt.date(p.year, 3 * p.quarter + 1, 1))
            - dt.timedelta(days=1)
        )
    )
    deadline = factory.LazyAttribute(lambda p: p.end_date + dt.timedelta(days=30))
    state = ReportingPeriod.State.OPEN


class UpdateFactory(factory.django.DjangoModelFactory):
    """An update written straight to the database (for setting up state, not for testing the
    workflow, which goes through reporting.services.workflow)."""

    class Meta:
        model = IndicatorUpdate

    indicator = factory.SubFactory(IndicatorFactory)
    office = factory.SubFactory(OfficeFactory)
    period = factory.SubFactory(PeriodFactory)
    measure = factory.LazyAttribute(lambda u: u.indicator.measure)
    status = IndicatorUpdate.Status.DRAFT
    value = Decimal("10")


def grant(user, role: str, *, office: Office | None = None, region: Region | None = None):
    """Give `user` a role (test shorthand for offices.services.role_grant)."""
    from offices.services import role_grant

    role_grant(user=user, role=role, office=office, region=region)
    return user


def assign(indicator: Indicator, *offices: Office) -> None:
    """Assign `indicator` to each of these offices."""
    for office in offices:
        AssignmentFactory(indicator=indicator, office=office)


Role = RoleAssignment.Role


def close_periods(strategy, periods=()) -> None:
    """Close every period of the strategy (and the given period objects in memory): closed
    periods carry verdicts, open ones read "reporting in progress"."""
    ReportingPeriod.objects.filter(strategy=strategy).update(state=ReportingPeriod.State.CLOSED)
    for period in periods:
        period.state = ReportingPeriod.State.CLOSED
