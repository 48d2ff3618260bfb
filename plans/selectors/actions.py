"""Reads of the delivery plan: actions, lateness, published versions and their comparison."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import formats
from django.utils.translation import gettext as _

from outcomes.models import Strategy
from plans.models import Action, ActionSnapshot, DeliveryPlanVersion

Status = Action.Status
DUE_SOON_DAYS = 30


# --- Actions ---------------------------------------------------------------------------------


# The overdue rule, one home for querysets and single rows: an action is overdue while it is
# open (planned, in progress, delayed) and due before today; on its due date it is not yet.
def action_overdue_q(*, today: dt.date) -> Q:
    """Return the condition an overdue action meets on `today`, for filtering querysets."""
    return Q(status__in=Action.OPEN_STATUSES, due_date__lt=today)


def action_is_overdue(*, action: Action, today: dt.date) -> bool:
    """Return whether `action` is overdue on `today` (the rule of action_overdue_q)."""
    return action.is_open and action.due_date < today


def action_list(*, strategy: Strategy | None = None, today: dt.date) -> QuerySet[Action]:
    """Return actions (of one strategy, or all), each annotated with `is_overdue`."""
    actions = Action.objects.select_related(
        "strategy", "deliverable__outcome", "output", "office__region"
    ).annotate(
        is_overdue=ExpressionWrapper(action_overdue_q(today=today), output_field=BooleanField())
    )
    if strategy is not None:
        actions = actions.filter(strategy=strategy)
    return actions


def actions_overdue(*, strategy: Strategy, today: dt.date) -> QuerySet[Action]:
    """Return the strategy's open actions (planned, in progress, delayed) past their due date,
    the longest overdue first."""
    return (
        Action.objects.filter(action_overdue_q(today=today), strategy=strategy)
        .select_related("deliverable__outcome", "output", "office")
        .order_by("due_date", "title", "pk")
    )


def lateness_labels() -> list[tuple[str, str]]:
    """Return the lateness categories with their (translated) labels."""
    return [
        ("overdue", _("Overdue")),
        ("due_soon", _("Due within %(days)s days") % {"days": DUE_SOON_DAYS}),
        ("on_schedule", _("Not yet due")),
        ("closed", _("Done or dropped")),
    ]


def action_status_summary(*, actions: QuerySet[Action], today: dt.date) -> dict[str, Any]:
    """Count actions by status and lateness (overdue, due soon, not yet due, closed).

    Return {"lateness": [(key, label)], "rows": [{status, label, <lateness>: n, total}],
    "totals": {<lateness>: n, total}}.
    """
    lateness = Case(
        When(action_overdue_q(today=today), then=Value("overdue")),
        When(~Q(status__in=Action.OPEN_STATUSES), then=Value("closed")),
        When(due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS), then=Value("due_soon")),
        default=Value("on_schedule"),
        output_field=CharField(),
    )
    counts = (
        actions.order_by()
        .annotate(lateness=lateness)
        .values("status", "lateness")
        .annotate(n=Count("pk"))
    )
    keys = [key for key, _label in lateness_labels()]
    rows = {
        status: {"status": status, "label": label, **dict.fromkeys(keys, 0), "total": 0}
        for status, label in Status.choices
    }
    totals = {**dict.fromkeys(keys, 0), "total": 0}
    for item in counts:
        row = rows[item["status"]]
        row[item["lateness"]] += item["n"]
        row["total"] += item["n"]
        totals[item["lateness"]] += item["n"]
        totals["total"] += item["n"]
    return {"lateness": lateness_labels(), "rows": list(rows.values()), "totals": totals}


# --- Versions --------------------------------------------------------------------------------


def delivery_plan_versions(*, strategy: Strategy) -> QuerySet[DeliveryPlanVersion]:
    """Return the strategy's published versions, newest first, with their number of actions."""
    return (
        DeliveryPlanVersion.objects.filter(strategy=strategy)
        .select_related("published_by")
        .annotate(actions_count=Count("snapshots"))
        .order_by("-number")
    )


