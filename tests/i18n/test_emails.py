"""Workflow e-mails are written in each recipient's own language."""

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
