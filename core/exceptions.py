"""Errors any service may raise; views and the API turn them into messages and status codes."""

from __future__ import annotations

from typing import Any


class ConflictError(Exception):
    """An action the current state does not allow (HTTP 409); `message` is for a person."""

    code = "conflict"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WorkflowError(ConflictError):
    """A step that the row's status does not allow (HTTP 409)."""

    code = "workflow"


class StaleVersionError(Exception):
    """Someone saved the row since this writer loaded it (HTTP 409).

    Carries the current row (with its `version`) so the second writer can see the newer values.
    """

    def __init__(self, current: Any):
        super().__init__(f"This row was changed by someone else (now version {current.version}).")
        self.current = current
