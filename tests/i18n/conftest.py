import pytest
from django.utils import translation

from tests.i18n.catalogues import messages_compiled
from tests.reporting.entry_fixtures import (  # noqa: F401
    client_as,
    kenya_approved,
    kenya_draft,
    kenya_submitted,
)


@pytest.fixture(autouse=True, scope="session")
def _messages_compiled():
    """The French and Spanish catalogues, compiled before any test reads them."""
    messages_compiled()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each test starts in English: a page opened in French leaves French active in the
    thread, and fixtures made afterwards would be written as French."""
    translation.activate("en")
    yield
    translation.activate("en")
