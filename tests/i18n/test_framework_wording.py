"""The framework's wording in English, French and Spanish: loaded from the data files,
corrected by HQ in the admin (a new load keeps the correction), falling back to English,
marked for HQ, where a translation is missing."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from core.i18n import MISSING_MARK, missing_translations_marked
from deliverables.demo.catalogue import DATA_FILE as INDICATORS_FILE
from deliverables.models import Deliverable
from outcomes.models import GcmObjective, Marker, Outcome, SdgTarget
from outcomes.services import DEFAULT_STRATEGY_FILE, strategy_load

# Each list of the strategy's data file, and the texts each item has in every language.
STRATEGY_TEXTS = {
    "outcomes": ("title", "short_title"),
    "institutional_outputs": ("title", "short_title"),
    "markers": ("name",),
    "strategic_priorities": ("name",),
    "megatrends": ("name", "description"),
    "frameworks": ("name", "short_name"),
    "sdg_targets": ("title",),
    "gcm_objectives": ("title",),
    "regions": ("name",),
}


def _missing(item: dict, names: tuple[str, ...]) -> list[str]:
    return [
        f"{n}_{lang}"
        for n in names
        for lang in ("fr", "es")
        if item.get(n) and not item.get(f"{n}_{lang}")
    ]


def test_strategy_data_file_has_french_and_spanish_for_every_text():
    data = json.loads(DEFAULT_STRATEGY_FILE.read_text(encoding="utf-8"))
    missing = [
        (key, item.get("code"), _missing(item, names))
        for key, names in STRATEGY_TEXTS.items()
        for item in data[key]
        if _missing(item, names)
    ]
    missing += [
        ("deliverables", f"{o['code']}.{d['code']}", _missing(d, ("title", "short_title")))
        for o in data["outcomes"]
        for d in o["deliverables"]
        if _missing(d, ("title", "short_title"))
    ]
    missing += [
        (k, "", _missing(data[k], ("title" if k == "strategy" else "name",)))
        for k in ("strategy", "headquarters")
        if _missing(data[k], ("title", "name"))
    ]
    assert missing == []


def test_demo_indicators_file_has_french_and_spanish_names_and_definitions():
    data = json.loads(INDICATORS_FILE.read_text(encoding="utf-8"))
    missing = [
        (item["code"], _missing(item, ("name", "definition", "unit")))
        for item in data["indicators"]
        if _missing(item, ("name", "definition", "unit"))
    ]
    levels = [
        item["code"]
        for item in data["indicators"]
        if item.get("ordinal_levels")
        and not len(item["ordinal_levels"])
        == len(item.get("ordinal_levels_fr", []))
        == len(item.get("ordinal_levels_es", []))
    ]
    assert missing == []
    assert levels == []


@pytest.mark.django_db
def test_load_strategy_loads_english_french_and_spanish(strategy):
    outcome = Outcome.objects.get(strategy=strategy, code="a")
    deliverable = Deliverable.objects.get(outcome=outcome, code="ii")
    with translation.override("en"):
        assert outcome.title == "Human mobility is increasingly a choice"
    with translation.override("fr"):
        assert outcome.title == "La mobilité humaine est de plus en plus un choix"
        assert deliverable.short_title == "Voies de migration sûre et régulière"
        assert Marker.objects.get(strategy=strategy, code="gender").name == "Genre"
    with translation.override("es"):
        assert outcome.title == "La movilidad humana es cada vez más una opción"
        assert SdgTarget.objects.get(code="10.7").title.startswith("Facilitar la migración")
        assert GcmObjective.objects.get(number=23).title.startswith("Fortalecer la cooperación")


@pytest.mark.django_db
def test_load_strategy_keeps_a_translation_hq_corrected(strategy):
    # given HQ corrected the French title of outcome (a)
    outcome = Outcome.objects.get(strategy=strategy, code="a")
    outcome.title_fr = "La mobilité humaine devient un choix"
    outcome.save()
    # when the strategy is loaded again (as `make run` does)
    _strategy, report = strategy_load()
    # then the correction stays, and nothing else changed
    outcome.refresh_from_db()
    assert outcome.title_fr == "La mobilité humaine devient un choix"
    assert report.nothing_changed


@pytest.mark.django_db
def test_load_strategy_fills_a_translation_that_is_missing(strategy):
    # given a Spanish title emptied (e.g. a database loaded before the translations)
    Outcome.objects.filter(strategy=strategy, code="b").update(title_es=None)
    # when the strategy is loaded again, then the data file's Spanish fills it
    strategy_load()
    with translation.override("es"):
        assert Outcome.objects.get(strategy=strategy, code="b").title.startswith("Los migrantes")


@pytest.mark.django_db
def test_missing_translation_falls_back_to_english_marked_only_when_asked(strategy):
    # given outcome (c) without its Spanish title
    Outcome.objects.filter(strategy=strategy, code="c").update(title_es="")
    outcome = Outcome.objects.get(strategy=strategy, code="c")
    with translation.override("es"):
        # then it reads in English, marked only where marking is on (HQ's pages)
        assert outcome.title == "Migration is increasingly well governed"
        with missing_translations_marked():
            assert outcome.title == MISSING_MARK + "Migration is increasingly well governed"
            # a translated text is never marked
            assert Outcome.objects.get(code="a").title.startswith("La movilidad")
    with translation.override("en"), missing_translations_marked():
        assert outcome.title == "Migration is increasingly well governed"


def test_missing_translation_is_marked_for_hq_on_the_dashboard(
    client_as, strategy, number_indicator, period
):
    # given outcome (c) lost its French title
    Outcome.objects.filter(strategy=strategy, code="c").update(title_fr="")
    english = "Migration is increasingly well governed"
    # when HQ and the steering committee open the dashboard in French
    hq = client_as("hq").get(reverse("reporting:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
    steering = client_as("steering").get(reverse("reporting:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
    # then both read the English text; HQ, who can correct it, see it marked
    assert f"{MISSING_MARK}{english}" in hq.content.decode()
    assert english in steering.content.decode()
    assert f"{MISSING_MARK}{english}" not in steering.content.decode()
    # and the translated outcomes are in French for both
    assert "La mobilité humaine est de plus en plus un choix" in steering.content.decode()


def test_hq_corrects_a_translation_in_the_admin(client, users, strategy):
    # given HQ in the admin, with the framework's permissions
    hq = users["hq"]
    hq.is_staff = True
    hq.save()
    hq.user_permissions.set(Permission.objects.filter(content_type__app_label="outcomes"))
    client.force_login(hq)
    marker = Marker.objects.get(strategy=strategy, code="environment")
    url = reverse("admin:outcomes_marker_change", args=[marker.pk])
    # when they open the marker's page, they see a field per language
    page = client.get(url)
    assert page.status_code == 200
    for name in ("name_en", "name_fr", "name_es"):
        assert f'name="{name}"' in page.content.decode()
    # and when they correct the Spanish name
    response = client.post(
        url,
        {
            "strategy": strategy.pk,
            "code": marker.code,
            "order": marker.order,
            "name_en": marker.name_en,
            "name_fr": marker.name_fr,
            "name_es": "Medio ambiente y cambio climático",
        },
    )
    # then it is saved, and the Spanish pages use it
    assert response.status_code == 302, response.context["adminform"].form.errors
    marker.refresh_from_db()
    with translation.override("es"):
        assert marker.name == "Medio ambiente y cambio climático"