def version_snapshots(*, version: DeliveryPlanVersion) -> QuerySet[ActionSnapshot]:
    return version.snapshots.select_related("deliverable__outcome", "output", "office__region")


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ActionChange:
    """One action present in both versions; `changes` lists what differs, field by field."""

    action_key: int
    before: ActionSnapshot
    after: ActionSnapshot | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return (self.after or self.before).title


@dataclass(frozen=True)
class DroppedAction(ActionChange):
    """An action of the older version that the newer one removed, or whose status became
    dropped (then `after` is its newer snapshot and `changes` say what else changed)."""

    removed: bool = False


@dataclass(frozen=True)
class PlanComparison:
    older: DeliveryPlanVersion
    newer: DeliveryPlanVersion
    added: list[ActionSnapshot]
    changed: list[ActionChange]
    dropped: list[DroppedAction]
    unchanged_count: int

    @property
    def has_differences(self) -> bool:
        return bool(self.added or self.changed or self.dropped)


# The fields compared between versions: a deliverable or output is one "result" to a reader.
COMPARED_FIELDS = [
    "title",
    "result",
    "expected_results",
    "office",
    "lead",
    "start_date",
    "due_date",
    "status",
    "progress_notes",
]


def _raw(snapshot: ActionSnapshot, name: str) -> Any:
    if name == "result":
        return (snapshot.deliverable_id, snapshot.output_id)
    if name == "office":
        return snapshot.office_id
    return getattr(snapshot, name)


def _shown(snapshot: ActionSnapshot, name: str) -> str:
    if name == "result":
        result = snapshot.result
        return f"{snapshot.result_code} {result.title}" if result else ""
    if name == "office":
        return snapshot.office.name
    if name == "status":
        return str(snapshot.get_status_display())
    value = getattr(snapshot, name)
    if isinstance(value, dt.date):
        return formats.date_format(value, "Y-m-d")
    return str(value)


def _label(name: str) -> str:
    if name == "result":
        return _("Deliverable or output")
    return str(ActionSnapshot._meta.get_field(name).verbose_name).capitalize()


def _field_changes(before: ActionSnapshot, after: ActionSnapshot) -> list[FieldChange]:
    return [
        FieldChange(name, _label(name), _shown(before, name), _shown(after, name))
        for name in COMPARED_FIELDS
        if _raw(before, name) != _raw(after, name)
    ]


def delivery_plan_compare(
    *, older: DeliveryPlanVersion, newer: DeliveryPlanVersion
) -> PlanComparison:
    """Compare two published versions of a delivery plan.

    Return the actions added in `newer`, those changed (with each field's before → after) and
    those dropped (removed, or whose status became "dropped"); actions are matched by the
    action's id kept in each snapshot, so renaming an action is a change, not a drop and an add.
    """
    old_rows = {s.action_key: s for s in version_snapshots(version=older)}
    new_rows = {s.action_key: s for s in version_snapshots(version=newer)}
    added = [s for key, s in new_rows.items() if key not in old_rows]
    changed: list[ActionChange] = []
    dropped: list[DroppedAction] = []
    unchanged = 0
    for key, before in old_rows.items():
        after = new_rows.get(key)
        if after is None:
            dropped.append(DroppedAction(key, before, None, [], removed=True))
            continue
        changes = _field_changes(before, after)
        if after.status == Status.DROPPED and before.status != Status.DROPPED:
            dropped.append(DroppedAction(key, before, after, changes))
        elif changes:
            changed.append(ActionChange(key, before, after, changes))
        else:
            unchanged += 1
    order = lambda item: (item.due_date, item.title, item.action_key)  # noqa: E731
    return PlanComparison(
        older=older,
        newer=newer,
        added=sorted(added, key=order),
        changed=sorted(changed, key=lambda c: order(c.after)),
        dropped=sorted(dropped, key=lambda c: order(c.before)),
        unchanged_count=unchanged,
    )
