"""An office's own figures: never stored, computed on request from its updates by the
roll-ups' own statement (rollups.services.sql.office_rows_sql), as unsaved Rollup rows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection

from deliverables.models import Indicator
from offices.models import Office
from reporting.models import ReportingPeriod
from rollups.models import Rollup
from rollups.services import statement_params
from rollups.services.sql import OUTPUT_COLUMNS, office_rows_sql

Span = Rollup.Span


def office_figures(
    *,
    indicators: Iterable[Indicator],
    offices: Iterable[Office],
    periods: Iterable[ReportingPeriod],
    spans: Iterable[str] = (Span.PERIOD, Span.YEAR_TO_DATE, Span.STRATEGY_TO_DATE),
) -> list[Rollup]:
    """Return the offices' own figures (unsaved Rollup rows of scope "office") for these
    indicators, periods and spans, computed from their updates by the roll-ups' own statement
    (an office is never stored). A row exists where the office has an approved or submitted
    figure in the window. One query."""
    indicator_ids = sorted({i.pk for i in indicators})
    office_ids = sorted({o.pk for o in offices})
    period_ids = sorted({p.pk for p in periods})
    spans = sorted(set(spans))
    if not (indicator_ids and office_ids and period_ids and spans):
        return []
    params: dict[str, object] = {}

    def placeholders(prefix: str, values: list) -> str:
        names = []
        for n, value in enumerate(values):
            params[f"{prefix}{n}"] = value
            names.append(f"%({prefix}{n})s")
        return ", ".join(names)

    ind_filter = "{col} IN (" + placeholders("i", indicator_ids) + ")"
    sql = office_rows_sql(
        vendor=connection.vendor,
        ind_filter=ind_filter,
        win_filter=(
            f"per.per_id IN ({placeholders('p', period_ids)})"
            f" AND spans.span IN ({placeholders('s', spans)})"
        ),
        office_filter="{col} IN (" + placeholders("o", office_ids) + ")",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, statement_params(params))
        rows = cursor.fetchall()
    fields = [Rollup._meta.get_field(_field_name(c)) for c in OUTPUT_COLUMNS]
    figures = []
    for values in rows:
        row = Rollup()
        for model_field, value in zip(fields, values, strict=True):
            setattr(row, model_field.attname, model_field.to_python(_from_db(model_field, value)))
        figures.append(row)
    return figures


def _field_name(column: str) -> str:
    return column[: -len("_id")] if column.endswith("_id") else column


def _from_db(model_field: Any, value: Any) -> Any:
    """Values as the database returns them: JSON text on SQLite, REAL for decimals."""
    if value is None:
        return None
    if model_field.get_internal_type() == "JSONField" and isinstance(value, str):
        return json.loads(value)
    if model_field.get_internal_type() == "DecimalField" and isinstance(value, float):
        return Decimal(str(round(value, 4)))
    return value
