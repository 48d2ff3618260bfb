"""An update's history reads in the reader's language, whoever wrote it in which language."""

from django.utils import translation

from reporting.selectors.updates import history_reason_shown, update_timeline
from reporting.services.workflow import update_return


def test_history_reasons_are_stored_in_english_and_shown_translated(users, kenya_submitted):
    # given a reviewer working in French returns the update with their comment
    with translation.override("fr"):
        update_return(user=users["reviewer"], update=kenya_submitted, comment="Vérifier le total.")
    # then the history keeps English reasons
    reasons = [r.history_change_reason for r in kenya_submitted.history.order_by("history_date")]
    assert reasons == ["Created", "Submitted", "Returned: Vérifier le total."]
    # and shows them in the reader's language, the comment as written
    with translation.override("es"):
        shown = [entry.reason for entry in update_timeline(update=kenya_submitted)]
    assert shown == ["Devuelta: Vérifier le total.", "Presentada", "Creada"]


def test_history_reason_not_from_the_workflow_is_shown_as_it_is():
    with translation.override("fr"):
        assert history_reason_shown("Imported from the 2021 spreadsheet") == (
            "Imported from the 2021 spreadsheet"
        )
        assert history_reason_shown("") == ""
