"""Writes to deliverables, indicators, their targets and assignments.

Every entry point checks that the user manages the framework (offices.permissions), runs in one
transaction and raises django's ValidationError keyed by field (the API answers 400 with the
field errors, the admin shows them on its form). A write that can move an indicator's figures
then sends `indicator_figures_changed` once per indicator it touched (deliverables/signals.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.loading import row_upsert, translated
from deliverables.models import Assignment, Deliverable, Indicator, IndicatorTarget
from deliverables.signals import indicator_figures_changed
from offices.permissions import can_manage_framework
from outcomes.models import Outcome

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from core.loading import LoadReport
    from offices.models import Office
    from outcomes.models import Strategy

    User = AbstractBaseUser | AnonymousUser

BATCH = 1000
# What the `data` of indicator_create and indicator_update may hold, by model field name.
INDICATOR_FIELDS = (
    "deliverable",
    "output",
    "code",
    "name",
    "definition",
    "measure",
    "unit",
    "direction",
    "cumulative",
    "ordinal_levels",
    "baseline_value",
    "baseline_year",
    "disaggregations",
    "method_of_calculation",
    "data_source",
    "collection_method",
    "reporting_frequency",
    "responsible_unit",
    "is_active",
)
INDICATOR_LINKS = ("markers", "priorities", "sdg_targets", "gcm_objectives")
# The wording kept in English, French and Spanish (deliverables/translation.py). `name` in
# `data` is the English text (the API's and the seed's); name_fr, name_es... the translations.
TRANSLATED_FIELDS = ("name", "definition", "unit", "ordinal_levels")
INDICATOR_TRANSLATIONS = tuple(
    f"{name}_{language}" for name in TRANSLATED_FIELDS for language in ("en", "fr", "es")
)
# Links that belong to a strategy: an indicator takes those of its own strategy only.
STRATEGY_LINKS = ("markers", "priorities")
# A change of any of these can move the indicator's figures in every year.
FIGURE_FIELDS = (
    "strategy_id",
    "baseline_value",
    "baseline_year",
    "measure",
    "cumulative",
    "direction",
    "ordinal_levels",
)

Errors = dict[str, list[str]]


class TargetData(TypedDict):
    """One yearly target: the office's own, or global when `office` is None or left out."""

    year: int
    value: Decimal
    office: NotRequired[Office | None]


def deliverables_load(*, strategy: Strategy, outcomes: list[dict], report: LoadReport) -> None:
    """Create or bring up to date each outcome's deliverables (the strategy's own wording)."""
    by_code = {o.code: o for o in Outcome.objects.filter(strategy=strategy)}
    for item in outcomes:
        outcome = by_code[item["code"]]
        for order, d in enumerate(item["deliverables"], start=1):
            text, fill = translated(d, "title", "short_title")
            row_upsert(
                Deliverable,
                report,
                {"outcome": outcome, "code": d["code"]},
                {**text, "order": order},
                fill=fill,
            )


# --- Shared checks ---------------------------------------------------------------------------


def _require_manager(user: User) -> None:
    if not can_manage_framework(user):
        raise PermissionDenied(
            _("Only HQ results managers and administrators change the framework.")
        )


def _figures_changed(
    indicator_id: int,
    *,
    years: Iterable[int] | None = None,
    office_ids: Iterable[int] | None = None,
) -> None:
    indicator_figures_changed.send(
        sender=Indicator,
        indicator_id=indicator_id,
        years=None if years is None else sorted(set(years)),
        office_ids=None if office_ids is None else sorted(set(office_ids)),
    )


def targets_validate(*, targets: Sequence[Mapping[str, Any]]) -> None:
    """Raise ValidationError unless the targets give one value per year and office."""
    seen = set()
    for target in targets:
        office = target.get("office")
        key = (target["year"], office.pk if office else None)
        if key in seen:
            raise ValidationError({"targets": [_("Give one target per year and office.")]})
        seen.add(key)


