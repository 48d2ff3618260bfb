"""Workflow e-mails, reminders and digests are written in each recipient's own language."""

import datetime as dt

from offices.languages import user_language_set
from reporting.services.workflow import update_return, update_submit


def test_email_to_a_french_speaking_reviewer_is_in_french(
    users, kenya_draft, mailoutbox, django_capture_on_commit_callbacks
):
    # given the Nairobi reviewer reads the tracker in French, the Kenya field staff in English
    user_language_set(user=users["reviewer"], language="fr")
    # when Kenya submits its update
    with django_capture_on_commit_callbacks(execute=True):
        update_submit(user=users["field"], update=kenya_draft)
    # then the reviewer's e-mail is in French
    (message,) = [m for m in mailoutbox if m.to == [users["reviewer"].email]]
    assert message.subject.startswith("Soumise pour examen\u00a0: A.i.1")
    assert "a soumis sa mise à jour de A.i.1 pour 2023-Q4" in message.body
    assert "Submitted" not in message.subject
    assert "submitted" not in message.body


def test_email_to_a_spanish_speaking_submitter_is_in_spanish(
    users, kenya_submitted, mailoutbox, django_capture_on_commit_callbacks
):
    # given field staff who read the tracker in Spanish
    user_language_set(user=users["field"], language="es")
    mailoutbox.clear()
    # when the reviewer, working in English, returns their update
    with django_capture_on_commit_callbacks(execute=True):
        update_return(user=users["reviewer"], update=kenya_submitted, comment="Check the total.")
    # then their e-mail is in Spanish, with the reviewer's comment as written
    (message,) = mailoutbox
    assert message.subject.startswith("Devuelta: A.i.1")
    assert "fue devuelta con este comentario" in message.body
    assert "Check the total." in message.body


def test_email_without_a_preference_is_in_english(
    users, kenya_draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_submit(user=users["field"], update=kenya_draft)
    (message,) = [m for m in mailoutbox if m.to == [users["reviewer"].email]]
    assert message.subject.startswith("Submitted for review: A.i.1")


def test_deadline_reminder_is_in_the_field_persons_language(
    settings, users, number_indicator, kenya, period, mailoutbox
):
    # given Kenya's field staff read the tracker in Spanish, and 2023-Q4 is 7 days away
    from reporting.services.reminders import deadline_reminders_send

    settings.REMINDER_DAYS_BEFORE_DEADLINE = 7
    user_language_set(user=users["field"], language="es")
    # when the daily reminder runs
    deadline_reminders_send(today=period.deadline - dt.timedelta(days=7))
    # then their reminder is in Spanish; the others' stay English
    (spanish,) = [m for m in mailoutbox if m.to == [users["field"].email]]
    assert spanish.subject.startswith("Recordatorio: 1 indicador sin presentar")
    others = [m for m in mailoutbox if m.to != [users["field"].email]]
    assert others
    assert all(m.subject.startswith("Reminder:") for m in others)


def test_review_digest_is_in_the_reviewers_language(settings, users, kenya_submitted, mailoutbox):
    # given the Nairobi reviewer reads the tracker in French, Kenya's update waiting 6 days
    from reporting.services.reminders import review_digests_send

    settings.REVIEW_DIGEST_AFTER_DAYS = 5
    user_language_set(user=users["reviewer"], language="fr")
    mailoutbox.clear()
    # when the daily digest runs
    today = (kenya_submitted.submitted_at + dt.timedelta(days=6)).date()
    review_digests_send(today=today)
    # then the reviewer's digest is in French
    (message,) = [m for m in mailoutbox if m.to == [users["reviewer"].email]]
    assert "attend votre examen depuis plus de 5 jours" in message.subject
