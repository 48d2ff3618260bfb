"""Errors the reporting services raise; views and the API turn them into messages and codes."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.exceptions import StaleVersionError, WorkflowError

__all__ = ["PeriodLockedError", "StaleVersionError", "UpdateValidationError", "WorkflowError"]


class PeriodLockedError(WorkflowError):
    """The period is locked (or closed to submissions): nothing may change."""

    code = "period_locked"


class UpdateValidationError(ValidationError):
    """Field errors on an update's values: a dict of field name to messages."""
