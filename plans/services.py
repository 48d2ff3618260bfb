"""Writes to the delivery plan and the resource mobilization plan.

Every write checks the user's scope (offices.permissions) and validates the row before saving
it, raising PermissionDenied or a ValidationError keyed by field; web forms and the API both
call these functions, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.permissions import (
    can_edit_plan_for_office,
    can_edit_plans,
    can_publish_delivery_plan,
)
from outcomes.models import Strategy
from plans.models import (
    Action,
    ActionSnapshot,
    DeliveryPlanVersion,
    FinancialResource,
    HumanResource,
    ResourceAllocation,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from deliverables.models import Deliverable
    from offices.models import Office
    from outcomes.models import InstitutionalOutput

ACTION_FIELDS = (
    "deliverable",
    "output",
    "title",
    "expected_results",
    "office",
    "lead",
    "start_date",
    "due_date",
    "status",
    "progress_notes",
)
# A published version keeps every field of an action a person edits.
SNAPSHOT_FIELDS = ACTION_FIELDS

Errors = dict[str, list[str]]
AllocationT = TypeVar("AllocationT", bound=ResourceAllocation)


# --- Shared checks ---------------------------------------------------------------------------


def _result_strategy(
    deliverable: Deliverable | None, output: InstitutionalOutput | None
) -> Strategy | None:
    if deliverable is not None:
        return deliverable.outcome.strategy
    if output is not None:
        return output.strategy
    return None


def _result_errors(row: Action | ResourceAllocation) -> Errors:
    """Check that the row names exactly one deliverable or institutional output of its strategy."""
    if row.deliverable_id and row.output_id:
        return {
            "output": [_("Choose a deliverable or an institutional output, not both.")],
        }
    if not row.deliverable_id and not row.output_id:
        return {"deliverable": [_("Choose the deliverable or institutional output this serves.")]}
    result_strategy = _result_strategy(row.deliverable, row.output)
    if row.strategy_id and result_strategy and result_strategy.pk != row.strategy_id:
        field = "deliverable" if row.deliverable_id else "output"
        return {field: [_("This belongs to another strategy than the plan's.")]}
    return {}


def _merge(errors: Errors, more: Errors) -> Errors:
    for key, messages in more.items():
        errors.setdefault(key, [])
        errors[key].extend(m for m in messages if m not in errors[key])
    return errors


def _validate(row: Model, errors: Errors) -> None:
    """Run the model's own field checks after ours, then its constraints; raise on any error."""
    try:
        row.full_clean(exclude=["strategy"], validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, exc.message_dict)
    if errors:
        raise ValidationError(errors)
    # Uniqueness and the remaining structural rules, with the messages the constraints carry.
    try:
        row.validate_constraints()
    except ValidationError as exc:
        raise ValidationError({NON_FIELD_ERRORS: exc.messages}) from exc


def _year_errors(row: ResourceAllocation) -> Errors:
    strategy = _result_strategy(row.deliverable, row.output)
    if strategy is None or row.year is None:
        return {}
    if not strategy.start_year <= row.year <= strategy.end_year:
        return {
            "year": [
                _("Choose a year of the strategy (%(first)s–%(last)s).")
                % {"first": strategy.start_year, "last": strategy.end_year}
            ]
        }
    return {}


def _require_can_edit(user: AbstractBaseUser, office: Office | None) -> None:
    if not can_edit_plans(user):
        raise PermissionDenied(_("You may not edit the delivery or resource plans."))
    if office is not None and not can_edit_plan_for_office(user, office):
        raise PermissionDenied(
            _("You may not edit the plans of %(office)s.") % {"office": office.name}
        )
    if office is None and not can_edit_plan_for_office(user, None):
        raise PermissionDenied(
            _("Only HQ results managers may edit allocations without an office.")
        )


