"""E-mail about the workflow: reviewers hear of submissions in their scope; the submitter hears
of a return (with the comment), an approval, or a reopening."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from offices.languages import user_language
from offices.selectors import field_staff_for_office, reviewers_for_office
from reporting.models import IndicatorUpdate


def _update_url(update: IndicatorUpdate) -> str:
    try:
        path = reverse("reporting:update_detail", args=[update.pk])
    except Exception:
        return ""
    return settings.SITE_URL.rstrip("/") + path


def _recipients(*, kind: str, update: IndicatorUpdate) -> list:
    if kind == "submitted":
        return list(reviewers_for_office(office=update.office).select_related("profile"))
    return [u for u in [update.submitted_by] if u is not None] or list(
        field_staff_for_office(office=update.office).select_related("profile")
    )


def notification_send(*, kind: str, update: IndicatorUpdate) -> int:
    """Send the e-mails a workflow event calls for; return how many were sent.

    Each person's e-mail is written in their own language (offices.languages).
    """
    messages = []
    for user in _recipients(kind=kind, update=update):
        if not user.email:
            continue
        with translation.override(user_language(user)):
            subject, body = _notification_text(kind=kind, update=update)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _notification_text(*, kind: str, update: IndicatorUpdate) -> tuple[str, str]:
    """The subject and body of one workflow e-mail, in the active language."""
    subject_bits = {"i": update.indicator.code, "o": update.office.name, "p": update.period.code}
    url = _update_url(update)
    if kind == "submitted":
        subject = _("Submitted for review: %(i)s, %(o)s, %(p)s") % subject_bits
        body = _("%(o)s submitted its update of %(i)s for %(p)s. Review it: %(url)s")
    else:
        if kind == "returned":
            subject = _("Returned: %(i)s, %(o)s, %(p)s") % subject_bits
            body = _(
                "Your update of %(i)s for %(p)s was returned with this comment:\n\n"
                "%(comment)s\n\nFix it and submit again: %(url)s"
            )
        elif kind == "approved":
            subject = _("Approved: %(i)s, %(o)s, %(p)s") % subject_bits
            body = _("Your update of %(i)s for %(p)s was approved. %(url)s")
        elif kind == "reopened":
            subject = _("Reopened: %(i)s, %(o)s, %(p)s") % subject_bits
            body = _(
                "Your approved update of %(i)s for %(p)s was reopened:\n\n%(comment)s\n\n%(url)s"
            )
        else:
            raise ValueError(f"Unknown notification kind: {kind}")
    body = body % {**subject_bits, "comment": update.review_comment, "url": url}
    return subject, body


def notification_digest_send(*, kind: str, updates: list[IndicatorUpdate]) -> int:
    """Send one e-mail per person for a bulk action ("approved" or "submitted"): each hears
    of all the updates that concern them in one message. Return how many were sent."""
    by_person: dict[int, tuple] = {}
    for update in updates:
        for user in _recipients(kind=kind, update=update):
            if user.email:
                by_person.setdefault(user.pk, (user, []))[1].append(update)
    messages = []
    for user, concerned in by_person.values():
        with translation.override(user_language(user)):
            subject, body = _digest_text(kind=kind, updates=concerned)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _digest_text(*, kind: str, updates: list[IndicatorUpdate]) -> tuple[str, str]:
    """The subject and body of one digest e-mail, in the active language."""
    count = len(updates)
    if kind == "submitted":
        subject = ngettext(
            "%(n)d update submitted for your review",
            "%(n)d updates submitted for your review",
            count,
        ) % {"n": count}
        intro = _("These updates wait for your review:")
    else:
        subject = ngettext(
            "%(n)d of your updates was approved", "%(n)d of your updates were approved", count
        ) % {"n": count}
        intro = _("These updates were approved:")
    lines = [
        f"- {u.indicator.code}, {u.office.name}, {u.period.code}: {_update_url(u)}" for u in updates
    ]
    return subject, "\n".join([intro, "", *lines])
