"""Fixtures of the deliverables tests: a recorder of the figures signal."""

import pytest

from deliverables.signals import indicator_figures_changed


@pytest.fixture
def figures_signals():
    """Return the list of keyword arguments of each `indicator_figures_changed` sent."""
    sent: list[dict] = []

    def record(sender, **kwargs):
        kwargs.pop("signal", None)
        sent.append(kwargs)

    indicator_figures_changed.connect(record, dispatch_uid="tests.figures_signals")
    yield sent
    indicator_figures_changed.disconnect(dispatch_uid="tests.figures_signals")
