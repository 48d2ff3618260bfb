"""deliverables.demo: the demo's indicators, from their data file, fit the framework."""

import pytest

from deliverables.demo.catalogue import indicators_catalogue
from deliverables.models import Indicator
from offices.demo import offices_catalogue
from outcomes.models import GcmObjective, Marker, SdgTarget, StrategicPriority


@pytest.mark.django_db
def test_indicators_catalogue_fits_the_framework(strategy):
    # given the data file
    catalogue = indicators_catalogue()
    codes = [spec.code for spec in catalogue.indicators]
    # then codes are unique, the anchor office's indicators among them, every measure there
    assert len(codes) == len(set(codes)) == 39
    assert catalogue.anchor_indicators <= set(codes)
    assert {spec.measure for spec in catalogue.indicators} == set(Indicator.Measure.values)
    # and what they measure and link to exists in the strategy's framework
    results = {
        f"{o.code}.{d.code}" for o in strategy.outcome_set.all() for d in o.deliverables.all()
    } | {f"o.{o.code}" for o in strategy.institutionaloutput_set.all()}
    links = {
        "markers": set(Marker.objects.values_list("code", flat=True)),
        "priorities": set(StrategicPriority.objects.values_list("code", flat=True)),
        "sdg_targets": set(SdgTarget.objects.values_list("code", flat=True)),
        "gcm_objectives": set(GcmObjective.objects.values_list("number", flat=True)),
    }
    departments = {d.code for d in offices_catalogue().departments}
    for spec in catalogue.indicators:
        assert spec.result in results, spec.code
        for name, known in links.items():
            assert set(getattr(spec, name)) <= known, (spec.code, name)
        assert set(spec.departments) <= departments, spec.code
        if spec.measure == "ordinal":
            assert len(spec.ordinal_levels) >= 3
        if spec.measure == "qualitative":
            assert spec.texts
