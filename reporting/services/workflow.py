"""The indicator update workflow: draft → submitted → approved, or submitted → returned →
submitted again; approved → draft only by reopening with a reason (DOMAIN.md, "Reporting").

Every entry point checks permission, the period's state, the update's status and its version,
then saves through the model so django-simple-history records who changed what and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deliverables.models import Assignment, Indicator
from offices.models import Office
from offices.permissions import (
    can_approve_update,
    can_enter_for_office,
    can_review_update,
    offices_for_entry,
    offices_for_review,
    updates_visible_q,
)
from reporting.exceptions import (
    PeriodLockedError,
    StaleVersionError,
    UpdateValidationError,
    WorkflowError,
)
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.selectors.periods import period_entry_refusal, period_locked_message
from reporting.selectors.updates import update_authors, update_previous_value
from reporting.services.validation import UpdateValues, submission_check, values_normalize
from reporting.signals import update_workflow_step, updates_workflow_digest

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

Status = IndicatorUpdate.Status
State = ReportingPeriod.State


# --- Guards ----------------------------------------------------------------------------------


def _period_check_entry(period: ReportingPeriod, update: IndicatorUpdate | None) -> None:
    refusal = period_entry_refusal(period=period, update=update)
    if refusal:
        raise PeriodLockedError(refusal)


def _period_check_review(period: ReportingPeriod) -> None:
    if period.state == State.LOCKED:
        raise PeriodLockedError(period_locked_message(period=period))


def update_edit_check(
    *,
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
    update: IndicatorUpdate | None,
) -> None:
    """May this user change (and submit) this office's update for the period now? The one rule
    behind the entry page, the Excel template and upload, evidence and the services: the user
    enters for the office, the period takes the entry, the update is a draft or returned.

    Raise PermissionDenied, PeriodLockedError or WorkflowError with the reason.
    """
    if not can_enter_for_office(user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})
    _period_check_entry(period, update)
    if update is not None and not update.is_editable_status:
        raise WorkflowError(
            _("This update is %(s)s and can no longer be edited.")
            % {"s": update.get_status_display().lower()}
        )


def update_edit_refusal(
    *,
    user: AbstractBaseUser,
    office: Office,
    period: ReportingPeriod,
    update: IndicatorUpdate | None,
) -> str:
    """Return why `update_edit_check` refuses, or "" when the user may change the update."""
    try:
        update_edit_check(user=user, office=office, period=period, update=update)
    except (PermissionDenied, WorkflowError) as exc:
        return str(getattr(exc, "message", exc))
    return ""


def _version_claim(update: IndicatorUpdate, expected_version: int | None) -> None:
    """Raise the stored version by one, but only if it is still the one this writer read.

    The check is part of the UPDATE statement itself, so of two concurrent writers exactly one
    wins; the other gets StaleVersionError with the newer row.
    """
    expected = update.version if expected_version is None else expected_version
    claimed = IndicatorUpdate.objects.filter(pk=update.pk, version=expected).update(
        version=expected + 1
    )
    if not claimed:
        raise StaleVersionError(IndicatorUpdate.objects.get(pk=update.pk))
    update.version = expected + 1


def _save(update: IndicatorUpdate, user: AbstractBaseUser, reason: str) -> None:
    update.updated_by = user
    # django-simple-history records both with the change, also outside a web request.
    # The history's reason column holds 100 characters; the full comment stays on the update.
    # The reason is kept in English (gettext_noop) and shown in the reader's language
    # (reporting.selectors.updates).
    update._change_reason = Truncator(reason).chars(100)
    update._history_user = user
    update.save()


def _after_commit(update: IndicatorUpdate, notification: str, notify: bool = True) -> None:
    """Announce the workflow step: the roll-ups recompute and the people concerned hear of it,
    once the transaction commits (reporting/receivers.py, rollups/receivers.py). `notify`
    False: a bulk action's step, whose people hear of it in one digest instead."""
    update_workflow_step.send(
        sender=IndicatorUpdate, update=update, step=notification, notify=notify
    )


# --- Entry -----------------------------------------------------------------------------------


