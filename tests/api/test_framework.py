"""Framework resources: everyone with a role reads, HQ results managers and administrators
write; offices and assignments are read within scope."""

import pytest

from deliverables.models import Indicator
from offices.models import Office
from reporting.models import ReportingPeriod
from tests.api.conftest import ids

READERS = ["field", "reviewer", "reviewer_hq", "steering", "hq", "admin"]
NON_WRITERS = ["field", "reviewer", "reviewer_hq", "steering"]
WRITERS = ["hq", "admin"]


def _payloads(strategy, nairobi, number_indicator, hq_office):
    outcome = strategy.outcome_set.get(code="a")
    deliverable = outcome.deliverables.get(code="i")
    return {
        "strategies": (
            {"code": "next", "title": "Next", "start_year": 2024, "end_year": 2027},
            {"title": "Renamed"},
        ),
        "outcomes": ({"strategy": strategy.pk, "code": "z", "title": "Z"}, {"title": "Zz"}),
        "deliverables": ({"outcome": outcome.pk, "code": "ix", "title": "X"}, {"title": "Xx"}),
        "outputs": ({"strategy": strategy.pk, "code": "z", "title": "Z"}, {"title": "Zz"}),
        "markers": ({"strategy": strategy.pk, "code": "z", "name": "Z"}, {"name": "Zz"}),
        "sdg-targets": ({"code": "99.9", "goal": 17, "title": "T"}, {"title": "Tt"}),
        "indicators": (
            {
                "deliverable": deliverable.pk,
                "code": "NEW.1",
                "name": "New",
                "measure": "number",
                "targets": [{"year": 2020, "value": "5"}, {"year": 2021, "value": "7.5"}],
            },
            {"name": "Renamed"},
        ),
        "regions": ({"code": "new", "city": "Lima", "name": "Andes"}, {"name": "Andes 2"}),
        "offices": (
            {
                "code": "co-xx",
                "name": "X",
                "kind": "country",
                "iso_code": "XX",
                "region": nairobi.pk,
            },
            {"name": "Y"},
        ),
        "assignments": (
            {"indicator": number_indicator.pk, "office": hq_office.pk},
            {"is_active": False},
        ),
    }


RESOURCES = [
    "strategies",
    "outcomes",
    "deliverables",
    "outputs",
    "markers",
    "sdg-targets",
    "indicators",
    "regions",
    "offices",
    "assignments",
]


@pytest.mark.parametrize("resource", RESOURCES)
def test_framework_resource_permissions_by_role(
    resource, client_for, strategy, nairobi, number_indicator, hq_office
):
    create, change = _payloads(strategy, nairobi, number_indicator, hq_office)[resource]
    url = f"/api/v1/{resource}/"
    # anonymous: 401; a user without a role: 403
    assert client_for(None).get(url).status_code == 401
    assert client_for("norole").get(url).status_code == 403
    # every role reads
    for name in READERS:
        assert client_for(name).get(url).status_code == 200, name
    # only HQ results managers and administrators write
    for name in NON_WRITERS:
        assert client_for(name).post(url, create, format="json").status_code == 403, name
    for name in WRITERS:
        created = client_for(name).post(url, create, format="json")
        assert created.status_code == 201, (name, created.content)
        detail = f"{url}{created.json()['id']}/"
        for other in NON_WRITERS:
            assert client_for(other).patch(detail, change, format="json").status_code == 403
            assert client_for(other).delete(detail).status_code == 403
        assert client_for(name).get(detail).status_code == 200
        changed = client_for(name).patch(detail, change, format="json")
        assert changed.status_code == 200, changed.content
        for key, value in change.items():
            assert changed.json()[key] == value
        assert client_for(name).delete(detail).status_code == 204
        assert client_for(name).get(detail).status_code == 404


def test_indicator_fields_and_nested_targets(client_for, number_indicator, kenya):
    # given an indicator with yearly global targets
    response = client_for("field").get(f"/api/v1/indicators/{number_indicator.pk}/")
    body = response.json()
    # then it carries the promised fields, related rows by id, decimals as strings
    for name in ["id", "code", "name", "measure", "cumulative", "direction", "baseline"]:
        assert name in body
    assert body["measure"] == "number"
    assert body["baseline"] == "0.0000"
    assert body["targets"][0] == {"year": 2019, "office": None, "value": "1000.0000"}
    # when HQ replaces the targets with an office's own
    replaced = client_for("hq").patch(
        f"/api/v1/indicators/{number_indicator.pk}/",
        {"targets": [{"year": 2023, "office": kenya.pk, "value": "12"}]},
        format="json",
    )
    # then the indicator has exactly those
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["targets"] == [{"year": 2023, "office": kenya.pk, "value": "12.0000"}]
    assert number_indicator.targets.count() == 1