def indicator_validate(*, indicator: Indicator | None, data: Mapping[str, Any]) -> int:
    """Check the framework's rules for an indicator's new values; return its strategy's id.

    `indicator` is the saved row being changed (None for a new one) and `data` its new values
    by field name, with its links and `targets`; what `data` leaves out keeps its value.
    Raise ValidationError with the messages of each field.
    """

    def current(name: str) -> Any:
        if name in data:
            return data[name]
        return getattr(indicator, name) if indicator is not None else None

    errors: Errors = {}
    deliverable, output = current("deliverable"), current("output")
    if (deliverable is None) == (output is None):
        raise ValidationError(
            {"deliverable": [_("Give exactly one of a deliverable or an institutional output.")]}
        )
    strategy_id = deliverable.outcome.strategy_id if deliverable else output.strategy_id
    clash = Indicator.objects.filter(strategy_id=strategy_id, code=current("code"))
    if indicator is not None:
        clash = clash.exclude(pk=indicator.pk)
    if clash.exists():
        errors["code"] = [_("Another indicator of this strategy has this code.")]
    moved = indicator is not None and indicator.strategy_id != strategy_id
    for name in STRATEGY_LINKS:
        kept = getattr(indicator, name).all() if moved else []
        items = data.get(name, kept)
        if any(item.strategy_id != strategy_id for item in items):
            errors[name] = [_("Choose items of the indicator's own strategy.")]
    if data.get("targets") is not None:
        try:
            targets_validate(targets=data["targets"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return strategy_id


def _split(data: Mapping[str, Any]) -> tuple[dict, dict, list[TargetData] | None]:
    """Return the indicator's own values, its links and its targets (None: left as they are)."""
    unknown = set(data) - {*INDICATOR_FIELDS, *INDICATOR_TRANSLATIONS, *INDICATOR_LINKS, "targets"}
    if unknown:
        raise TypeError(f"Not fields of an indicator: {', '.join(sorted(unknown))}")
    # Whatever the active language, a plain `name` is the English text, not a translation.
    values = {
        f"{name}_en" if name in TRANSLATED_FIELDS else name: data[name]
        for name in INDICATOR_FIELDS
        if name in data
    }
    values.update({name: data[name] for name in INDICATOR_TRANSLATIONS if name in data})
    links = {name: list(data[name]) for name in INDICATOR_LINKS if name in data}
    targets = data.get("targets")
    return values, links, None if targets is None else list(targets)


def _clean(indicator: Indicator) -> None:
    """Run the model's own field checks (rules across rows were checked by indicator_validate)."""
    indicator.full_clean(exclude=["strategy"], validate_unique=False, validate_constraints=False)


# --- Indicators ------------------------------------------------------------------------------


@transaction.atomic
def indicator_create(*, user: User, data: Mapping[str, Any]) -> Indicator:
    """Create an indicator with its links and, when `data` has them, its yearly targets.

    Sends no signal: a new indicator has no updates, so no figures to move.
    """
    _require_manager(user)
    values, links, targets = _split(data)
    strategy_id = indicator_validate(indicator=None, data=data)
    indicator = Indicator(strategy_id=strategy_id, **values)
    _clean(indicator)
    indicator.save()
    for name, items in links.items():
        getattr(indicator, name).set(items)
    if targets:
        _targets_write(indicator, targets)
    return indicator


@transaction.atomic
def indicator_update(*, user: User, indicator: Indicator, data: Mapping[str, Any]) -> Indicator:
    """Change an indicator; `targets`, when `data` has them, replace all of its targets."""
    _require_manager(user)
    values, links, targets = _split(data)
    strategy_id = indicator_validate(indicator=indicator, data=data)
    before = {name: getattr(indicator, name) for name in FIGURE_FIELDS}
    for name, value in values.items():
        setattr(indicator, name, value)
    indicator.strategy_id = strategy_id
    _clean(indicator)
    indicator.save()
    for name, items in links.items():
        getattr(indicator, name).set(items)
    years = _targets_write(indicator, targets) if targets is not None else set()
    if any(getattr(indicator, name) != before[name] for name in FIGURE_FIELDS):
        _figures_changed(indicator.pk)
    elif years:
        _figures_changed(indicator.pk, years=years)
    return indicator


@transaction.atomic
def indicator_delete(*, user: User, indicator: Indicator) -> None:
    """Delete an indicator with its targets and assignments (refused while updates use it).

    Raises ProtectedError when updates point at it. Sends no signal: its roll-ups go with it.
    """
    _require_manager(user)
    indicator.delete()


# --- Targets ---------------------------------------------------------------------------------


def _targets_write(indicator: Indicator, targets: Sequence[TargetData]) -> set[int]:
    """Make the indicator's targets exactly these; return the years whose targets changed.

    Rows whose year and office stay keep their id; nothing is written when nothing changed.
    """
    rows = [
        IndicatorTarget(
            indicator=indicator, year=t["year"], office=t.get("office"), value=t["value"]
        )
        for t in targets
    ]
    for row in rows:
        row.clean_fields(exclude=["indicator", "office"])
    wanted = {(row.year, row.office_id): row for row in rows}
    existing = {
        (t.year, t.office_id): t for t in IndicatorTarget.objects.filter(indicator=indicator)
    }
    removed = [t for key, t in existing.items() if key not in wanted]
    changed = [t for key, t in existing.items() if key in wanted and t.value != wanted[key].value]
    added = [row for key, row in wanted.items() if key not in existing]
    if removed:
        IndicatorTarget.objects.filter(pk__in=[t.pk for t in removed]).delete()
    for target in changed:
        target.value = wanted[(target.year, target.office_id)].value
        target.save(update_fields=["value", "updated_at"])
    IndicatorTarget.objects.bulk_create(added, batch_size=BATCH)
    return {t.year for t in (*removed, *changed, *added)}


@transaction.atomic
def indicator_targets_set(
    *, user: User, indicator: Indicator, targets: Sequence[TargetData]
) -> list[IndicatorTarget]:
    """Replace all of the indicator's yearly targets with these; return them, by year."""
    _require_manager(user)
    targets_validate(targets=targets)
    years = _targets_write(indicator, targets)
    if years:
        _figures_changed(indicator.pk, years=years)
    return list(IndicatorTarget.objects.filter(indicator=indicator).order_by("year", "office_id"))


# --- Assignments -----------------------------------------------------------------------------


def _assignments_validate(pairs: Sequence[tuple[Indicator, Office]], *, exclude_pk=None) -> None:
    """Raise ValidationError when a pair repeats or an office already reports on the indicator."""
    keys = [(indicator.pk, office.pk) for indicator, office in pairs]
    taken = set(
        Assignment.objects.filter(indicator_id__in={i for i, _o in keys})
        .exclude(pk=exclude_pk)
        .values_list("indicator_id", "office_id")
    )
    if len(set(keys)) < len(keys) or taken & set(keys):
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("This office already reports on this indicator.")]}
        )