@transaction.atomic
def update_save(
    *,
    user: AbstractBaseUser,
    indicator: Indicator,
    office: Office,
    period: ReportingPeriod,
    values: UpdateValues,
    expected_version: int | None = None,
) -> IndicatorUpdate:
    """Create or change the office's draft (or returned) update for the indicator and period.

    `expected_version` is the version the writer loaded (0 for a new update); None skips the
    check. Raise PermissionDenied, PeriodLockedError, WorkflowError, UpdateValidationError or
    StaleVersionError; on any of them nothing is saved.
    """
    if not can_enter_for_office(user, office):
        raise PermissionDenied(_("You cannot enter updates for %(o)s.") % {"o": office})
    if not Assignment.objects.filter(indicator=indicator, office=office, is_active=True).exists():
        raise WorkflowError(
            _("%(i)s is not assigned to %(o)s.") % {"i": indicator.code, "o": office}
        )
    period = ReportingPeriod.objects.get(pk=period.pk)  # its state now, not when the form loaded
    if period.strategy_id != indicator.strategy_id:
        raise WorkflowError(
            _("Period %(p)s does not belong to the strategy of %(i)s.")
            % {"p": period.code, "i": indicator.code}
        )
    update = (
        IndicatorUpdate.objects.select_for_update()
        .filter(indicator=indicator, office=office, period=period)
        .first()
    )
    update_edit_check(user=user, office=office, period=period, update=update)
    cleaned, errors = values_normalize(indicator=indicator, values=values)
    if errors:
        raise UpdateValidationError(errors)
    if update is None:
        if expected_version:
            raise WorkflowError(_("This update no longer exists."))
        update = IndicatorUpdate(
            indicator=indicator, office=office, period=period, measure=indicator.measure
        )
        reason = gettext_noop("Created")
    else:
        if expected_version == 0:
            raise StaleVersionError(update)
        _version_claim(update, expected_version)
        reason = gettext_noop("Edited")
    update.value = cleaned.value
    update.numerator = cleaned.numerator
    update.denominator = cleaned.denominator
    update.text = cleaned.text
    update.disaggregations = cleaned.disaggregations
    update.narrative = cleaned.narrative
    try:
        with transaction.atomic():
            _save(update, user, reason)
    except IntegrityError:
        # Someone created the same update between our read and our insert.
        current = IndicatorUpdate.objects.filter(
            indicator=indicator, office=office, period=period
        ).first()
        if current is None:
            raise
        raise StaleVersionError(current) from None
    return update


@transaction.atomic
def update_submit(
    *,
    user: AbstractBaseUser,
    update: IndicatorUpdate,
    expected_version: int | None = None,
    notify: bool = True,
) -> IndicatorUpdate:
    """Send a draft (or returned) update to the reviewers of its office."""
    update = (
        IndicatorUpdate.objects.select_for_update()
        .select_related("indicator", "office", "period")
        .get(pk=update.pk)
    )
    update_edit_check(user=user, office=update.office, period=update.period, update=update)
    previous = update_previous_value(
        indicator=update.indicator, office=update.office, period=update.period
    )
    errors = submission_check(
        indicator=update.indicator,
        values=UpdateValues.from_update(update),
        previous_value=previous,
    )
    if errors:
        raise UpdateValidationError(errors)
    _version_claim(update, expected_version)
    update.status = Status.SUBMITTED
    update.submitted_at = timezone.now()
    update.submitted_by = user
    _save(update, user, gettext_noop("Submitted"))
    _after_commit(update, notification="submitted", notify=notify)
    return update


@transaction.atomic
def update_approve(
    *,
    user: AbstractBaseUser,
    update: IndicatorUpdate,
    expected_version: int | None = None,
    comment: str = "",
    notify: bool = True,
) -> IndicatorUpdate:
    """Approve a submitted update; from now on it counts in the roll-ups.

    Never by whoever submitted it or last changed its values (separation of duties), in
    every channel: the pages, the bulk approval, the API and the admin all come here.
    """
    update = _load_for_review(user, update)
    if not can_approve_update(user, update, authors=update_authors(update=update)):
        raise PermissionDenied(
            _(
                "You submitted or last changed this update, so another reviewer must approve it "
                "(separation of duties)."
            )
        )
    if update.status != Status.SUBMITTED:
        raise WorkflowError(
            _("Only a submitted update can be approved; this one is %(s)s.")
            % {"s": update.get_status_display().lower()}
        )
    _version_claim(update, expected_version)
    update.status = Status.APPROVED
    update.reviewed_at = timezone.now()
    update.reviewed_by = user
    update.review_comment = comment.strip()
    _save(update, user, gettext_noop("Approved"))
    _after_commit(update, notification="approved", notify=notify)
    return update


