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
from rollups.services import ids_filter, indicator_shape, statement_params
from rollups.services.sql import OUTPUT_COLUMNS, Shape, office_rows_sql

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
    figure in the window. One query per shape of indicator (rollups.services.sql.Shape)."""
    by_shape: dict[Shape, list[int]] = {}
    for indicator in indicators:
        by_shape.setdefault(indicator_shape(indicator), []).append(indicator.pk)
    office_ids = sorted({o.pk for o in offices})
    period_ids = sorted({p.pk for p in periods})
    spans = sorted(set(spans))
    if not (by_shape and office_ids and period_ids and spans):
        return []
    fields = [Rollup._meta.get_field(_field_name(c)) for c in OUTPUT_COLUMNS]
    figures = []
    for shape, indicator_ids in by_shape.items():
        params: dict[str, object] = {}
        sql = office_rows_sql(
            vendor=connection.vendor,
            ind_filter=ids_filter(sorted(indicator_ids), params, "i"),
            win_filter=(
                ids_filter(period_ids, params, "p").format(col="per.per_id")
                + " AND "
                + ids_filter(spans, params, "s").format(col="spans.span")
            ),
            office_filter=ids_filter(office_ids, params, "o"),
            shape=shape,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, statement_params(params))
            rows = cursor.fetchall()
        for values in rows:
            row = Rollup()
            for model_field, value in zip(fields, values, strict=True):
                setattr(
                    row, model_field.attname, model_field.to_python(_from_db(model_field, value))
                )
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
