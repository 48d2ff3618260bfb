"""The journeys use the signed-in clients of the entry and review tests."""

from tests.reporting.entry_fixtures import client_as  # noqa: F401
