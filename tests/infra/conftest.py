"""Fixtures of the infrastructure tests: the export tests' `world` (roll-ups with known
numbers for the whole strategy) and the entry pages' clients and updates."""

from tests.exports.conftest import world, yes_no_indicator  # noqa: F401
from tests.reporting.entry_fixtures import client_as, kenya_draft  # noqa: F401
