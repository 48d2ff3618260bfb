"""offices.demo: the demo's countries, departments and names, from their data file."""

import pytest

from offices.demo import offices_catalogue
from offices.models import Region


@pytest.mark.django_db
def test_offices_catalogue_fits_the_strategy_regions(strategy):
    # given the data file and the regions the strategy's file creates
    catalogue = offices_catalogue()
    regions = set(Region.objects.values_list("code", flat=True))
    # then every country sits in one of them, once, with a size the demo knows
    isos = [c.iso for c in catalogue.countries]
    assert len(isos) == len(set(isos))
    assert {c.region for c in catalogue.countries} == regions
    assert {c.size for c in catalogue.countries} <= set(catalogue.size_factor)
    assert catalogue.anchor_country in isos
    # and there are names for each region, for HQ, and for each demo login
    assert set(catalogue.names) == regions | {"hq"}
    assert set(catalogue.logins) == {"admin", "hq", "steering", "reviewer", "field"}
    assert all(d.focal_point.startswith("field.") for d in catalogue.departments)
