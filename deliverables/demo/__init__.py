"""Demo indicators (seeded by demo.services.demo_seed after the offices): 39 indicators with
their reference sheets, links, baselines and 2019–2023 targets, and which office reports on
which, all written through deliverables.services. Also each office/indicator pair's quarterly
figures, which the baselines and targets follow from and reporting's demo enters as updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.demo import DemoRandom
from deliverables.demo.catalogue import IndicatorSpec, indicators_catalogue
from deliverables.demo.figures import Pair, Quarter, baseline, series, target
from deliverables.models import Deliverable, Indicator
from deliverables.services import assignments_create, indicator_create
from outcomes.models import GcmObjective, InstitutionalOutput, Marker, SdgTarget, StrategicPriority

if TYPE_CHECKING:
    from offices.demo import DemoOffices
    from outcomes.models import Strategy

Measure = Indicator.Measure


@dataclass
class DemoIndicators:
    """What the indicators' demo made, for the apps seeded after it."""

    indicators: dict[str, Indicator]  # by code
    pairs: list[Pair]  # each office reporting on each indicator, with its quarterly figures
    quarters: list[Quarter]  # the strategy's, in order
    counts: dict[str, int] = field(default_factory=dict)


def demo_indicators_exist(*, strategy: Strategy) -> bool:
    """Return whether the strategy has indicators (from an earlier seed or by hand)."""
    return Indicator.objects.filter(strategy=strategy).exists()


def demo_indicators_clear(*, strategy: Strategy) -> bool:
    """Delete the strategy's indicators with their targets, assignments and roll-ups; return
    whether there were any (their updates must be gone first)."""
    indicators = Indicator.objects.filter(strategy=strategy)
    existed = indicators.exists()
    indicators.delete()
    return existed


def demo_indicators_seed(
    *, rand: DemoRandom, strategy: Strategy, offices: DemoOffices
) -> DemoIndicators:
    """Create the demo indicators, their targets and assignments (HQ's `hq` login writes).

    Draws from `rand.main` after the offices' demo (offices for indicators nobody drew).
    """
    catalogue = indicators_catalogue()
    quarters = [(year, q) for year in strategy.years for q in range(1, 5)]
    pairs = _pairs(rand, offices)
    for pair in pairs:
        series(pair, quarters, rand.part("series", pair.office.code, pair.spec.code))
    user = offices.hq_user
    by_code = _links(strategy)
    indicators = {}
    targets = 0
    for spec in catalogue.indicators:
        spec_pairs = [p for p in pairs if p.spec.code == spec.code]
        data = _indicator_data(spec, strategy, spec_pairs, by_code)
        data["targets"] = _targets(rand, spec, strategy, spec_pairs, offices.anchor)
        indicators[spec.code] = indicator_create(user=user, data=data)
        targets += len(data["targets"])
    assignments_create(user=user, pairs=[(indicators[p.spec.code], p.office) for p in pairs])
    counts = {"indicators": len(indicators), "targets": targets, "assignments": len(pairs)}
    return DemoIndicators(indicators=indicators, pairs=pairs, quarters=quarters, counts=counts)


def _pairs(rand: DemoRandom, offices: DemoOffices) -> list[Pair]:
    """Decide which office reports on which indicator."""
    specs = indicators_catalogue().indicators
    anchor_indicators = indicators_catalogue().anchor_indicators
    deliverable_specs = [s for s in specs if not s.measures_an_output]
    plan: dict[str, list[Any]] = {s.code: [] for s in specs}
    for office in offices.countries:
        rng = rand.part("assign", office.code)
        for spec in deliverable_specs:
            draw = rng.random()
            if office == offices.anchor:
                chosen = spec.code in anchor_indicators
            else:
                chosen = draw < spec.assign
            if chosen:
                plan[spec.code].append(office)
    for spec in deliverable_specs:
        if not plan[spec.code]:  # every indicator has at least one office reporting
            plan[spec.code].append(rand.main.choice(offices.countries))
    departments = {o.code: o for o in offices.departments}
    for spec in specs:
        for code in spec.departments:
            plan[spec.code].append(departments[code])
    return [
        Pair(office=office, spec=spec, size=offices.size[office.pk], city=offices.city[office.pk])
        for spec in specs
        for office in plan[spec.code]
    ]


