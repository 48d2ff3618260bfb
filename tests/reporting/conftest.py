"""Fixtures of the entry, review and period page tests (in their own module)."""

from tests.reporting.entry_fixtures import (  # noqa: F401
    client_as,
    kenya_approved,
    kenya_draft,
    kenya_submitted,
)