def test_indicator_create_rules_are_field_errors(client_for, strategy, number_indicator):
    deliverable = number_indicator.deliverable
    output = strategy.institutionaloutput_set.first()
    hq = client_for("hq")
    # both a deliverable and an output
    both = hq.post(
        "/api/v1/indicators/",
        {
            "deliverable": deliverable.pk,
            "output": output.pk,
            "code": "X",
            "name": "X",
            "measure": "number",
        },
        format="json",
    )
    assert both.status_code == 400
    assert "deliverable" in both.json()["errors"]
    # a code the strategy already has
    clash = hq.post(
        "/api/v1/indicators/",
        {"deliverable": deliverable.pk, "code": "A.i.1", "name": "X", "measure": "number"},
        format="json",
    )
    assert clash.status_code == 400
    assert "code" in clash.json()["errors"]
    # an unknown measure, a duplicated target year
    bad = hq.post(
        "/api/v1/indicators/",
        {
            "deliverable": deliverable.pk,
            "code": "Q",
            "name": "X",
            "measure": "guess",
            "targets": [{"year": 2020, "value": "1"}, {"year": 2020, "value": "2"}],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "measure" in bad.json()["errors"]


def test_indicator_delete_with_updates_is_409(client_for, world, number_indicator):
    response = client_for("hq").delete(f"/api/v1/indicators/{number_indicator.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert Indicator.objects.filter(pk=number_indicator.pk).exists()


def test_office_rules_are_field_errors(client_for, nairobi):
    response = client_for("hq").post(
        "/api/v1/offices/",
        {"code": "co-zz", "name": "Z", "kind": "country", "iso_code": "zz"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"region", "iso_code"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("field", {"co-ke"}),
        ("reviewer", {"co-ke", "co-ug", "ro-nairobi"}),
        ("reviewer_bkk", {"co-th", "ro-bangkok"}),
        ("steering", None),
        ("hq", None),
        ("admin", None),
    ],
)
def test_offices_and_assignments_are_read_within_scope(
    client_for, number_indicator, name, expected
):
    client = client_for(name)
    codes = {row["code"] for row in client.get("/api/v1/offices/?page_size=500").json()["results"]}
    everything = set(Office.objects.values_list("code", flat=True))
    assert codes == (everything if expected is None else expected)
    offices = {row["office"] for row in client.get("/api/v1/assignments/").json()["results"]}
    visible = set(Office.objects.filter(code__in=codes).values_list("pk", flat=True))
    assert offices <= visible
    assert offices


def test_office_out_of_scope_is_404(client_for, thailand, kenya):
    assert client_for("field").get(f"/api/v1/offices/{thailand.pk}/").status_code == 404
    assert client_for("field").get(f"/api/v1/offices/{kenya.pk}/").status_code == 200


def test_reviewer_hq_sees_headquarters_offices(client_for, hq_office, kenya):
    client = client_for("reviewer_hq")
    assert client.get(f"/api/v1/offices/{hq_office.pk}/").status_code == 200
    assert client.get(f"/api/v1/offices/{kenya.pk}/").status_code == 404


def test_periods_are_read_only_and_state_changes_through_the_service(client_for, period, users):
    url = f"/api/v1/periods/{period.pk}/"
    for name in READERS:
        assert client_for(name).get(url).status_code == 200
    assert client_for("hq").patch(url, {"state": "locked"}, format="json").status_code == 405
    # field staff cannot lock a period
    assert client_for("field").post(f"{url}state/", {"state": "locked"}).status_code == 403
    # HQ locks it, then reopening needs a reason
    hq = client_for("hq")
    locked = hq.post(f"{url}state/", {"state": "locked"}, format="json")
    assert locked.status_code == 200
    assert locked.json()["state"] == "locked"
    no_reason = hq.post(f"{url}state/", {"state": "open"}, format="json")
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["errors"]
    reopened = hq.post(f"{url}state/", {"state": "open", "reason": "Late data"}, format="json")
    assert reopened.json()["state"] == "open"
    assert ReportingPeriod.objects.get(pk=period.pk).state == "open"


def test_framework_lists_filter(client_for, strategy, number_indicator, percentage_indicator):
    client = client_for("field")
    outcome = strategy.outcome_set.get(code="a")
    assert ids(client.get(f"/api/v1/indicators/?outcome={outcome.pk}")) == {number_indicator.pk}
    assert ids(client.get("/api/v1/indicators/?measure=percentage")) == {percentage_indicator.pk}
    assert len(ids(client.get(f"/api/v1/deliverables/?outcome={outcome.pk}"))) == 2
    assert client.get("/api/v1/indicators/?measure=guess").status_code == 400
    assert client.get("/api/v1/indicators/?deliverable=abc").status_code == 400


def test_path_ids_that_are_not_numbers_are_404(client_for, strategy):
    assert client_for("hq").get("/api/v1/indicators/abc/").status_code == 404
    assert client_for("hq").get("/api/v1/updates/99999999999999999999999/").status_code == 404
