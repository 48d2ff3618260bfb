"""Fixtures of the sign-in tests: the tracker configured against the real test provider."""

import pytest

from accounts.oidc import oidc_discovery_forget
from tests.oidc_provider.harness import oidc_configure


@pytest.fixture(autouse=True)
def _forget_discovery():
    yield
    oidc_discovery_forget()


@pytest.fixture
def oidc(settings, oidc_provider, db):
    """The tracker as a client of the provider (with refresh tokens), for the test client."""
    return oidc_configure(settings, oidc_provider, base_url="http://testserver")


@pytest.fixture
def oidc_no_refresh(settings, oidc_provider, db):
    """As `oidc`, but the provider issues no refresh token."""
    return oidc_configure(settings, oidc_provider, base_url="http://testserver", refresh=False)
