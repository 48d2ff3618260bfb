"""File uploads (issue 16, finding 6): the one upload guard (core.uploads) refuses, before any
parsing, files of the wrong size, of a content other than their name claims, and zip-based files
(.xlsx, .docx) that would expand beyond the limit or hold too many parts; for the Excel template
and for evidence files alike."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.excel.template import excel_template_build
from reporting.excel.upload import excel_upload_parse
from reporting.exceptions import UpdateValidationError
from reporting.models import IndicatorUpdate, UpdateEvidence
from reporting.services.evidence import update_evidence_add

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _with_entry(data: bytes, name: str, content: bytes, *, count: int = 1) -> bytes:
    """Return the zip `data` with `count` more entries of `content` (deflated)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for number in range(count):
            target.writestr(f"{name}{number or ''}", content, compresslevel=1)
    return buffer.getvalue()


def _bomb(template: bytes, expanded: int = 40 * MB) -> bytes:
    """The template carrying shared strings that expand far beyond their compressed size."""
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>" + b"A" * expanded + b"</t></si></sst>"
    return _with_entry(template, "xl/sharedStrings.xml", strings)


def _upload(client, data: bytes, office, period, name="kenya.xlsx"):
    return client.post(
        reverse("reporting:excel_upload"),
        {"office": office.pk, "period": period.pk, "file": SimpleUploadedFile(name, data, XLSX)},
    )


def test_excel_upload_refuses_a_zip_bomb_before_parsing_it(
    client_as, users, kenya, period, number_indicator
):
    # given a small template whose shared strings expand to 40 MB (the issue's: 3.4 MB → 1.5 GB)
    template = excel_template_build(user=users["field"], office=kenya, period=period)
    bomb = _bomb(template)
    assert len(bomb) < MB
    # when it is uploaded
    response = _upload(client_as("field"), bomb, kenya, period)
    # then it is refused from the zip's directory, with a message, and nothing is stored
    assert response.status_code == 400
    messages = [p.message for p in response.context["preview"].problems]
    assert any("would expand to" in m for m in messages), messages
    assert not IndicatorUpdate.objects.exists()


def test_excel_parse_refuses_a_zip_bomb_in_every_path(users, kenya, period, number_indicator):
    # the confirmation step reads the stored file again through the same reader
    template = excel_template_build(user=users["field"], office=kenya, period=period)
    preview = excel_upload_parse(
        user=users["field"], office=kenya, period=period, file=_bomb(template)
    )
    assert preview.problems
    assert "would expand to" in preview.problems[0].message


def test_excel_upload_refuses_a_workbook_of_too_many_parts(
    client_as, users, kenya, period, number_indicator, settings
):
    settings.UPLOAD_MAX_ZIP_ENTRIES = 50
    template = excel_template_build(user=users["field"], office=kenya, period=period)
    crowded = _with_entry(template, "xl/media/part", b"x", count=60)
    response = _upload(client_as("field"), crowded, kenya, period)
    assert response.status_code == 400
    assert any("parts" in p.message for p in response.context["preview"].problems)


def test_excel_upload_refuses_what_is_not_a_workbook(client_as, kenya, period, number_indicator):
    for content in (b"%PDF-1.7 not a workbook", b"PK\x03\x04 truncated zip", b""):
        response = _upload(client_as("field"), content, kenya, period)
        assert response.status_code == 400, content


def test_excel_upload_refuses_a_file_over_the_size_limit(
    client_as, kenya, period, number_indicator, settings
):
    settings.EXCEL_UPLOAD_MAX_BYTES = 1000
    response = _upload(client_as("field"), b"PK\x03\x04" + b"0" * 5000, kenya, period)
    assert response.status_code == 400


# --- Evidence files ---------------------------------------------------------------------------


def _attach(users, update, name: str, content: bytes):
    return update_evidence_add(
        user=users["field"], update=update, file=SimpleUploadedFile(name, content)
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00 an executable renamed"),
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"%PDF-1.4 not a photo"),
        ("list.csv", b"name\x00\x00\x00binary"),
        ("notes.docx", b"not a zip at all"),
        ("tool.exe", b"MZ"),
        ("page.html", b"<script>alert(1)</script>"),
        ("drawing.svg", b"<svg onload=alert(1)>"),
    ],
)
def test_evidence_refuses_files_whose_content_is_not_their_type(users, kenya_draft, name, content):
    with pytest.raises(UpdateValidationError) as refused:
        _attach(users, kenya_draft, name, content)
    assert refused.value.message_dict["evidence"]
    assert not UpdateEvidence.objects.filter(update=kenya_draft).exists()


def test_evidence_refuses_a_docx_that_would_expand_beyond_the_limit(users, kenya_draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"A" * (40 * MB), compresslevel=1)
    with pytest.raises(UpdateValidationError) as refused:
        _attach(users, kenya_draft, "report.docx", buffer.getvalue())
    assert "would expand to" in refused.value.message_dict["evidence"][0]


def test_evidence_takes_real_files_of_each_type(users, kenya_draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    for name, content in (
        ("report.pdf", b"%PDF-1.7\n%%EOF"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 10),
        ("list.csv", "name,sex\nAïcha,f\n".encode()),
        ("report.docx", buffer.getvalue()),
    ):
        assert _attach(users, kenya_draft, name, content).size == len(content)


def test_evidence_over_the_size_limit_is_refused(users, kenya_draft, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(UpdateValidationError):
        _attach(users, kenya_draft, "list.csv", b"a" * 101)


def test_upload_guard_reads_only_the_zip_directory():
    # a declared expansion beyond the limit is refused without decompressing anything
    from core.uploads import UploadLimits, upload_refusal

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"B" * (2 * MB))
    limits = UploadLimits(max_bytes=10 * MB, max_uncompressed=MB, max_entries=10)
    refusal = upload_refusal(name="a.xlsx", file=buffer.getvalue(), limits=limits)
    assert "would expand to" in refusal
    assert upload_refusal(name="a.xlsx", file=buffer.getvalue()) == ""


def test_evidence_page_upload_shows_the_refusal_not_an_error(
    client_as, kenya_draft, number_indicator
):
    from tests.reporting.entry_fixtures import entry_url, row_data

    data = row_data(number_indicator, version=kenya_draft.version, value="40")
    data[f"r{number_indicator.pk}-evidence"] = SimpleUploadedFile("report.pdf", b"MZ fake")
    response = client_as("field").post(entry_url(kenya_draft.office, kenya_draft.period), data)
    assert response.status_code in {200, 400}
    assert not UpdateEvidence.objects.exists()
    assert kenya_draft.value == Decimal("40")
