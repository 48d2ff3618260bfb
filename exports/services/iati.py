"""The membership update as IATI 2.03 activity XML: one `iati-activity` for the strategy, a
`result` per outcome (type 2, outcome) and per institutional output (type 1, output), and the
cross-cutting markers as `policy-marker`s. Checked against the IATI schema the repository
carries (exports/data/iati/, with its licence)."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from core.formatting import number_plain
from exports.services import ExportError
from exports.services.membership import (
    Aggregate,
    IndicatorRow,
    MembershipUpdate,
    ResultBlock,
)

logger = logging.getLogger(__name__)

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI codelists (https://iatistandard.org/en/iati-standard/203/codelists/).
# IndicatorMeasure: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative. A yes/no
# indicator rolls up to a count of offices answering "yes", hence a unit.
MEASURE_CODES = {
    "number": "1",
    "percentage": "2",
    "yes_no": "1",
    "ordinal": "4",
    "qualitative": "5",
}
RESULT_OUTPUT, RESULT_OUTCOME = "1", "2"  # ResultType
ACTIVITY_IMPLEMENTATION, ACTIVITY_FINALISATION = "2", "3"  # ActivityStatus
PLANNED_START, PLANNED_END = "1", "3"  # ActivityDateType
ORG_MULTILATERAL = "40"  # OrganisationType
ROLE_IMPLEMENTING = "4"  # OrganisationRole
SCOPE_GLOBAL = "1"  # ActivityScope
VOCABULARY_DAC, VOCABULARY_REPORTING_ORG = "1", "99"  # PolicyMarkerVocabulary
SIGNIFICANT_OBJECTIVE = "1"  # PolicySignificance
# PolicyMarker codes (OECD DAC): 1 gender equality; 6 climate change mitigation, 7 adaptation.
# Markers without a DAC code (inequalities) use the reporting organisation's own vocabulary.
DAC_MARKERS = {"gender": ["1"], "environment": ["6", "7"]}


def _setting(name: str, default: str) -> str:
    return getattr(settings, name, default)


def iati_schema_path() -> Path:
    """Return the IATI 2.03 activity schema the repository carries (exports/data/iati/)."""
    return Path(__file__).resolve().parent.parent / "data" / "iati" / "iati-activities-schema.xsd"


@cache
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def iati_validate(xml: bytes) -> None:
    """Raise ExportError with the schema's first complaints if the XML is not valid IATI 2.03."""
    path = iati_schema_path()
    if not path.exists():
        # The server's paths stay in the log, not in a message people read.
        logger.error("The IATI schema is missing at %s", path)
        raise ExportError(_("The IATI 2.03 schema is missing from this installation."))
    schema = _schema(str(path))
    document = etree.fromstring(xml)
    if not schema.validate(document):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5])
        raise ExportError(
            _("The IATI XML does not match the 2.03 schema: %(errors)s") % {"errors": errors}
        )


def _narrative(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attrs)
    etree.SubElement(element, "narrative").text = text
    return element


def _progress_text(summary: Aggregate) -> str:
    if summary.progress is None:
        return f"No indicator with data yet (0 of {summary.n_indicators})."
    return (
        f"Mean progress {summary.progress * 100:.0f}% across {summary.n_with_data} of "
        f"{summary.n_indicators} indicators with data."
    )


