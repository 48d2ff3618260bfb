"""Fixtures of the security tests: signed-in clients per role (tests/reporting), API token
clients per role (tests/api) and updates in each state made through the workflow services."""

from tests.api.conftest import client_for, world  # noqa: F401
from tests.reporting.entry_fixtures import (  # noqa: F401
    client_as,
    kenya_approved,
    kenya_draft,
    kenya_submitted,
)
