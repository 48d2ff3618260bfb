"""Signals the framework sends, so that the apps above it follow it without outcomes importing
them. Receivers run inside the sender's transaction."""

from django.dispatch import Signal

# The strategy's data file was loaded (`strategy_load`): the apps above load their part of it
# (deliverables: each outcome's deliverables; offices: the regions and headquarters).
# Keyword arguments: strategy, data (the parsed file), report (a core.loading.LoadReport).
strategy_loaded = Signal()