def membership_update_iati(*, update: MembershipUpdate, validate: bool = True) -> bytes:
    """Return the update as an IATI 2.03 `iati-activities` document (validated by default)."""
    org_ref = _setting("IATI_REPORTING_ORG_REF", "XM-DAC-47066")
    org_name = _setting("IATI_REPORTING_ORG_NAME", "International Organization for Migration")
    generated = update.generated_at.replace(microsecond=0)
    root = etree.Element(
        "iati-activities", version=IATI_VERSION, **{"generated-datetime": generated.isoformat()}
    )
    activity = etree.SubElement(
        root,
        "iati-activity",
        **{
            "last-updated-datetime": (update.data_as_of or generated)
            .replace(microsecond=0)
            .isoformat(),
            XML_LANG: "en",
            "default-currency": "USD",
        },
    )
    etree.SubElement(activity, "iati-identifier").text = f"{org_ref}-{update.strategy_code}"
    _narrative(activity, "reporting-org", org_name, ref=org_ref, type=ORG_MULTILATERAL)
    _narrative(activity, "title", f"{update.strategy_title} {update.start_year}–{update.end_year}")
    _narrative(
        activity,
        "description",
        (
            f"Membership update for {update.range_label} ({update.span_label.lower()} figures, "
            f"approved data as of {(update.data_as_of or generated).date().isoformat()}). "
            + _progress_text(update.summary)
        ),
        type="1",
    )
    _narrative(
        activity, "participating-org", org_name, ref=org_ref, type=ORG_MULTILATERAL,
        role=ROLE_IMPLEMENTING,
    )  # fmt: skip
    finished = timezone.localdate().year > update.end_year
    etree.SubElement(
        activity,
        "activity-status",
        code=ACTIVITY_FINALISATION if finished else ACTIVITY_IMPLEMENTATION,
    )
    etree.SubElement(
        activity, "activity-date", type=PLANNED_START, **{"iso-date": f"{update.start_year}-01-01"}
    )
    etree.SubElement(
        activity, "activity-date", type=PLANNED_END, **{"iso-date": f"{update.end_year}-12-31"}
    )
    etree.SubElement(activity, "activity-scope", code=SCOPE_GLOBAL)
    _policy_markers(activity, update)
    for outcome in update.outcomes:
        rows = outcome.indicators
        if rows:  # a result needs at least one indicator
            _result(activity, RESULT_OUTCOME, f"({outcome.code}) {outcome.title}", rows)
    for block in update.outputs:
        if block.indicators:
            _result(activity, RESULT_OUTPUT, _output_title(block), block.indicators)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if validate:
        iati_validate(xml)
    return xml


def _output_title(block: ResultBlock) -> str:
    return f"({block.code.removeprefix('O.')}) {block.title}"


def _policy_markers(activity: etree._Element, update: MembershipUpdate) -> None:
    vocabulary_uri = _setting(
        "IATI_MARKER_VOCABULARY_URI",
        "https://publications.iom.int/books/"
        "iom-institutional-strategy-migration-and-sustainable-development",
    )
    for marker in update.markers:
        text = f"{marker.name}: {_progress_text(marker.summary)}"
        codes = DAC_MARKERS.get(marker.code)
        if codes:
            for code in codes:
                _narrative(
                    activity, "policy-marker", text, vocabulary=VOCABULARY_DAC, code=code,
                    significance=SIGNIFICANT_OBJECTIVE,
                )  # fmt: skip
        else:
            _narrative(
                activity, "policy-marker", text, vocabulary=VOCABULARY_REPORTING_ORG,
                **{"vocabulary-uri": vocabulary_uri}, code=marker.code,
            )  # fmt: skip


def _result(activity: etree._Element, kind: str, title: str, rows: list[IndicatorRow]) -> None:
    result = etree.SubElement(activity, "result", type=kind)
    _narrative(result, "title", title)
    for row in rows:
        _indicator(result, row)


def _indicator(result: etree._Element, row: IndicatorRow) -> None:
    qualitative = row.measure == "qualitative"
    indicator = etree.SubElement(
        result,
        "indicator",
        measure=MEASURE_CODES[row.measure],
        ascending="1" if row.ascending else "0",
    )
    _narrative(indicator, "title", f"{row.code} {row.name}")
    if row.definition:
        _narrative(indicator, "description", row.definition)
    if row.baseline is not None and row.baseline_year and not qualitative:
        etree.SubElement(
            indicator,
            "baseline",
            year=str(row.baseline_year),
            **{"iso-date": f"{row.baseline_year}-12-31"},
            value=number_plain(row.baseline),
        )
    for year in row.years:
        if year.target is None and year.actual is None:
            continue
        period = etree.SubElement(indicator, "period")
        etree.SubElement(period, "period-start", **{"iso-date": year.start.isoformat()})
        etree.SubElement(period, "period-end", **{"iso-date": year.end.isoformat()})
        if year.target is not None and not qualitative:
            etree.SubElement(period, "target", value=number_plain(year.target))
        if year.actual is not None:
            if qualitative:
                actual = etree.SubElement(period, "actual")
                _narrative(actual, "comment", f"{number_plain(year.actual)} approved narratives.")
            else:
                # The total, then one `actual` per disaggregated part, named by its dimension.
                etree.SubElement(period, "actual", value=number_plain(year.actual))
                for dimension, category, value in year.dimensions:
                    part = etree.SubElement(period, "actual", value=number_plain(value))
                    etree.SubElement(part, "dimension", name=dimension, value=category)
