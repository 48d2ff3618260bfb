"""Rows the XLSX export of the membership update writes: the delivery plan and the resource
mobilization plan as plain tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from offices.models import Office
from outcomes.models import Strategy
from plans.models import ResourceAllocation
from plans.selectors.actions import action_list
from plans.selectors.resources import financial_resource_list, human_resource_list


@dataclass(frozen=True)
class ExportTable:
    """A table an exporter writes as one sheet: a name, column headings and rows of plain
    values (str, int, Decimal, date)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def actions_for_export(*, strategy: Strategy, today: dt.date | None = None) -> ExportTable:
    """Return the delivery plan as it stands, one row per action."""
    today = today or timezone.localdate()
    headers = [
        _("No."),
        _("Code"),
        _("Deliverable or output"),
        _("Action"),
        _("Expected results"),
        _("Responsible office"),
        _("Region"),
        _("Lead"),
        _("Start date"),
        _("Due date"),
        _("Status"),
        _("Overdue"),
        _("Progress notes"),
    ]
    rows = [
        [
            a.pk,
            a.result_code,
            a.result.title if a.result else "",
            a.title,
            a.expected_results,
            a.office.name,
            _region_cell(a.office),
            a.lead,
            a.start_date,
            a.due_date,
            str(a.get_status_display()),
            _yes_no(a.is_overdue),
            a.progress_notes,
        ]
        for a in action_list(strategy=strategy, today=today)
    ]
    return ExportTable(name=_("Delivery plan"), headers=headers, rows=rows)


def resources_for_export(*, strategy: Strategy) -> list[ExportTable]:
    """Return the resource mobilization plan as two tables: human (FTE) and financial (USD)."""
    human = _allocation_table(
        name=_("Human resources"),
        allocations=human_resource_list(strategy=strategy).order_by("year", "pk"),
        keys=[],
        figures=[(_("FTE planned"), "fte_planned"), (_("FTE actual"), "fte_actual")],
    )
    financial = _allocation_table(
        name=_("Financial resources"),
        allocations=financial_resource_list(strategy=strategy).order_by("year", "source", "pk"),
        keys=[(_("Funding source"), lambda r: str(r.get_source_display()))],
        figures=[
            (_("Planned (USD)"), "amount_planned"),
            (_("Mobilized (USD)"), "amount_mobilized"),
            (_("Spent (USD)"), "amount_spent"),
        ],
    )
    return [human, financial]


def _allocation_table(
    *,
    name: str,
    allocations: Iterable[ResourceAllocation],
    keys: list[tuple[str, Callable[[Any], Any]]],
    figures: list[tuple[str, str]],
) -> ExportTable:
    """Return one kind of allocation as a table: result, year, the kind's `keys` (header,
    value), office and region, the kind's `figures` (header, field) and notes."""
    headers = [
        _("Code"),
        _("Deliverable or output"),
        _("Year"),
        *(header for header, _value in keys),
        _("Office"),
        _("Region"),
        *(header for header, _field in figures),
        _("Notes"),
    ]
    rows = [
        [
            r.result_code,
            r.result.title if r.result else "",
            r.year,
            *(value(r) for _header, value in keys),
            r.office.name if r.office else "",
            _region_cell(r.office),
            *(getattr(r, field) for _header, field in figures),
            r.notes,
        ]
        for r in allocations
    ]
    return ExportTable(name=name, headers=headers, rows=rows)


def _region_cell(office: Office | None) -> str:
    if office is None:
        return _("Global (no office)")
    return office.region.city if office.region else _("Headquarters")
