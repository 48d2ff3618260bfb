"""Writes to the results framework."""

import json
from pathlib import Path

from django.db import transaction

from core.loading import LoadReport, row_upsert
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
    strategy = row_upsert(
        Strategy,
        report,
        {"code": s["code"]},
        {"title": s["title"], "start_year": s["start_year"], "end_year": s["end_year"]},
    )
    for order, o in enumerate(data["outcomes"], start=1):
        row_upsert(
            Outcome,
            report,
            {"strategy": strategy, "code": o["code"]},
            {"title": o["title"], "short_title": o.get("short_title", ""), "order": order},
        )
    for order, item in enumerate(data["institutional_outputs"], start=1):
        row_upsert(
            InstitutionalOutput,
            report,
            {"strategy": strategy, "code": item["code"]},
            {"title": item["title"], "short_title": item.get("short_title", ""), "order": order},
        )
    for model, key in [
        (Marker, "markers"),
        (StrategicPriority, "strategic_priorities"),
        (Megatrend, "megatrends"),
        (Framework, "frameworks"),
    ]:
        for order, item in enumerate(data[key], start=1):
            values = {k: v for k, v in item.items() if k != "code"}
            row_upsert(
                model,
                report,
                {"strategy": strategy, "code": item["code"]},
                {**values, "order": order},
            )
    for item in data["sdg_targets"]:
        goal = int(item["code"].split(".")[0])
        row_upsert(
            SdgTarget, report, {"code": item["code"]}, {"goal": goal, "title": item["title"]}
        )
    for number, title in enumerate(data["gcm_objectives"], start=1):
        row_upsert(GcmObjective, report, {"number": number}, {"title": title})
    # Deliverables, regions and headquarters belong to the apps above: they load their part.
    strategy_loaded.send(sender=Strategy, strategy=strategy, data=data, report=report)
    return strategy, report
