"""Fixtures of the entry, review and period page tests (in their own module)."""

from tests.reporting.entry_fixtures import (  # noqa: F401
    client_as,  # noqa: F401
    kenya_approved,  # noqa: F401
    kenya_draft,  # noqa: F401
    kenya_submitted,  # noqa: F401
)