def _apply(row: Model, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Set the given fields; setting one of deliverable/output alone clears the other."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for key, value in data.items():
        setattr(row, key, value)
    if data.get("deliverable") is not None and "output" not in data:
        row.output = None
    if data.get("output") is not None and "deliverable" not in data:
        row.deliverable = None


def _row_update(
    row: Action | ResourceAllocation,
    *,
    user: AbstractBaseUser,
    data: dict[str, Any],
    fields: tuple[str, ...],
    validate: Callable[[Any], None],
) -> None:
    """Change and save a plan row, checking the user's rights on its office before and after."""
    _require_can_edit(user, row.office)
    _apply(row, data, fields)
    if "office" in data:
        _require_can_edit(user, row.office)
    validate(row)
    row.save()


# --- Delivery plan ---------------------------------------------------------------------------


def _action_validate(action: Action) -> None:
    errors = _result_errors(action)
    if action.start_date and action.due_date and action.due_date < action.start_date:
        errors["due_date"] = [_("The due date must be on or after the start date.")]
    _validate(action, errors)


@transaction.atomic
def action_create(
    *,
    user: AbstractBaseUser,
    title: str,
    expected_results: str,
    office: Office,
    start_date: dt.date,
    due_date: dt.date,
    deliverable: Deliverable | None = None,
    output: InstitutionalOutput | None = None,
    lead: str = "",
    status: str = Action.Status.PLANNED,
    progress_notes: str = "",
) -> Action:
    """Add an action to the delivery plan of the strategy its deliverable or output belongs to."""
    _require_can_edit(user, office)
    action = Action(
        strategy=_result_strategy(deliverable, output),
        deliverable=deliverable,
        output=output,
        title=title,
        expected_results=expected_results,
        office=office,
        lead=lead,
        start_date=start_date,
        due_date=due_date,
        status=status,
        progress_notes=progress_notes,
    )
    _action_validate(action)
    action.save()
    return action


@transaction.atomic
def action_update(*, action: Action, user: AbstractBaseUser, data: dict[str, Any]) -> Action:
    """Change an action; moving it to another office needs edit rights on both offices."""
    _row_update(action, user=user, data=data, fields=ACTION_FIELDS, validate=_action_validate)
    return action


@transaction.atomic
def action_delete(*, action: Action, user: AbstractBaseUser) -> None:
    """Remove an action; published versions keep their snapshot of it."""
    _require_can_edit(user, action.office)
    action.delete()


def delivery_plan_version_create(
    *,
    strategy: Strategy,
    published_by: AbstractBaseUser | None,
    note: str,
    published_at: dt.datetime,
) -> DeliveryPlanVersion:
    """Freeze every action of the strategy into a new version (no permission check: callers
    check, as delivery_plan_publish does; demo data uses it to date versions in the past)."""
    # Lock the strategy row so two publications cannot take the same number.
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    last = strategy.delivery_plan_versions.aggregate(last=Max("number"))["last"] or 0
    version = DeliveryPlanVersion.objects.create(
        strategy=strategy,
        number=last + 1,
        published_at=published_at,
        published_by=published_by,
        note=note,
    )
    ActionSnapshot.objects.bulk_create(
        ActionSnapshot(
            version=version,
            action=action,
            action_key=action.pk,
            **{name: getattr(action, name) for name in SNAPSHOT_FIELDS},
        )
        for action in Action.objects.filter(strategy=strategy).order_by("pk")
    )
    return version


@transaction.atomic
def delivery_plan_publish(
    *, strategy: Strategy, user: AbstractBaseUser, note: str = ""
) -> DeliveryPlanVersion:
    """Publish the delivery plan as it stands now as its next version (HQ only)."""
    if not can_publish_delivery_plan(user):
        raise PermissionDenied(_("Only HQ results managers publish the delivery plan."))
    return delivery_plan_version_create(
        strategy=strategy, published_by=user, note=note.strip(), published_at=timezone.now()
    )


# --- Resource mobilization plan --------------------------------------------------------------

Check = Callable[[ResourceAllocation], Errors]


@dataclass(frozen=True)
class AllocationKind:
    """What the allocation services need to know about one kind of allocation."""

    fields: tuple[str, ...]
    checks: tuple[Check, ...] = (_result_errors, _year_errors)


ALLOCATION_KINDS: dict[type[ResourceAllocation], AllocationKind] = {
    HumanResource: AllocationKind(
        fields=("deliverable", "output", "year", "office", "fte_planned", "fte_actual", "notes")
    ),
    FinancialResource: AllocationKind(
        fields=(
            "deliverable",
            "output",
            "year",
            "source",
            "office",
            "amount_planned",
            "amount_mobilized",
            "amount_spent",
            "notes",
        )
    ),
}


def _allocation_validate(allocation: ResourceAllocation) -> None:
    errors: Errors = {}
    for check in ALLOCATION_KINDS[type(allocation)].checks:
        _merge(errors, check(allocation))
    _validate(allocation, errors)


@transaction.atomic
def allocation_create(
    *, model: type[AllocationT], user: AbstractBaseUser, data: dict[str, Any]
) -> AllocationT:
    """Add an allocation (human or financial) to the resource plan of the strategy its
    deliverable or output belongs to; fields left out take the model's defaults."""
    _require_can_edit(user, data.get("office"))
    allocation = model()
    _apply(allocation, data, ALLOCATION_KINDS[model].fields)
    allocation.strategy = _result_strategy(allocation.deliverable, allocation.output)
    _allocation_validate(allocation)
    allocation.save()
    return allocation


@transaction.atomic
def allocation_update(
    *, allocation: AllocationT, user: AbstractBaseUser, data: dict[str, Any]
) -> AllocationT:
    """Change an allocation; moving it to another office needs edit rights on both offices."""
    fields = ALLOCATION_KINDS[type(allocation)].fields
    _row_update(allocation, user=user, data=data, fields=fields, validate=_allocation_validate)
    return allocation


@transaction.atomic
def allocation_delete(*, allocation: ResourceAllocation, user: AbstractBaseUser) -> None:
    """Remove an allocation from the resource plan."""
    _require_can_edit(user, allocation.office)
    allocation.delete()
