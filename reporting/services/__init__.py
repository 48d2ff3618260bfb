"""Writes in the reporting app: the update workflow, periods, notifications (and roll-ups)."""
