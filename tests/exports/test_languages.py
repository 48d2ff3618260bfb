"""The membership update in English, French or Spanish: chosen on the export page or with
`--language`, recorded on each export job, and written throughout in that language."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from exports.services.jobs import membership_update_render
from jobs.models import Job
from tests.i18n.catalogues import messages_compiled


@pytest.fixture(autouse=True)
def _catalogues():
    messages_compiled()
    translation.activate("en")
    yield
    translation.activate("en")


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def test_membership_update_pdf_in_spanish(world):
    # when the membership update is made as a PDF in Spanish
    name, data = membership_update_render(
        strategy=world["strategy"],
        period_from="2019-Q1",
        period_to="2023-Q4",
        format="pdf",
        language="es",
    )
    text = _pdf_text(data)
    # then its headings, the framework's wording and its labels are Spanish
    assert name.endswith("_es.pdf")
    assert "Informe a los Estados Miembros" in text
    assert "Exhaustividad de los informes" in text
    assert "La movilidad humana es cada vez más una opción" in text
    # and not English
    for english in ("Membership update", "Reporting completeness", "Human mobility is"):
        assert english not in text


def test_membership_update_pdf_in_english_by_default(world):
    name, data = membership_update_render(
        strategy=world["strategy"], period_from="2019-Q1", period_to="2023-Q4", format="pdf"
    )
    assert not name.endswith("_en.pdf")
    assert "Membership update" in _pdf_text(data)


def test_membership_update_xlsx_in_french(world):
    _name, data = membership_update_render(
        strategy=world["strategy"],
        period_from="2019-Q1",
        period_to="2023-Q4",
        format="xlsx",
        language="fr",
    )
    book = load_workbook(io.BytesIO(data))
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    )
    assert "La mobilité humaine est de plus en plus un choix" in cells
    assert "Human mobility is increasingly a choice" not in cells


def test_export_page_offers_the_language_and_the_job_records_it(
    client, world, users, django_capture_on_commit_callbacks
):
    client.force_login(users["steering"])
    # given the export page, in French
    page = client.get(reverse("reporting:exports"), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'name="language"' in page.content.decode()
    # when the steering committee asks for the 2021 update in Spanish
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:export_create"),
            {"preset": "year-2021", "format": "pdf", "language": "es"},
        )
    # then the job records Spanish and its file is the Spanish one
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.language == "es"
    assert job.status == Job.Status.DONE
    assert job.result_file.name.endswith("_es.pdf")


def test_export_page_without_a_language_uses_the_pages(
    client, world, users, django_capture_on_commit_callbacks
):
    client.force_login(users["steering"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:export_create"),
            {"preset": "year-2021", "format": "csv"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert Job.objects.get().language == "fr"


def test_export_command_takes_a_language(world, tmp_path):
    output = tmp_path / "update.pdf"
    out = io.StringIO()
    call_command(
        "export_membership_update",
        "--from=2019-Q1",
        "--to=2023-Q4",
        "--format=pdf",
        "--language=fr",
        f"--output={output}",
        stdout=out,
    )
    assert "Rapport aux États Membres" in _pdf_text(output.read_bytes())
    assert "(pdf, fr," in out.getvalue()


def test_job_records_the_language_of_who_asked_and_speaks_it(world, users):
    from jobs.runner import job_run
    from jobs.services import job_create

    # given a job asked for from a French page (no language given)
    with translation.override("fr"):
        job = job_create(
            kind=Job.Kind.MEMBERSHIP_UPDATE,
            user=users["steering"],
            params={
                "strategy_id": world["strategy"].pk,
                "period_from": "2019-Q1",
                "period_to": "2023-Q4",
                "format": "csv",
            },
        )
    # then it records French, and a worker (in English) reports its steps in French
    assert job.language == "fr"
    done = job_run(job=Job.objects.get(pk=job.pk))
    assert done.status == Job.Status.DONE
    assert done.message == "Prête"
