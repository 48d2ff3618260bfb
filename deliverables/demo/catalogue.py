"""The demo's indicators, read from deliverables/data/demo_indicators.json: each one's reference
sheet, its links, and how its demo values behave."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from core.demo import demo_data

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_indicators.json"


@dataclass(frozen=True)
class IndicatorSpec:
    """One demo indicator: its reference sheet, and how its demo values behave.

    `base` and `goal` depend on the measure:
    - number, cumulative: `base` is a medium office's amount per quarter, `goal` the yearly growth;
    - number, not cumulative (a level): `base` is a medium office's level at the baseline, `goal`
      the chance per quarter that the level rises by one;
    - percentage: `base` is the baseline and `goal` the 2023 target, in percent; `sample` is a
      medium office's denominator;
    - yes_no: `base` and `goal` are the shares of offices answering yes at the baseline and by 2023
      (baseline and targets are stored in percent: the roll-ups compare them with that share);
    - ordinal: `base` and `goal` are the baseline level and the 2023 target level.
    """

    code: str
    result: str  # "a.i" (outcome a, deliverable i) or "o.b" (institutional output b)
    name: str
    definition: str
    measure: str
    unit: str = ""
    direction: str = "increase"
    cumulative: bool = False
    disaggregations: tuple[str, ...] = ()
    ordinal_levels: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    gcm_objectives: tuple[int, ...] = ()
    method_of_calculation: str = ""
    data_source: str = ""
    collection_method: str = ""
    responsible_unit: str = ""
    base: float = 0
    goal: float = 0
    sample: int = 0
    covid_dip: bool = False  # activities fell in 2020-Q2 and Q3
    assign: float = 0.0  # chance that a country office reports on it
    departments: tuple[str, ...] = ()  # HQ departments that report on it
    texts: tuple[str, ...] = ()  # qualitative: what offices write
    # The wording in French and Spanish (the English above is the indicator's own).
    name_fr: str = ""
    name_es: str = ""
    definition_fr: str = ""
    definition_es: str = ""
    unit_fr: str = ""
    unit_es: str = ""
    ordinal_levels_fr: tuple[str, ...] = ()
    ordinal_levels_es: tuple[str, ...] = ()

    @property
    def measures_an_output(self) -> bool:
        return self.result.startswith("o.")


@dataclass(frozen=True)
class IndicatorsCatalogue:
    indicators: tuple[IndicatorSpec, ...]
    anchor_indicators: frozenset[str]  # the `field` login's office reports on these


@functools.cache
def indicators_catalogue() -> IndicatorsCatalogue:
    """Return the demo's indicators, read once from the data file."""
    data = demo_data(DATA_FILE)
    specs = []
    for item in data["indicators"]:
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}
        specs.append(IndicatorSpec(**values))
    return IndicatorsCatalogue(
        indicators=tuple(specs), anchor_indicators=frozenset(data["anchor_indicators"])
    )
