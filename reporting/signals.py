"""Signals reporting sends, so that other parts follow its changes without the workflow
importing them (roll-ups sit above reporting). Receivers run inside the sender's transaction."""

from django.dispatch import Signal

# An update took a workflow step that can move a figure: "submitted", "approved", "returned" or
# "reopened". Keyword arguments: update (the IndicatorUpdate), step, notify (False when the
# step is one of a bulk action whose people hear of it in one digest).
update_workflow_step = Signal()
