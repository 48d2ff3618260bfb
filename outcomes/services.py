"""Writes to the results framework."""

import json
from pathlib import Path

from django.db import transaction

from core.loading import LoadReport, row_upsert, translated
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
from outcomes.signals import strategy_loaded

DEFAULT_STRATEGY_FILE = Path(__file__).resolve().parent / "data" / "iom_2019_2023.json"


@transaction.atomic
def strategy_load(*, path: Path = DEFAULT_STRATEGY_FILE) -> tuple[Strategy, LoadReport]:
    """Load a strategy's framework from its data file; loading it again changes nothing.

    The apps above load their part of the same file through the `strategy_loaded` signal
    (deliverables: the outcomes' deliverables; offices: regions and headquarters).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    report = LoadReport()
    s = data["strategy"]
    # Wording comes in English (the strategy's) with French and Spanish beside it
    # (`title_fr`, `title_es`): those fill what is missing and leave HQ's corrections alone.
    text, fill = translated(s, "title")
    strategy = row_upsert(
        Strategy,
        report,
        {"code": s["code"]},
        {**text, "start_year": s["start_year"], "end_year": s["end_year"]},
        fill=fill,
    )
    for model, key, names in [
        (Outcome, "outcomes", ("title", "short_title")),
        (InstitutionalOutput, "institutional_outputs", ("title", "short_title")),
        (Marker, "markers", ("name",)),
        (StrategicPriority, "strategic_priorities", ("name",)),
        (Megatrend, "megatrends", ("name", "description")),
        (Framework, "frameworks", ("name", "short_name")),
    ]:
        for order, item in enumerate(data[key], start=1):
            text, fill = translated(item, *names)
            row_upsert(
                model,
                report,
                {"strategy": strategy, "code": item["code"]},
                {**text, "order": order},
                fill=fill,
            )
    for item in data["sdg_targets"]:
        goal = int(item["code"].split(".")[0])
        text, fill = translated(item, "title")
        row_upsert(SdgTarget, report, {"code": item["code"]}, {"goal": goal, **text}, fill=fill)
    for number, item in enumerate(data["gcm_objectives"], start=1):
        text, fill = translated(item if isinstance(item, dict) else {"title": item}, "title")
        row_upsert(GcmObjective, report, {"number": number}, text, fill=fill)
    # Deliverables, regions and headquarters belong to the apps above: they load their part.
    strategy_loaded.send(sender=Strategy, strategy=strategy, data=data, report=report)
    return strategy, report
