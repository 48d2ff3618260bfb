"""Demo data for the delivery plan and the resource mobilization plan (called by seed_demo).

The same random generator gives the same plans: the delivery plan is drawn up, published as
version 1 (January 2020), revised and published as version 2 (June 2021), then brought up to
the end of the strategy, leaving some actions delayed and some overdue.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from deliverables.models import Deliverable
from offices.models import Office, RoleAssignment
from outcomes.models import InstitutionalOutput, Strategy
from plans.models import (
    Action,
    DeliveryPlanVersion,
    FinancialResource,
    HumanResource,
)
from plans.services import delivery_plan_version_create

Status = Action.Status
Source = FinancialResource.Source

# Actions per deliverable ("a.i") and institutional output ("O.a"): title, expected results.
ACTION_IDEAS: dict[str, list[tuple[str, str]]] = {
    "a.i": [
        (
            "Map the drivers of migration in priority countries",
            "Assessments of the structural drivers of migration shared with governments and "
            "UN country teams.",
        ),
        (
            "Integrate migration drivers into Common Country Analyses",
            "Common Country Analyses address the adverse drivers that compel people to move.",
        ),
        (
            "Pilot community stabilization programmes in climate-affected areas",
            "Communities exposed to slow-onset climate events have livelihood alternatives.",
        ),
        (
            "Publish guidance on addressing drivers in development programming",
            "Programme designers use the guidance when planning development interventions.",
        ),
    ],
    "a.ii": [
        (
            "Support labour mobility schemes with skills partnerships",
            "Skills partnerships between countries of origin and destination are in place.",
        ),
        (
            "Provide technical assistance on regular migration pathways",
            "Governments expand and diversify pathways for safe and regular migration.",
        ),
        (
            "Develop a toolkit for bilateral labour migration agreements",
            "Negotiators apply the toolkit's model clauses on fair recruitment.",
        ),
    ],
    "b.i": [
        (
            "Train officials on the rights of migrants and displaced populations",
            "Officials in border and social services apply a rights-based approach.",
        ),
        (
            "Strengthen case management for migrants in vulnerable situations",
            "Referral mechanisms assist migrants in vulnerable situations within agreed times.",
        ),
        (
            "Advocate access to basic services regardless of migration status",
            "Local authorities remove barriers to health and education services.",
        ),
    ],
    "b.ii": [
        (
            "Apply the durable solutions framework in protracted displacement",
            "Joint solution strategies agreed with governments in protracted situations.",
        ),
        (
            "Support local integration programmes with host communities",
            "Displaced people and host communities share access to services and jobs.",
        ),
        (
            "Develop measures of progress towards durable solutions",
            "Progress towards solutions is measured with agreed indicators.",
        ),
    ],
    "b.iii": [
        (
            "Lower remittance transfer costs with service providers",
            "Remittance costs in selected corridors fall towards the SDG 10.c target.",
        ),
        (
            "Engage diaspora organizations in development planning",
            "Diaspora organizations take part in national and local planning.",
        ),
        (
            "Support migrant entrepreneurship and skills recognition",
            "Returning migrants' skills are recognized and their businesses supported.",
        ),
    ],
    "c.i": [
        (
            "Support Migration Governance Indicators assessments",
            "Governments use the assessments to set migration governance priorities.",
        ),
        (
            "Strengthen national migration data systems",
            "National statistical offices publish migration data disaggregated by status.",
        ),
        (
            "Set up inter-ministerial coordination on migration",
            "Coordination mechanisms meet regularly and have agreed work plans.",
        ),
    ],
    "c.ii": [
        (
            "Mainstream migration into national development plans",
            "National development plans include migration-related targets.",
        ),
        (
            "Support Voluntary National Reviews on migration-related SDG targets",
            "Voluntary National Reviews report on SDG targets 10.7 and 10.c.",
        ),
        (
            "Align national policies with the Global Compact for Migration",
            "Policy reviews identify and close gaps with the Global Compact's objectives.",
        ),
    ],
    "c.iii": [
        (
            "Produce local migration governance profiles for cities",
            "Cities use their profiles to plan migrant inclusion measures.",
        ),
        (
            "Train municipal authorities on localizing migration-related SDGs",
            "Municipal plans include migration aspects of the 2030 Agenda.",
        ),
        (
            "Support city-to-city partnerships on migrant inclusion",
            "Partner cities exchange practices and adopt at least one of them.",
        ),
    ],
    "O.a": [
        (
            "Publish a migration and sustainable development evidence series",
            "Policy briefs inform IOM and partner positions on the migration–development nexus.",
        ),
        (
            "Launch a knowledge management platform on migration and development",
            "Staff find and reuse lessons learned from development-oriented projects.",
        ),
        (
            "Agree a research agenda with academic partners",
            "Research partnerships fill the evidence gaps identified in the agenda.",
        ),
    ],
    "O.b": [
        (
            "Take part in UN Cooperation Framework processes",
            "Migration features in Cooperation Frameworks where IOM is present.",
        ),
        (
            "Build partnerships with development finance institutions",
            "Joint analytical work and projects with the World Bank and regional banks.",
        ),
        (
            "Access UN pooled funds for migration-related programming",
            "Joint programmes funded through the Migration Multi-Partner Trust Fund.",
        ),
    ],
    "O.c": [
        (
            "Train staff on migration and the 2030 Agenda",
            "Staff in country offices can link their programmes to SDG targets.",
        ),
        (
            "Issue guidance on migration in Common Country Analyses",
            "Country offices contribute migration analysis to UN country teams.",
        ),
        (
            "Train statistical offices on disaggregating SDG data by migratory status",
            "SDG reports include data disaggregated by migratory status.",
        ),
    ],
    "O.d": [
        (
            "Develop a development-oriented programming toolkit",
            "New projects are designed with development outcomes and indicators.",
        ),
        (
            "Apply development quality standards in project review",
            "Project endorsement checks development quality criteria.",
        ),
        (
            "Evaluate selected programmes for their development outcomes",
            "Evaluations feed lessons into programme design.",
        ),
    ],
}

# Actions the mid-term revision (version 2) adds.
REVISION_IDEAS: list[tuple[str, str, str]] = [
    (
        "b.i",
        "Include migrants in COVID-19 response and recovery plans",
        "National response plans cover migrants regardless of their status.",
    ),
    (
        "b.iii",
        "Support remittance flows during the COVID-19 crisis",
        "Digital remittance channels stay open and affordable during the crisis.",
    ),
    (
        "c.i",
        "Support national implementation plans for the Global Compact",
        "Governments adopt implementation plans with measurable commitments.",
    ),
    (
        "O.b",
        "Co-lead migration work in the UN Network on Migration at country level",
        "Country networks on migration have joint work plans.",
    ),
    (
        "a.i",
        "Assess climate-induced mobility in small island developing States",
        "Assessments inform national adaptation plans (SAMOA Pathway).",
    ),
    (
        "O.c",
        "Offer an online course on migration in SDG reporting",
        "Government officials complete the course and apply it in their reviews.",
    ),
]

LEADS = [
    "Amina Diallo",
    "Carlos Mendoza",
    "Li Wei",
    "Fatima Hassan",
    "Jean-Pierre Martin",
    "Priya Nair",
    "Olga Ivanova",
    "Samuel Okoye",
    "Ana Souza",
    "Thomas Müller",
    "Nadia Rahman",
    "David Kimani",
]

V1_DATE = dt.date(2020, 1, 31)
V2_DATE = dt.date(2021, 6, 30)


def _at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _thousands(amount: Decimal) -> Decimal:
    return Decimal(round(amount / 1000) * 1000)


def _results(strategy: Strategy) -> dict[str, Deliverable | InstitutionalOutput]:
    results: dict[str, Deliverable | InstitutionalOutput] = {}
    for d in Deliverable.objects.filter(outcome__strategy=strategy).select_related("outcome"):
        results[f"{d.outcome.code}.{d.code}"] = d
    for o in InstitutionalOutput.objects.filter(strategy=strategy):
        results[f"O.{o.code}"] = o
    return results


def _link(result: Deliverable | InstitutionalOutput) -> dict:
    if isinstance(result, Deliverable):
        return {"deliverable": result, "output": None}
    return {"deliverable": None, "output": result}


def _publisher():
    user_model = get_user_model()
    return (
        user_model.objects.filter(role_assignments__role=RoleAssignment.Role.HQ_MANAGER)
        .order_by("username")
        .first()
        or user_model.objects.filter(is_superuser=True).order_by("username").first()
    )


def _status_on(action: Action, day: dt.date) -> str:
    if action.due_date < day:
        return Status.DONE
    return Status.IN_PROGRESS if action.start_date <= day else Status.PLANNED


@transaction.atomic
def seed_plans(*, rng: random.Random, strategy: Strategy) -> None:
    """Replace the strategy's delivery plan (with two published versions) and resource plan
    with plausible demo data; the same generator state gives the same data."""
    DeliveryPlanVersion.objects.filter(strategy=strategy).delete()
    Action.objects.filter(strategy=strategy).delete()
    HumanResource.objects.filter(strategy=strategy).delete()
    FinancialResource.objects.filter(strategy=strategy).delete()

    results = _results(strategy)
    offices = list(Office.objects.filter(is_active=True).select_related("region").order_by("code"))
    if not results or not offices:
        return
    hq = [o for o in offices if o.is_headquarters] or offices
    field = [o for o in offices if not o.is_headquarters] or offices
    regional = [o for o in field if o.kind == Office.Kind.REGIONAL] or field
    publisher = _publisher()
    first_day = dt.date(strategy.start_year, 1, 1)
    last_day = dt.date(strategy.end_year, 12, 31)

    def offices_for(result: Deliverable | InstitutionalOutput) -> list[Office]:
        # Institutional outputs are HQ's and the regional offices'; deliverables the field's.
        return hq + regional if isinstance(result, InstitutionalOutput) else field

    def new_action(code: str, title: str, expected: str, earliest: dt.date) -> Action:
        span = max((last_day - earliest).days - 200, 1)
        start = earliest + dt.timedelta(days=rng.randrange(0, span, 7))
        due = min(_add_months(start, rng.choice([6, 9, 12, 18, 24])), last_day)
        return Action(
            strategy=strategy,
            **_link(results[code]),
            title=title,
            expected_results=expected,
            office=rng.choice(offices_for(results[code])),
            lead=rng.choice(LEADS),
            start_date=start,
            due_date=due,
        )

    # The plan as first drawn up: three or four actions per deliverable and output.
    actions: list[Action] = []
    for code, ideas in ACTION_IDEAS.items():
        if code not in results:
            continue
        for title, expected in ideas[: rng.choice([3, 3, 4])]:
            action = new_action(code, title, expected, first_day)
            action.status = _status_on(action, V1_DATE)
            actions.append(action)
    for action in actions:
        action.save()
    delivery_plan_version_create(
        strategy=strategy,
        published_by=publisher,
        note="First version of the delivery plan, endorsed by the steering committee.",
        published_at=_at_noon(V1_DATE),
    )

    # Mid-term revision: progress, COVID-19 delays, two dropped, one removed, new actions.
    for action in actions:
        action.status = _status_on(action, V2_DATE)
        if action.status == Status.DONE and rng.random() < 0.2:
            action.status = Status.DELAYED
            action.due_date = _add_months(V2_DATE, rng.choice([3, 6, 9]))
            action.progress_notes = "Delayed by COVID-19 travel restrictions; due date moved."
        elif action.status == Status.DONE:
            action.progress_notes = "Completed as planned."
    dropped = rng.sample([a for a in actions if a.status == Status.PLANNED] or actions, 2)
    for action in dropped:
        action.status = Status.DROPPED
        action.progress_notes = "Dropped: funding was not mobilized; merged into a related action."
    for action in rng.sample(actions, 2):
        action.lead = rng.choice(LEADS)
        action.office = rng.choice(offices_for(action.deliverable or action.output))
    reworded = rng.choice(actions)
    reworded.expected_results += " Results are reported in the annual membership update."
    for action in actions:
        action.save()
    removed = rng.choice([a for a in actions if a.status == Status.PLANNED] or actions)
    actions.remove(removed)
    removed.delete()
    for code, title, expected in REVISION_IDEAS:
        if code not in results:
            continue
        action = new_action(code, title, expected, _add_months(V2_DATE, -3))
        action.status = _status_on(action, V2_DATE)
        action.save()
        actions.append(action)
    delivery_plan_version_create(
        strategy=strategy,
        published_by=publisher,
        note="Mid-term revision: COVID-19 delays, new actions on the Global Compact and "
        "UN partnerships.",
        published_at=_at_noon(V2_DATE),
    )

    # The plan at the end of the strategy: most done, some delayed, some still open (overdue).
    unfinished = [a for a in actions if a.status not in (Status.DONE, Status.DROPPED)]
    late = rng.sample(unfinished, min(8, len(unfinished)))
    for action in unfinished:
        if action in late[::2]:
            action.status = Status.DELAYED
            action.progress_notes = "Delayed: waiting for the partner government's approval."
        elif action in late:
            action.status = Status.IN_PROGRESS
            action.progress_notes = "Activities under way; the final report is pending."
        else:
            action.status = Status.DONE
            action.progress_notes = "Completed."
        action.save()

    _seed_resources(rng=rng, strategy=strategy, results=results, hq=hq, field=field)


def _seed_resources(
    *,
    rng: random.Random,
    strategy: Strategy,
    results: dict[str, Deliverable | InstitutionalOutput],
    hq: list[Office],
    field: list[Office],
) -> None:
    human: list[HumanResource] = []
    financial: list[FinancialResource] = []
    sources = [s for s, _label in Source.choices]
    for code, result in results.items():
        pool = hq + field[:4] if code.startswith("O.") else field
        for year in strategy.years:
            for office in rng.sample(pool, min(len(pool), rng.choice([1, 2, 3]))):
                planned = Decimal(rng.choice([5, 10, 15, 20, 30])) / 10
                actual = (planned * Decimal(rng.randint(60, 110)) / 100).quantize(Decimal("0.1"))
                human.append(
                    HumanResource(
                        strategy=strategy,
                        **_link(result),
                        year=year,
                        office=office,
                        fte_planned=planned,
                        fte_actual=actual,
                    )
                )
            for source in rng.sample(sources, rng.choice([2, 3, 4])):
                office = None if source == Source.UNEARMARKED else rng.choice(pool)
                planned = Decimal(rng.randint(5, 150) * 10_000)
                mobilized = _thousands(planned * rng.randint(50, 115) / 100)
                spent = _thousands(mobilized * rng.randint(60, 100) / 100)
                financial.append(
                    FinancialResource(
                        strategy=strategy,
                        **_link(result),
                        year=year,
                        source=source,
                        office=office,
                        amount_planned=planned,
                        amount_mobilized=mobilized,
                        amount_spent=spent,
                    )
                )
    HumanResource.objects.bulk_create(human)
    FinancialResource.objects.bulk_create(financial)
