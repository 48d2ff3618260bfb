"""Errors the reporting services raise; views and the API turn them into messages and codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from reporting.models import IndicatorUpdate


class WorkflowError(Exception):
    """An action that the update's status or its period does not allow (HTTP 400/409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PeriodLockedError(WorkflowError):
    """The period is locked (or closed to submissions): nothing may change."""


class StaleVersionError(Exception):
    """Someone saved the update since this writer loaded it (HTTP 409).

    Carries the current row so the second writer can see the newer values.
    """

    def __init__(self, current: IndicatorUpdate):
        super().__init__(
            f"This update was changed by someone else (now version {current.version})."
        )
        self.current = current


class UpdateValidationError(ValidationError):
    """Field errors on an update's values: a dict of field name to messages."""
