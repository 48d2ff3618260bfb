"""Signals deliverables sends, so that the apps above follow its changes without deliverables
importing them (roll-ups sit above it). Receivers run inside the sender's transaction: a
receiver that starts work elsewhere (a Celery task) does so with `transaction.on_commit`.
"""

from django.dispatch import Signal

# Something that can move an indicator's roll-ups changed: its targets, baseline value or year,
# measure, cumulative flag, direction or ordinal levels, or an assignment was created, deleted,
# activated or deactivated. Sent once per indicator by each write of deliverables.services, and
# only when such a value really changed (not for a new indicator, which has no updates yet, nor
# for a deleted one, whose roll-ups go with it). Keyword arguments:
# - indicator_id: int;
# - years: sorted list of the target years touched, or None for any year (baseline, measure,
#   cumulative, direction, ordinal levels, assignments);
# - office_ids: sorted list of the offices whose assignment was touched, or None for any office.
# rollups/receivers.py recomputes the indicator's roll-ups once the transaction commits.
indicator_figures_changed = Signal()
