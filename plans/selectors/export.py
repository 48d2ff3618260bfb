"""Rows the XLSX export of the membership update writes: the delivery plan and the resource
mobilization plan as plain tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.models import Strategy
from plans.models import FinancialResource
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
            a.office.region.city if a.office.region else _("Headquarters"),
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
    human = ExportTable(
        name=_("Human resources"),
        headers=[
            _("Code"),
            _("Deliverable or output"),
            _("Year"),
            _("Office"),
            _("Region"),
            _("FTE planned"),
            _("FTE actual"),
            _("Notes"),
        ],
        rows=[
            [
                r.result_code,
                r.result.title if r.result else "",
                r.year,
                r.office.name,
                r.office.region.city if r.office.region else _("Headquarters"),
                r.fte_planned,
                r.fte_actual,
                r.notes,
            ]
            for r in human_resource_list(strategy=strategy).order_by("year", "pk")
        ],
    )
    financial = ExportTable(
        name=_("Financial resources"),
        headers=[
            _("Code"),
            _("Deliverable or output"),
            _("Year"),
            _("Funding source"),
            _("Office"),
            _("Region"),
            _("Planned (USD)"),
            _("Mobilized (USD)"),
            _("Spent (USD)"),
            _("Notes"),
        ],
        rows=[
            [
                r.result_code,
                r.result.title if r.result else "",
                r.year,
                str(r.get_source_display()),
                r.office.name if r.office else "",
                _region_cell(r),
                r.amount_planned,
                r.amount_mobilized,
                r.amount_spent,
                r.notes,
            ]
            for r in financial_resource_list(strategy=strategy).order_by("year", "source", "pk")
        ],
    )
    return [human, financial]


def _region_cell(resource: FinancialResource) -> str:
    if resource.office is None:
        return _("Global (no office)")
    return resource.office.region.city if resource.office.region else _("Headquarters")