@transaction.atomic
def update_return(
    *,
    user: AbstractBaseUser,
    update: IndicatorUpdate,
    comment: str,
    expected_version: int | None = None,
) -> IndicatorUpdate:
    """Send a submitted update back to its office with the reviewer's comment (required)."""
    update = _load_for_review(user, update)  # permission first: outsiders learn nothing
    if not (comment or "").strip():
        raise UpdateValidationError(
            {"comment": [_("Say what needs fixing: a comment is required to return an update.")]}
        )
    if update.status != Status.SUBMITTED:
        raise WorkflowError(
            _("Only a submitted update can be returned; this one is %(s)s.")
            % {"s": update.get_status_display().lower()}
        )
    _version_claim(update, expected_version)
    update.status = Status.RETURNED
    update.reviewed_at = timezone.now()
    update.reviewed_by = user
    update.review_comment = comment.strip()
    _save(update, user, gettext_noop("Returned: %(c)s") % {"c": comment.strip()})
    _after_commit(update, notification="returned")
    return update


@transaction.atomic
def update_reopen(
    *,
    user: AbstractBaseUser,
    update: IndicatorUpdate,
    reason: str,
    expected_version: int | None = None,
) -> IndicatorUpdate:
    """Turn an approved update back into a draft (reason required); it leaves the roll-ups."""
    update = _load_for_review(user, update)  # permission first: outsiders learn nothing
    if not (reason or "").strip():
        raise UpdateValidationError(
            {"reason": [_("Give the reason for reopening this approved update.")]}
        )
    if update.status != Status.APPROVED:
        raise WorkflowError(
            _("Only an approved update can be reopened; this one is %(s)s.")
            % {"s": update.get_status_display().lower()}
        )
    _version_claim(update, expected_version)
    update.status = Status.DRAFT
    update.review_comment = reason.strip()
    _save(update, user, gettext_noop("Reopened: %(r)s") % {"r": reason.strip()})
    _after_commit(update, notification="reopened")
    return update


def _load_for_review(user: AbstractBaseUser, update: IndicatorUpdate) -> IndicatorUpdate:
    update = (
        IndicatorUpdate.objects.select_for_update()
        .select_related("indicator", "office", "period")
        .get(pk=update.pk)
    )
    if not can_review_update(user, update):
        # Not naming the office: the refusal page must tell an outsider nothing of the update.
        raise PermissionDenied(_("You cannot review this update."))
    _period_check_review(update.period)
    return update


# --- Several at once -------------------------------------------------------------------------


@dataclass
class BulkResult:
    done: list[IndicatorUpdate] = field(default_factory=list)
    refused: list[tuple[IndicatorUpdate, str]] = field(default_factory=list)
    # Asked for but not the user's to act on (outside their scope, drafts, gone): only counted,
    # so a message never names an update the user may not see.
    unknown: int = 0


def updates_approve(*, user: AbstractBaseUser, versions: dict[int, int]) -> BulkResult:
    """Approve each update (id → the version the reviewer saw) on its own, like a single
    approval: a row changed since the queue was loaded is refused, never approved as it is now.
    Say why any visible one could not be approved; only count the others."""
    result = _bulk(
        user,
        versions,
        lambda u, v: update_approve(user=user, update=u, expected_version=v, notify=False),
        reviewing=True,
    )
    updates_announce(step="approved", updates=result.done)
    return result


def updates_submit(*, user: AbstractBaseUser, versions: dict[int, int]) -> BulkResult:
    """Submit each update (id → the version the writer saw) on its own; say why any could not
    be submitted."""
    result = _bulk(
        user,
        versions,
        lambda u, v: update_submit(user=user, update=u, expected_version=v, notify=False),
        reviewing=False,
    )
    updates_announce(step="submitted", updates=result.done)
    return result


def updates_announce(*, step: str, updates: list[IndicatorUpdate]) -> None:
    """Tell the people concerned, in one digest e-mail each (after commit), of updates that
    took the same step together with notify=False (a bulk approval, "Submit all ready", an
    Excel upload)."""
    if updates:
        updates_workflow_digest.send(sender=IndicatorUpdate, updates=list(updates), step=step)


def _bulk(user: AbstractBaseUser, versions: dict[int, int], action, *, reviewing: bool):
    scope = offices_for_review(user) if reviewing else offices_for_entry(user)
    updates = list(
        IndicatorUpdate.objects.filter(updates_visible_q(user), pk__in=list(versions))
        .filter(office__in=scope)
        .select_related("indicator", "office", "period")
        .order_by("pk")
    )
    result = BulkResult(unknown=len(versions) - len(updates))
    for update in updates:
        try:
            result.done.append(action(update, versions[update.pk]))
        except UpdateValidationError as exc:
            messages = [m for msgs in exc.message_dict.values() for m in msgs]
            result.refused.append((update, " ".join(messages)))
        except StaleVersionError:
            result.refused.append(
                (update, _("It changed after you loaded the list; open it and check it again."))
            )
        except (WorkflowError, PermissionDenied) as exc:
            result.refused.append((update, str(getattr(exc, "message", exc))))
    return result
