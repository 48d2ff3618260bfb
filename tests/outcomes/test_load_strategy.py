"""`manage.py load_strategy`: the strategy's framework, in its own words, loaded once."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from deliverables.models import Deliverable
from offices.models import Office, Region
from outcomes.models import (
    Framework,
    GcmObjective,
    InstitutionalOutput,
    Marker,
    Megatrend,
    Outcome,
    SdgTarget,
    StrategicPriority,
    Strategy,
)

# The strategy summary the data file quotes (IOM's Standing Committee on Programmes and
# Finance, 25th session), kept beside the data file.
STRATEGY_TEXT = Path(settings.BASE_DIR) / "outcomes" / "data" / "iom_2019_2023_summary.txt"
FRAMEWORK_MODELS = [
    Strategy,
    Outcome,
    Deliverable,
    InstitutionalOutput,
    Marker,
    StrategicPriority,
    Megatrend,
    Framework,
    SdgTarget,
    GcmObjective,
    Region,
    Office,
]


def _load() -> str:
    out = io.StringIO()
    call_command("load_strategy", stdout=out)
    return out.getvalue()


def _snapshot() -> dict[str, list[tuple]]:
    """Every framework row with its last change time, model by model."""
    return {
        model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
        for model in FRAMEWORK_MODELS
    }


@pytest.mark.django_db
def test_load_strategy_loads_the_framework_counts():
    # given an empty database
    # when the strategy is loaded
    _load()
    # then the framework has exactly the strategy's parts
    strategy = Strategy.objects.get()
    assert (strategy.start_year, strategy.end_year) == (2019, 2023)
    assert Outcome.objects.count() == 3
    assert Deliverable.objects.count() == 8
    assert InstitutionalOutput.objects.count() == 4
    assert Marker.objects.count() == 3
    assert StrategicPriority.objects.count() == 3
    assert Megatrend.objects.count() == 4
    assert Framework.objects.count() == 7
    assert GcmObjective.objects.count() == 23
    assert Region.objects.count() == 9
    assert Office.objects.filter(kind=Office.Kind.REGIONAL).count() == 9
    assert Office.objects.filter(kind=Office.Kind.HEADQUARTERS).count() == 1


@pytest.mark.django_db
def test_load_strategy_keeps_the_deliverable_codes_per_outcome():
    # when the strategy is loaded
    _load()
    # then each outcome has the strategy's deliverables, coded as in the strategy
    codes = {
        outcome.code: list(outcome.deliverables.order_by("order").values_list("code", flat=True))
        for outcome in Outcome.objects.order_by("order")
    }
    assert codes == {"a": ["i", "ii"], "b": ["i", "ii", "iii"], "c": ["i", "ii", "iii"]}
    assert list(InstitutionalOutput.objects.values_list("code", flat=True)) == ["a", "b", "c", "d"]


@pytest.mark.django_db
def test_load_strategy_uses_the_strategy_wording():
    # when the strategy is loaded
    _load()
    # then titles are the strategy's own words
    strategy = Strategy.objects.get()
    assert strategy.title == ("IOM Institutional Strategy on Migration and Sustainable Development")
    assert list(Outcome.objects.order_by("order").values_list("title", flat=True)) == [
        "Human mobility is increasingly a choice",
        "Migrants and their families are empowered as development actors",
        "Migration is increasingly well governed",
    ]
    assert Deliverable.objects.get(outcome__code="a", code="ii").title == (
        "IOM will support governments in enhancing pathways for safe and regular migration."
    )
    assert Deliverable.objects.get(outcome__code="b", code="iii").title == (
        "IOM will harness migrants' economic and social capital for broad-based development."
    )
    assert Deliverable.objects.get(outcome__code="c", code="iii").title.startswith(
        "IOM will empower decentralized government structures to implement the 2030 Agenda"
    )
    assert InstitutionalOutput.objects.get(code="b").title == (
        "Stronger partnerships across the United Nations development system and beyond that "
        "harness the different expertise and capabilities of relevant actors on migration and "
        "sustainable development"
    )
    assert InstitutionalOutput.objects.get(code="d").title == (
        "High-quality migration programming that contributes to positive development outcomes"
    )
    assert set(Marker.objects.values_list("name", flat=True)) == {
        "Inequalities",
        "The environment and climate change",
        "Gender",
    }
    assert set(StrategicPriority.objects.values_list("code", flat=True)) == {
        "resilience",
        "mobility",
        "governance",
    }


@pytest.mark.django_db
def test_load_strategy_titles_appear_in_the_strategy_text():
    # given the strategy summary
    text = " ".join(STRATEGY_TEXT.read_text(encoding="utf-8").replace("*", "").split())
    text = re.sub(r"\s+", " ", text.replace("’", "'"))
    # when the strategy is loaded
    _load()
    # then every outcome, deliverable and output title is quoted from it word for word
    titles = [
        *Outcome.objects.values_list("title", flat=True),
        *Deliverable.objects.values_list("title", flat=True),
        *InstitutionalOutput.objects.values_list("title", flat=True),
    ]
    for title in titles:
        assert title.replace("’", "'") in text, title


@pytest.mark.django_db
def test_load_strategy_loads_the_reference_lists():
    # when the strategy is loaded
    _load()
    # then the migration-related SDG targets and the 23 GCM objectives are there
    sdg_codes = set(SdgTarget.objects.values_list("code", flat=True))
    assert {"10.7", "10.c", "8.8", "17.18", "5.2", "8.7", "16.2", "16.9"} <= sdg_codes
    assert list(GcmObjective.objects.values_list("number", flat=True)) == list(range(1, 24))
    assert GcmObjective.objects.get(number=23).title == (
        "Strengthen international cooperation and global partnerships for safe, orderly and "
        "regular migration"
    )
    assert set(Region.objects.values_list("city", flat=True)) == {
        "Bangkok",
        "Brussels",
        "Buenos Aires",
        "Cairo",
        "Dakar",
        "Nairobi",
        "Pretoria",
        "San José",
        "Vienna",
    }


@pytest.mark.django_db
def test_load_strategy_twice_changes_nothing():
    # given the strategy loaded once
    first_output = _load()
    before = _snapshot()
    # when it is loaded again
    second_output = _load()
    # then no row was added or touched, and the command says so
    assert "created" in first_output
    assert _snapshot() == before
    assert "nothing changed" in second_output
    assert "created" not in second_output
    assert "updated" not in second_output
