"""A small world for the page-by-page browser tests: Kenya with a returned, a submitted and a
draft update in the open period, an action of the delivery plan, and the URLs each role's
pages live at (imported by the accessibility and field-staff browser tests)."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from deliverables.models import Deliverable
from offices.navigation import links_for
from offices.permissions import roles_for
from outcomes.models import InstitutionalOutput, Outcome
from plans.models import Action
from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_return, update_save, update_submit
from tests.factories import AssignmentFactory, IndicatorFactory, IndicatorTargetFactory

ROLES = ("field", "reviewer", "hq", "steering", "admin")


def pages_world_build(*, users, number_indicator, percentage_indicator, kenya, period) -> dict:
    """Kenya in 2023-Q4: A.i.1 returned with a comment, O.a.1 submitted, A.i.2 a draft."""
    strategy = period.strategy
    deliverable = Deliverable.objects.get(outcome__strategy=strategy, outcome__code="a", code="i")
    draft_indicator = IndicatorFactory(
        deliverable=deliverable, code="A.i.2", name="Policies supported", measure="number"
    )
    IndicatorTargetFactory(indicator=draft_indicator, year=period.year, value=Decimal("10"))
    AssignmentFactory(indicator=draft_indicator, office=kenya)
    field = users["field"]
    returned = update_save(
        user=field,
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(
            value=Decimal("40"), disaggregations={"sex": {"female": 25, "male": 15}}
        ),
    )
    returned = update_submit(user=field, update=returned)
    returned = update_return(
        user=users["reviewer"],
        update=returned,
        comment="The female count looks high: check the clinic lists.",
    )
    submitted = update_save(
        user=field,
        indicator=percentage_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(numerator=Decimal("30"), denominator=Decimal("50")),
    )
    submitted = update_submit(user=field, update=submitted)
    draft = update_save(
        user=field,
        indicator=draft_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal("2")),
    )
    today = timezone.localdate()
    action = Action.objects.create(
        strategy=strategy,
        deliverable=deliverable,
        title="Map the drivers of migration",
        expected_results="Assessments shared with governments.",
        office=kenya,
        lead="Amina Diallo",
        start_date=today - dt.timedelta(days=90),
        due_date=today + dt.timedelta(days=90),
        status=Action.Status.IN_PROGRESS,
    )
    return {
        "returned": returned,
        "submitted": submitted,
        "draft": draft,
        "action": action,
        "office": kenya,
        "period": period,
        "indicator": number_indicator,
        "deliverable": deliverable,
    }


def pages_for(user, world: dict) -> list[str]:
    """Every page this user is offered: home, each link of the navigation, and the pages
    those lead to (an update, an action, a result's and an indicator's dashboard...)."""
    roles = roles_for(user)
    pages = ["/"]
    pages += [link["url"] for link in links_for(roles) if not link["url"].startswith("/admin/")]
    office, period = world["office"], world["period"]
    strategy = period.strategy
    if roles.is_field_staff or roles.is_admin:
        entry = reverse("reporting:my_reporting")
        pages += [
            f"{entry}?office={office.pk}&period={period.pk}",
            f"{entry}?office={office.pk}&period={period.pk}&show=returned",
            reverse("reporting:update_detail", args=[world["returned"].pk]),
        ]
    if roles.is_reviewer or roles.is_admin:
        pages += [
            reverse("reporting:update_detail", args=[world["submitted"].pk]),
            f"{reverse('reporting:review_queue')}?status=returned",
        ]
    if roles.roles:
        outcome = Outcome.objects.filter(strategy=strategy).first()
        output = InstitutionalOutput.objects.filter(strategy=strategy).first()
        pages += [
            reverse("reporting:dashboard_outcome", args=[outcome.pk]),
            reverse("reporting:dashboard_deliverable", args=[world["deliverable"].pk]),
            reverse("reporting:dashboard_output", args=[output.pk]),
            reverse("reporting:dashboard_indicator", args=[world["indicator"].pk]),
            reverse("reporting:dashboard_regions"),
            reverse("reporting:dashboard_markers"),
            reverse("reporting:dashboard_sdg"),
            reverse("reporting:dashboard_heatmap"),
            reverse("plans:action_detail", args=[world["action"].pk]),
            reverse("plans:versions"),
        ]
    if roles.is_hq_manager:
        change = reverse("reporting:period_change", args=[period.pk])
        pages += [f"{change}?state=closed", f"{change}?state=locked"]
    seen: list[str] = []
    for page in pages:
        if page not in seen:
            seen.append(page)
    return seen


Status = IndicatorUpdate.Status
