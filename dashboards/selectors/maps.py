"""The maps' data: every country office in the viewer's scope, with the ISO 3166 numeric code
world-atlas names its country by, its region, and its band: on the overview how completely it
reported the headline's period, on an indicator's page its own figure's band. Embedded in the
page (json_script) beside a table of the same figures; the TopoJSON is a vendored static file
(no tiles from outside the deployment)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pycountry
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import number_display, percent_display
from deliverables.models import Assignment
from offices.models import Office, Region
from offices.permissions import offices_visible
from reporting.models import IndicatorUpdate, ReportingPeriod
from rollups.bands import BAND_ORDER, Band, band_label
from rollups.selectors import Figure

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TOPOLOGY = "vendor/world-atlas/countries-110m.json"

# Colours of the progress bands, as the badges (static/css/app.css), and of completeness.
BAND_COLOURS = {
    Band.ACHIEVED: "#1b5e20",
    Band.ON_TRACK: "#2e7d32",
    Band.AT_RISK: "#f9a825",
    Band.OFF_TRACK: "#c62828",
    Band.NO_TARGET: "#bdbdbd",
    Band.IN_PROGRESS: "#90caf9",
    Band.NO_DATA: "#757575",
}
NOT_ASSIGNED = "not_assigned"
COMPLETENESS = (
    ("complete", gettext_lazy("All expected updates approved"), "#1b5e20"),
    ("most", gettext_lazy("Half or more approved"), "#7cb342"),
    ("some", gettext_lazy("Under half approved"), "#f9a825"),
    ("none", gettext_lazy("None approved yet"), "#c62828"),
    ("not_expected", gettext_lazy("Nothing expected"), "#bdbdbd"),
)


def _numeric(iso_code: str) -> str | None:
    """Return the ISO 3166-1 numeric code world-atlas names a country by ("404" for KE)."""
    country = pycountry.countries.get(alpha_2=iso_code) if iso_code else None
    return country.numeric if country else None


def _country(office: Office, **values: Any) -> dict[str, Any]:
    return {
        "office": office.code,
        "name": office.name,
        "iso": office.iso_code,
        "id": _numeric(office.iso_code),
        "region": office.region.city if office.region else "",
        "regionCode": office.region.code if office.region else "",
        **values,
    }


def _country_offices(user: AbstractBaseUser, region: Region | None) -> QuerySet[Office]:
    offices = offices_visible(user).filter(kind=Office.Kind.COUNTRY, is_active=True)
    if region is not None:
        offices = offices.filter(region=region)
    return offices.select_related("region").order_by("region__city", "name")


def map_completeness(
    *, user: AbstractBaseUser, period: ReportingPeriod, region: Region | None = None
) -> dict[str, Any]:
    """Return the overview map's data: each country office in scope coloured by the share of
    its expected updates approved for `period` (one query)."""

    def count(qs: Any) -> Coalesce:
        return Coalesce(
            Subquery(qs.values("office").annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        )

    expected = Assignment.objects.filter(office=OuterRef("pk"), is_active=True).order_by()
    approved = IndicatorUpdate.objects.filter(
        Q(status=IndicatorUpdate.Status.APPROVED), office=OuterRef("pk"), period=period
    ).order_by()
    offices = _country_offices(user, region).annotate(
        expected_n=count(expected), approved_n=count(approved)
    )
    labels = {key: str(label) for key, label, _colour in COMPLETENESS}
    countries = []
    for office in offices:
        share = office.approved_n / office.expected_n if office.expected_n else None
        band = (
            "not_expected"
            if share is None
            else "complete"
            if share >= 1
            else "most"
            if share >= 0.5
            else "some"
            if share > 0
            else "none"
        )
        countries.append(
            _country(
                office,
                band=band,
                label=labels[band],
                value=_("%(a)s of %(e)s approved")
                % {"a": number_display(office.approved_n), "e": number_display(office.expected_n)},
                share=percent_display(None if share is None else share * 100, kind="progress"),
            )
        )
    return {
        "topology": static(TOPOLOGY),
        "title": _("Reporting completeness by country office, %(p)s") % {"p": period.code},
        "countries": countries,
        "legend": [{"band": k, "label": str(label), "colour": c} for k, label, c in COMPLETENESS],
        "noOffice": _("No country office"),
    }


def map_indicator(
    *,
    user: AbstractBaseUser,
    figures: Mapping[int, Figure | None],
    assigned: Iterable[int],
    values: Mapping[int, str],
    title: str,
    region: Region | None = None,
) -> dict[str, Any]:
    """Return an indicator map's data: each country office in scope coloured by its own
    figure's band ({office pk: figure}), "not assigned" where it does not report it (one
    query)."""
    assigned = set(assigned)
    countries = []
    for office in _country_offices(user, region):
        figure = figures.get(office.pk)
        if office.pk not in assigned:
            band, label = NOT_ASSIGNED, _("Not assigned")
        else:
            band = figure.status if figure else Band.NO_DATA
            label = band_label(band)
        countries.append(_country(office, band=band, label=label, value=values.get(office.pk, "—")))
    legend = [{"band": b, "label": band_label(b), "colour": BAND_COLOURS[b]} for b in BAND_ORDER]
    legend.append({"band": NOT_ASSIGNED, "label": _("Not assigned"), "colour": "#eeeeee"})
    return {
        "topology": static(TOPOLOGY),
        "title": title,
        "countries": countries,
        "legend": legend,
        "noOffice": _("No country office"),
    }
