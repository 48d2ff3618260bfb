"""Reads of the resource mobilization plan: allocations and their totals, summed in the
database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from offices.models import Region
from outcomes.models import Outcome, Strategy
from plans.models import FinancialResource, HumanResource, ResourceAllocation

Source = FinancialResource.Source
AllocationT = TypeVar("AllocationT", bound=ResourceAllocation)


REGION_HQ = "_hq"
REGION_GLOBAL = "_global"
OUTPUTS_KEY = "_outputs"


def allocation_list(
    *, model: type[AllocationT], strategy: Strategy | None = None
) -> QuerySet[AllocationT]:
    """Return the allocations of one kind (of one strategy, or all), with what lists show."""
    allocations = model.objects.select_related(
        "strategy", "deliverable__outcome", "output", "office__region"
    )
    return allocations.filter(strategy=strategy) if strategy is not None else allocations


def human_resource_list(*, strategy: Strategy | None = None) -> QuerySet[HumanResource]:
    return allocation_list(model=HumanResource, strategy=strategy)


def financial_resource_list(*, strategy: Strategy | None = None) -> QuerySet[FinancialResource]:
    return allocation_list(model=FinancialResource, strategy=strategy)


MONEY = DecimalField(max_digits=20, decimal_places=2)
FINANCIAL_SUMS = {
    "planned": Coalesce(Sum("amount_planned"), Value(Decimal("0")), output_field=MONEY),
    "mobilized": Coalesce(Sum("amount_mobilized"), Value(Decimal("0")), output_field=MONEY),
    "spent": Coalesce(Sum("amount_spent"), Value(Decimal("0")), output_field=MONEY),
}
HUMAN_SUMS = {
    "planned": Coalesce(Sum("fte_planned"), Value(Decimal("0")), output_field=MONEY),
    "actual": Coalesce(Sum("fte_actual"), Value(Decimal("0")), output_field=MONEY),
}
TOTALS_BY = ("outcome", "region", "source", "year")


def _region_group() -> Case:
    """Group rows by their office's region; headquarters and rows without an office apart."""
    return Case(
        When(office__isnull=True, then=Value(REGION_GLOBAL)),
        When(office__region__isnull=True, then=Value(REGION_HQ)),
        default=F("office__region__code"),
        output_field=CharField(),
    )


def _totals(resources: QuerySet, by: str, sums: dict) -> list[dict[str, Any]]:
    """Sum `resources` in the database, grouped by outcome, region, source or year."""
    resources = resources.order_by()
    if by == "outcome":
        rows = (
            resources.annotate(group=Coalesce(F("deliverable__outcome__code"), Value(OUTPUTS_KEY)))
            .values("group")
            .annotate(**sums)
        )
        outcomes = {row["group"]: row for row in rows}
        labels = _outcome_labels(resources)
        ordered = [key for key in labels if key in outcomes]
        return [{"key": key, "label": labels[key], **_amounts(outcomes[key])} for key in ordered]
    if by == "region":
        rows = resources.annotate(group=_region_group()).values("group").annotate(**sums)
        labels = _region_labels()
        result = [
            {"key": row["group"], "label": labels.get(row["group"], row["group"]), **_amounts(row)}
            for row in rows
        ]
        # Regions by name, then headquarters, then global allocations.
        return sorted(result, key=_region_order)
    if by == "source":
        rows = {r["source"]: r for r in resources.values("source").annotate(**sums)}
        return [
            {"key": key, "label": str(label), **_amounts(rows[key])}
            for key, label in Source.choices
            if key in rows
        ]
    if by == "year":
        rows = resources.values("year").annotate(**sums).order_by("year")
        return [{"key": row["year"], "label": str(row["year"]), **_amounts(row)} for row in rows]
    raise ValueError(f"Cannot total by {by!r}; choose one of {TOTALS_BY}.")


def _region_order(row: dict) -> tuple:
    return (row["key"] in (REGION_HQ, REGION_GLOBAL), row["key"] == REGION_GLOBAL, row["label"])


CENT = Decimal("0.01")


def _amounts(row: dict) -> dict[str, Decimal]:
    # SQLite sums decimals as floats; the figures are money and FTE, exact to the cent.
    return {
        k: Decimal(v).quantize(CENT)
        for k, v in row.items()
        if k in ("planned", "mobilized", "spent", "actual")
    }


def _outcome_labels(resources: QuerySet) -> dict[str, str]:
    strategy_ids = resources.values("strategy_id").distinct()
    labels = {
        code: f"({code}) {short or title}"
        for code, short, title in Outcome.objects.filter(strategy_id__in=strategy_ids)
        .order_by("order", "code")
        .values_list("code", "short_title", "title")
    }
    labels[OUTPUTS_KEY] = _("Institutional outputs")
    return labels


def _region_labels() -> dict[str, str]:
    labels = {
        code: f"{city} ({name})"
        for code, city, name in Region.objects.values_list("code", "city", "name")
    }
    labels[REGION_HQ] = _("Headquarters")
    labels[REGION_GLOBAL] = _("Global (no office)")
    return labels


def financial_totals(*, resources: QuerySet[FinancialResource], by: str) -> list[dict[str, Any]]:
    """Return planned, mobilized and spent USD of `resources`, summed in the database and
    grouped by "outcome" (institutional outputs together), "region" (through the office),
    "source" or "year": [{key, label, planned, mobilized, spent}]."""
    return _totals(resources, by, FINANCIAL_SUMS)


def financial_grand_total(*, resources: QuerySet[FinancialResource]) -> dict[str, Decimal]:
    """Return the planned, mobilized and spent USD of all `resources`."""
    return _amounts(resources.order_by().aggregate(**FINANCIAL_SUMS))


def human_totals(*, resources: QuerySet[HumanResource], by: str) -> list[dict[str, Any]]:
    """Return planned and actual FTE of `resources`, summed in the database and grouped by
    "outcome", "region" or "year": [{key, label, planned, actual}]."""
    if by == "source":
        raise ValueError("Human resources have no funding source.")
    return _totals(resources, by, HUMAN_SUMS)


def human_grand_total(*, resources: QuerySet[HumanResource]) -> dict[str, Decimal]:
    return _amounts(resources.order_by().aggregate(**HUMAN_SUMS))