def _links(strategy: Strategy) -> dict[str, dict]:
    """Return the results and the items indicators link to, by the codes the catalogue uses."""
    deliverables = Deliverable.objects.filter(outcome__strategy=strategy).select_related("outcome")
    outputs = InstitutionalOutput.objects.filter(strategy=strategy)
    return {
        "results": {
            **{f"{d.outcome.code}.{d.code}": d for d in deliverables},
            **{f"o.{o.code}": o for o in outputs},
        },
        "markers": {m.code: m for m in Marker.objects.filter(strategy=strategy)},
        "priorities": {p.code: p for p in StrategicPriority.objects.filter(strategy=strategy)},
        "sdg_targets": {t.code: t for t in SdgTarget.objects.all()},
        "gcm_objectives": {g.number: g for g in GcmObjective.objects.all()},
    }


def _translations(spec: IndicatorSpec) -> dict[str, Any]:
    """The French and Spanish wording the data file gives (deliverables.services names)."""
    values: dict[str, Any] = {}
    for language in ("fr", "es"):
        for name in ("name", "definition", "unit"):
            if text := getattr(spec, f"{name}_{language}"):
                values[f"{name}_{language}"] = text
        if levels := getattr(spec, f"ordinal_levels_{language}"):
            values[f"ordinal_levels_{language}"] = list(levels)
    return values


def _indicator_data(
    spec: IndicatorSpec, strategy: Strategy, pairs: list[Pair], by_code: dict[str, dict]
) -> dict[str, Any]:
    result = by_code["results"][spec.result]
    return {
        "deliverable": result if isinstance(result, Deliverable) else None,
        "output": result if isinstance(result, InstitutionalOutput) else None,
        "code": spec.code,
        "name": spec.name,
        "definition": spec.definition,
        "measure": spec.measure,
        "unit": spec.unit or ("%" if spec.measure == Measure.PERCENTAGE else ""),
        "direction": spec.direction,
        "cumulative": spec.cumulative,
        "ordinal_levels": list(spec.ordinal_levels),
        **_translations(spec),
        "baseline_value": baseline(spec, pairs),
        "baseline_year": None if spec.measure == Measure.QUALITATIVE else strategy.start_year - 1,
        "disaggregations": list(spec.disaggregations),
        "method_of_calculation": spec.method_of_calculation,
        "data_source": spec.data_source,
        "collection_method": spec.collection_method,
        "reporting_frequency": "Quarterly",
        "responsible_unit": spec.responsible_unit,
        **{
            name: [by_code[name][key] for key in getattr(spec, name)]
            for name in ("markers", "priorities", "sdg_targets", "gcm_objectives")
        },
    }


def _targets(
    rand: DemoRandom, spec: IndicatorSpec, strategy: Strategy, pairs: list[Pair], anchor: Any
) -> list[dict]:
    """The global targets of each year and, for the anchor office's counts and rates, its own."""
    options = {
        "ambition": rand.part("ambition", spec.code).uniform(0.85, 1.1),
        "years": strategy.years,
    }
    anchor_pairs = [p for p in pairs if p.office == anchor]
    targets = []
    for year in strategy.years:
        value = target(spec, year, pairs, **options)
        if value is not None:
            targets.append({"year": year, "office": None, "value": value})
        if anchor_pairs and spec.measure in (Measure.NUMBER, Measure.PERCENTAGE):
            value = target(spec, year, anchor_pairs, **options)
            targets.append({"year": year, "office": anchor, "value": value})
    return targets
