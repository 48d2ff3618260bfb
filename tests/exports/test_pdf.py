"""The PDF membership update: A4 with page numbers, every outcome and its figures."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from exports.services.pdf import membership_update_pdf
from rollups.models import Rollup
from tests.exports.helpers import build

Span = Rollup.Span
Scope = Rollup.Scope


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_pdf_shows_every_outcome_and_the_figures(world):
    # when the PDF is made
    update = build(world)
    data = membership_update_pdf(update=update)
    text = _pdf_text(data)
    # then it is A4 with page numbers, and names every outcome with its figures
    reader = PdfReader(io.BytesIO(data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    assert len(reader.pages) >= 5
    assert f"Page 2 of {len(reader.pages)}" in text
    for outcome in update.outcomes:
        assert outcome.title in text
    assert "3,500" in text
    assert "70%" in text
    assert "Kenya assisted returnees in Mombasa" in text
    assert "Not yet approved" not in text
    # and the table of contents points at the pages
    assert re.search(r"Institutional outputs\s*\.*\s*\d+", text)
