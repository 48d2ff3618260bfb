"""The IATI 2.03 membership update: valid against the schema, carrying the figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from exports.services import ExportError
from exports.services.iati import iati_schema_path, membership_update_iati
from rollups.models import Rollup
from tests.exports.helpers import build

Span = Rollup.Span
Scope = Rollup.Scope


def test_iati_xml_is_valid_and_carries_the_figures(world):
    # when the IATI XML is made
    xml = membership_update_iati(update=build(world), validate=False)
    # then it validates against the IATI 2.03 schema
    schema = etree.XMLSchema(etree.parse(str(iati_schema_path())))
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    activity = document.find("iati-activity")
    # and outcomes are results of type 2, institutional outputs of type 1
    results = {r.findtext("title/narrative"): r for r in activity.findall("result")}
    outcome_a = results["(a) Human mobility is increasingly a choice"]
    assert outcome_a.get("type") == "2"
    output_a = next(r for t, r in results.items() if t.startswith("(a) Improved policy capacity"))
    assert output_a.get("type") == "1"
    # and each indicator has its measure code, direction, baseline and yearly target/actual
    number = outcome_a.find("indicator")
    assert (number.get("measure"), number.get("ascending")) == ("1", "1")
    assert number.find("baseline").get("value") == "0"
    assert number.find("baseline").get("year") == "2018"
    periods = {p.find("period-start").get("iso-date")[:4]: p for p in number.findall("period")}
    assert sorted(periods) == ["2019", "2020", "2021", "2022", "2023"]
    assert periods["2021"].find("target").get("value") == "1000"
    assert periods["2021"].find("actual").get("value") == "900"
    assert periods["2021"].find("period-end").get("iso-date") == "2021-12-31"
    # and the approved sex split of 2023 is summed into dimensions (the submitted one is not)
    parts = {
        a.find("dimension").get("value"): a.get("value")
        for a in periods["2023"].findall("actual")
        if a.find("dimension") is not None
    }
    assert parts == {"female": "80", "male": "70"}
    percentage = output_a.find("indicator")
    assert percentage.get("measure") == "2"
    assert percentage.find("baseline").get("value") == "20"
    yes_no = results["(c) Migration is increasingly well governed"].find("indicator")
    assert (yes_no.get("measure"), yes_no.get("ascending")) == ("1", "0")
    # and the cross-cutting markers are policy markers
    markers = {(m.get("vocabulary"), m.get("code")) for m in activity.findall("policy-marker")}
    assert markers == {("1", "1"), ("1", "6"), ("1", "7"), ("99", "inequalities")}
    inequality = next(m for m in activity.findall("policy-marker") if m.get("vocabulary") == "99")
    assert inequality.get("vocabulary-uri")


def test_iati_validation_rejects_an_invalid_document(world):
    from exports.services.iati import iati_validate

    with pytest.raises(ExportError, match=r"2\.03 schema"):
        iati_validate(b'<iati-activities version="2.03"><iati-activity/></iati-activities>')


def test_iati_schema_is_the_repository_copy_with_its_licence():
    # given the project's own folder
    project = Path(settings.BASE_DIR).resolve()
    # when the export looks for the schema
    path = iati_schema_path().resolve()
    # then it is inside the repository, with the files it includes and its licence beside it
    assert path.is_relative_to(project)
    assert {p.name for p in path.parent.iterdir()} >= {
        "iati-activities-schema.xsd",
        "iati-common.xsd",
        "xml.xsd",
        "LICENSE.md",
    }


def test_iati_validation_without_the_schema_names_no_server_path(world, monkeypatch, tmp_path):
    from exports.services import iati

    # given an installation where the schema file is missing
    monkeypatch.setattr(iati, "iati_schema_path", lambda: tmp_path / "missing.xsd")
    # when the export validates its XML
    with pytest.raises(ExportError) as raised:
        iati.iati_validate(b"<iati-activities/>")
    # then the message says so without the server's folders
    assert "schema is missing" in raised.value.message
    assert str(tmp_path) not in str(raised.value)