def _assignments_touched(*states: tuple[int, int, bool]) -> None:
    """Tell each indicator which of its offices' assignments changed (active states count)."""
    offices: dict[int, set[int]] = defaultdict(set)
    for indicator_id, office_id, active in states:
        if active:
            offices[indicator_id].add(office_id)
    for indicator_id, office_ids in sorted(offices.items()):
        _figures_changed(indicator_id, office_ids=office_ids)


@transaction.atomic
def assignment_create(
    *, user: User, indicator: Indicator, office: Office, is_active: bool = True
) -> Assignment:
    """Have an office report on an indicator."""
    _require_manager(user)
    _assignments_validate([(indicator, office)])
    assignment = Assignment.objects.create(indicator=indicator, office=office, is_active=is_active)
    _assignments_touched((indicator.pk, office.pk, is_active))
    return assignment


@transaction.atomic
def assignments_create(
    *, user: User, pairs: Sequence[tuple[Indicator, Office]]
) -> list[Assignment]:
    """Have each office report on its indicator, in one statement per thousand (demo data)."""
    _require_manager(user)
    _assignments_validate(pairs)
    created = Assignment.objects.bulk_create(
        [Assignment(indicator=indicator, office=office) for indicator, office in pairs],
        batch_size=BATCH,
    )
    _assignments_touched(*((i.pk, o.pk, True) for i, o in pairs))
    return created


@transaction.atomic
def assignment_update(*, user: User, assignment: Assignment, data: Mapping[str, Any]) -> Assignment:
    """Change an assignment's indicator, office or whether it is active."""
    _require_manager(user)
    unknown = set(data) - {"indicator", "office", "is_active"}
    if unknown:
        raise TypeError(f"Not fields of an assignment: {', '.join(sorted(unknown))}")
    before = (assignment.indicator_id, assignment.office_id, assignment.is_active)
    for name, value in data.items():
        setattr(assignment, name, value)
    after = (assignment.indicator_id, assignment.office_id, assignment.is_active)
    if after[:2] != before[:2]:
        _assignments_validate([(assignment.indicator, assignment.office)], exclude_pk=assignment.pk)
    assignment.save()
    if after != before:
        _assignments_touched(before, after)
    return assignment


@transaction.atomic
def assignment_delete(*, user: User, assignment: Assignment) -> None:
    """Stop an office reporting on an indicator (its updates stay)."""
    _require_manager(user)
    state = (assignment.indicator_id, assignment.office_id, assignment.is_active)
    assignment.delete()
    _assignments_touched(state)
