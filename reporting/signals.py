"""Signals reporting sends, so that other parts follow its changes without the workflow
importing them (roll-ups sit above reporting). Receivers run inside the sender's transaction."""

from django.dispatch import Signal

# An update took a workflow step that can move a figure: "submitted", "approved", "returned" or
# "reopened". Keyword arguments: update (the IndicatorUpdate), step, notify (False when the
# step is one of a bulk action whose people hear of it in one digest).
update_workflow_step = Signal()

# A bulk action took the same step for several updates (sent after their own
# update_workflow_step with notify False). Keyword arguments: updates (a list), step.
updates_workflow_digest = Signal()
