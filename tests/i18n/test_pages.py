"""Pages in French and Spanish show no English sentence of the project's own: neither the
application's text (the catalogues' English) nor the framework's wording (the data file's)."""

import html
import json
import re

import polib
import pytest
from django.urls import reverse

from outcomes.services import DEFAULT_STRATEGY_FILE
from reporting.services.workflow import update_approve
from tests.i18n.catalogues import catalogue_path
from tests.reporting.entry_fixtures import entry_url


def _visible_text(page: str) -> str:
    """The words a person reads: text and the labels of controls (no markup, no scripts)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    labels = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(" ".join([text, *labels])).split())


def _english_sentences(language: str) -> set[str]:
    """The project's English texts of three words or more that its catalogue translates."""
    po = polib.pofile(str(catalogue_path(language)))
    texts = set()
    for entry in po.translated_entries():
        for text in filter(None, [entry.msgid, entry.msgid_plural]):
            # The fixed part of a text with placeholders: the longest piece between them.
            piece = max(re.split(r"%\(\w+\)[sd]|%[sd]|%%", text), key=len).strip(" .,:;")
            if len(piece.split()) >= 3 and (entry.msgstr or "").strip(" .,:;") != piece:
                texts.add(piece)
    return texts


def _framework_english() -> set[str]:
    data = json.loads(DEFAULT_STRATEGY_FILE.read_text(encoding="utf-8"))
    texts = {data["strategy"]["title"]}
    for key in ("outcomes", "institutional_outputs", "markers", "strategic_priorities"):
        for item in data[key]:
            texts |= {item.get(n) for n in ("title", "short_title", "name")}
            for d in item.get("deliverables", []):
                texts |= {d["title"], d["short_title"]}
    # Single words may be the same in every language ("Gender" is not, "Mobilité" is close).
    return {t for t in texts if t and len(t.split()) >= 2}


def _english_left(page: str, language: str) -> list[str]:
    text = _visible_text(page)
    found = [s for s in _english_sentences(language) | _framework_english() if s in text]
    return sorted(found)


@pytest.fixture
def pages(client_as, kenya_submitted, users, percentage_indicator, kenya, period):
    """Each key page, with the person who uses it: sign-in, home, entry, review, dashboard."""
    update_approve(user=users["reviewer"], update=kenya_submitted)
    return [
        (None, reverse("login")),
        ("field", reverse("home")),
        ("field", entry_url(kenya, period)),
        ("reviewer", reverse("reporting:review_queue")),
        ("steering", reverse("reporting:dashboard")),
        ("steering", reverse("reporting:dashboard_indicator", args=[kenya_submitted.indicator_id])),
    ]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_pages_show_no_english_sentence_of_the_project(client_as, pages, language):
    for who, url in pages:
        # when the page is opened in French or Spanish
        response = client_as(who).get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
        # then none of the project's English sentences is left on it
        assert _english_left(response.content.decode(), language) == [], url


def test_pages_in_english_do_show_those_sentences(client_as, pages):
    # the check above can see English: in English the same pages are full of it
    response = client_as("steering").get(reverse("reporting:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert len(_english_left(response.content.decode(), "fr")) > 5
