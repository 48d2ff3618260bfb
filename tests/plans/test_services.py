"""The allocation services: one code path creates, changes and deletes human (FTE) and
financial (USD) allocations, checking rights and rules the same way for both kinds."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from plans.models import FinancialResource, HumanResource, ResourceAllocation
from plans.services import allocation_create, allocation_delete, allocation_update

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Kind:
    model: type[ResourceAllocation]
    own: dict[str, Any]  # the kind's own fields of a valid allocation
    figure: str  # one of its figures, which may not be negative
    foreign: str  # a field only the other kind has


KINDS = [
    pytest.param(
        Kind(HumanResource, {"fte_planned": Decimal("1.5")}, "fte_actual", "source"),
        id="human",
    ),
    pytest.param(
        Kind(
            FinancialResource,
            {"source": "earmarked", "amount_planned": Decimal("100")},
            "amount_spent",
            "fte_planned",
        ),
        id="financial",
    ),
]


@pytest.fixture(params=KINDS)
def kind(request) -> Kind:
    return request.param


@pytest.fixture
def valid(kind, deliverable_ai, kenya):
    """Return the data of a valid allocation of the kind (Kenya, A.i, 2021), with changes."""

    def data(**changes) -> dict[str, Any]:
        return {"deliverable": deliverable_ai, "year": 2021, "office": kenya, **kind.own, **changes}

    return data


@pytest.fixture
def saved(kind, valid, users):
    return allocation_create(model=kind.model, user=users["hq"], data=valid())


# --- Create ----------------------------------------------------------------------------------


def test_allocation_create_saves_in_scope_with_the_results_strategy(kind, valid, users, strategy):
    allocation = allocation_create(model=kind.model, user=users["field"], data=valid())

    allocation.refresh_from_db()
    assert isinstance(allocation, kind.model)
    assert allocation.strategy == strategy
    assert allocation.result_code == "A.i"
    assert getattr(allocation, kind.figure) == Decimal("0")  # the model's default
    assert allocation.notes == ""


@pytest.mark.parametrize("role", ["field_th", "reviewer_bkk", "steering", "norole"])
def test_allocation_create_refused_outside_scope(kind, valid, users, role):
    with pytest.raises(PermissionDenied):
        allocation_create(model=kind.model, user=users[role], data=valid())

    assert not kind.model.objects.exists()


# Each case: (kind, an institutional output) -> (changes to valid data, the field blamed).
RULE_BREAKS = {
    "year-outside-strategy": lambda kind, output: ({"year": 2030}, "year"),
    "no-result": lambda kind, output: ({"deliverable": None}, "deliverable"),
    "two-results": lambda kind, output: ({"output": output}, "output"),
    "negative-figure": lambda kind, output: ({kind.figure: Decimal("-1")}, kind.figure),
}


@pytest.mark.parametrize("case", RULE_BREAKS.values(), ids=RULE_BREAKS.keys())
def test_allocation_create_reports_rule_breaks_on_the_field(kind, valid, users, output_a, case):
    changes, field = case(kind, output_a)

    with pytest.raises(ValidationError) as caught:
        allocation_create(model=kind.model, user=users["field"], data=valid(**changes))

    assert list(caught.value.message_dict) == [field]
    assert not kind.model.objects.exists()


def test_allocation_create_refuses_the_other_kinds_fields(kind, valid, users):
    with pytest.raises(TypeError, match=kind.foreign):
        allocation_create(model=kind.model, user=users["field"], data=valid(**{kind.foreign: "x"}))

    assert not kind.model.objects.exists()


def test_allocation_create_refuses_a_duplicate(kind, valid, users, saved):
    with pytest.raises(ValidationError) as caught:
        allocation_create(model=kind.model, user=users["field"], data=valid())

    assert "already" in caught.value.message_dict[NON_FIELD_ERRORS][0]
    assert kind.model.objects.count() == 1


@pytest.mark.parametrize(
    ("model", "role", "outcome"),
    [
        (FinancialResource, "hq", "saved"),
        (FinancialResource, "field", PermissionDenied),
        (HumanResource, "hq", ValidationError),  # staff time always belongs to an office
        (HumanResource, "field", PermissionDenied),
    ],
)
def test_allocation_create_without_office(deliverable_ai, users, model, role, outcome):
    own = {"source": "unearmarked"} if model is FinancialResource else {}
    data = {"deliverable": deliverable_ai, "year": 2021, "office": None, **own}

    if outcome == "saved":
        assert allocation_create(model=model, user=users[role], data=data).office is None
    else:
        with pytest.raises(outcome):
            allocation_create(model=model, user=users[role], data=data)
        assert not model.objects.exists()


# --- Update ----------------------------------------------------------------------------------


def test_allocation_update_changes_fields_and_switches_result(kind, users, saved, output_a):
    allocation_update(
        allocation=saved,
        user=users["field"],
        data={"output": output_a, kind.figure: Decimal("2.5"), "notes": "Revised"},
    )

    saved.refresh_from_db()
    assert saved.deliverable is None
    assert saved.result_code == "O.a"
    assert getattr(saved, kind.figure) == Decimal("2.5")
    assert saved.notes == "Revised"


@pytest.mark.parametrize(
    ("role", "office"),
    [("field_th", None), ("steering", None), ("field", "thailand")],
    ids=["other-office", "reader", "moving-out-of-scope"],
)
def test_allocation_update_refused_outside_scope(kind, users, saved, thailand, role, office):
    data = {"notes": "Changed"} if office is None else {"office": thailand}

    with pytest.raises(PermissionDenied):
        allocation_update(allocation=saved, user=users[role], data=data)

    stored = kind.model.objects.get(pk=saved.pk)
    assert stored.notes == ""
    assert stored.office.name == "Kenya"


def test_allocation_update_validates_like_create(kind, users, saved):
    with pytest.raises(ValidationError) as caught:
        allocation_update(
            allocation=saved, user=users["field"], data={"year": 2030, kind.figure: -1}
        )

    assert set(caught.value.message_dict) == {"year", kind.figure}
    assert kind.model.objects.get(pk=saved.pk).year == 2021


def test_allocation_update_refuses_a_duplicate(kind, valid, users, saved):
    other = allocation_create(model=kind.model, user=users["field"], data=valid(year=2022))

    with pytest.raises(ValidationError) as caught:
        allocation_update(allocation=other, user=users["field"], data={"year": 2021})

    assert "already" in caught.value.message_dict[NON_FIELD_ERRORS][0]
    assert kind.model.objects.get(pk=other.pk).year == 2022


# --- Delete ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["field_th", "reviewer_bkk", "steering"])
def test_allocation_delete_refused_outside_scope(kind, users, saved, role):
    with pytest.raises(PermissionDenied):
        allocation_delete(allocation=saved, user=users[role])

    assert kind.model.objects.filter(pk=saved.pk).exists()


@pytest.mark.parametrize("role", ["field", "reviewer", "hq"])
def test_allocation_delete_in_scope(kind, users, saved, role):
    allocation_delete(allocation=saved, user=users[role])

    assert not kind.model.objects.exists()
