"""deliverables.services: who may write, the framework's rules, and the figures signal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deliverables import services
from deliverables.models import Assignment, Indicator, IndicatorTarget
from outcomes.models import Marker, StrategicPriority
from tests.factories import (
    AssignmentFactory,
    DeliverableFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
)

MAY = ["hq", "admin"]
MAY_NOT = ["field", "reviewer", "steering"]


def _deliverable(strategy):
    return strategy.outcome_set.get(code="a").deliverables.get(code="ii")


def _data(strategy, **extra):
    return {
        "deliverable": _deliverable(strategy),
        "code": "A.ii.9",
        "name": "Pathways used",
        "measure": "number",
        **extra,
    }


def _state() -> tuple:
    return (
        list(Indicator.objects.order_by("pk").values_list("pk", "name")),
        list(IndicatorTarget.objects.order_by("pk").values_list("pk", "year", "value")),
        list(Assignment.objects.order_by("pk").values_list("pk", "office", "is_active")),
    )


def _writes(strategy, number_indicator, kenya, hq_office):
    """Each service, called once, by name."""
    assignment = Assignment.objects.get(indicator=number_indicator, office=kenya)
    spare = IndicatorFactory(deliverable=_deliverable(strategy))
    return {
        "indicator_create": lambda user: services.indicator_create(user=user, data=_data(strategy)),
        "indicator_update": lambda user: services.indicator_update(
            user=user, indicator=number_indicator, data={"name": "Renamed"}
        ),
        "indicator_targets_set": lambda user: services.indicator_targets_set(
            user=user, indicator=number_indicator, targets=[{"year": 2020, "value": Decimal(5)}]
        ),
        "indicator_delete": lambda user: services.indicator_delete(user=user, indicator=spare),
        "assignment_create": lambda user: services.assignment_create(
            user=user, indicator=number_indicator, office=hq_office
        ),
        "assignments_create": lambda user: services.assignments_create(
            user=user, pairs=[(number_indicator, hq_office)]
        ),
        "assignment_update": lambda user: services.assignment_update(
            user=user, assignment=assignment, data={"is_active": False}
        ),
        "assignment_delete": lambda user: services.assignment_delete(
            user=user, assignment=assignment
        ),
    }


SERVICES = [
    "indicator_create",
    "indicator_update",
    "indicator_targets_set",
    "indicator_delete",
    "assignment_create",
    "assignments_create",
    "assignment_update",
    "assignment_delete",
]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("name", MAY)
def test_services_let_hq_and_administrators_write(
    service, name, users, strategy, number_indicator, kenya, hq_office
):
    # given the framework as it is
    write = _writes(strategy, number_indicator, kenya, hq_office)[service]
    before = _state()
    # when an HQ results manager or an administrator writes
    write(users[name])
    # then the write went through (each write's effect is tested below)
    assert _state() != before


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("name", MAY_NOT)
def test_services_refuse_other_roles(
    service, name, users, strategy, number_indicator, kenya, hq_office, figures_signals
):
    # given the framework as it is
    write = _writes(strategy, number_indicator, kenya, hq_office)[service]
    before = _state()
    # when field staff, a reviewer or the steering committee write
    with pytest.raises(PermissionDenied):
        write(users[name])
    # then nothing changed and nobody was told of a change
    assert _state() == before
    assert figures_signals == []


# --- Rules -----------------------------------------------------------------------------------


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_indicator_create_takes_the_strategy_of_its_result(users, strategy):
    # when HQ creates an indicator of a deliverable, and one of an institutional output
    by_deliverable = services.indicator_create(user=users["hq"], data=_data(strategy))
    output = strategy.institutionaloutput_set.get(code="b")
    by_output = services.indicator_create(
        user=users["hq"], data={"output": output, "code": "O.b.9", "name": "X", "measure": "number"}
    )
    # then each belongs to the strategy of what it measures
    assert by_deliverable.strategy == strategy
    assert by_output.strategy == strategy
    assert by_output.deliverable is None


@pytest.mark.parametrize("both", [True, False])
def test_indicator_create_needs_exactly_one_result(users, strategy, both):
    # given a deliverable and an output, or neither
    output = strategy.institutionaloutput_set.get(code="a")
    data = _data(strategy, output=output) if both else _data(strategy, deliverable=None)
    # when HQ creates an indicator with them
    with pytest.raises(ValidationError) as excinfo:
        services.indicator_create(user=users["hq"], data=data)
    # then it is refused on the deliverable field
    assert "deliverable" in _errors(excinfo)
    assert not Indicator.objects.filter(code="A.ii.9").exists()


def test_indicator_code_is_unique_within_its_strategy(users, strategy, number_indicator):
    # when HQ gives a new indicator the code of one of the strategy's indicators
    with pytest.raises(ValidationError) as excinfo:
        services.indicator_create(user=users["hq"], data=_data(strategy, code="A.i.1"))
    # then it is refused on the code
    assert "code" in _errors(excinfo)
    # but another strategy may use the same code
    other = DeliverableFactory()
    created = services.indicator_create(
        user=users["hq"], data=_data(strategy, deliverable=other, code="A.i.1")
    )
    assert created.strategy == other.outcome.strategy
    # and an indicator keeps its own code when it changes
    services.indicator_update(
        user=users["hq"], indicator=number_indicator, data={"code": "A.i.1", "name": "Same"}
    )


@pytest.mark.parametrize(
    ("name", "model"), [("markers", Marker), ("priorities", StrategicPriority)]
)
def test_indicator_links_are_of_its_own_strategy(users, strategy, name, model):
    # given an item of another strategy
    other = DeliverableFactory().outcome.strategy
    foreign = model.objects.create(strategy=other, code="x", name="X")
    # when HQ links an indicator of this strategy to it
    with pytest.raises(ValidationError) as excinfo:
        services.indicator_create(user=users["hq"], data=_data(strategy, **{name: [foreign]}))
    # then it is refused on that field; the strategy's own items are fine
    assert name in _errors(excinfo)
    own = model.objects.filter(strategy=strategy)[:2]
    created = services.indicator_create(user=users["hq"], data=_data(strategy, **{name: own}))
    assert set(getattr(created, name).all()) == set(own)


def test_indicator_targets_are_one_per_year_and_office(users, strategy, number_indicator, kenya):
    # when HQ gives two targets for the same year and office
    targets = [
        {"year": 2020, "office": kenya, "value": Decimal(1)},
        {"year": 2020, "office": kenya, "value": Decimal(2)},
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.indicator_targets_set(
            user=users["hq"], indicator=number_indicator, targets=targets
        )
    assert "targets" in _errors(excinfo)
    with pytest.raises(ValidationError):
        services.indicator_update(
            user=users["hq"], indicator=number_indicator, data={"targets": targets}
        )
    # then the targets are as they were; a global and an office target for one year are fine
    assert number_indicator.targets.count() == 5
    services.indicator_targets_set(
        user=users["hq"],
        indicator=number_indicator,
        targets=[{"year": 2020, "value": Decimal(1)}, {**targets[0]}],
    )
    assert number_indicator.targets.count() == 2


def test_indicator_targets_replace_all_only_when_given(users, number_indicator, kenya):
    # when HQ changes the name only
    services.indicator_update(user=users["hq"], indicator=number_indicator, data={"name": "New"})
    # then the targets stay
    assert number_indicator.targets.count() == 5
    # when HQ gives targets
    services.indicator_update(
        user=users["hq"],
        indicator=number_indicator,
        data={"targets": [{"year": 2023, "office": kenya, "value": Decimal("12")}]},
    )
    # then they are exactly those
    assert list(number_indicator.targets.values_list("year", "office", "value")) == [
        (2023, kenya.pk, Decimal("12"))
    ]


def test_indicator_fields_follow_the_model(users, strategy):
    # when HQ gives a measure the model does not know
    with pytest.raises(ValidationError) as excinfo:
        services.indicator_create(user=users["hq"], data=_data(strategy, measure="guess"))
    # then it is refused on that field
    assert "measure" in _errors(excinfo)


def test_assignment_is_one_per_indicator_and_office(users, number_indicator, kenya, hq_office):
    # when HQ assigns an indicator to an office that already reports on it
    with pytest.raises(ValidationError):
        services.assignment_create(user=users["hq"], indicator=number_indicator, office=kenya)
    with pytest.raises(ValidationError):
        services.assignments_create(
            user=users["hq"], pairs=[(number_indicator, hq_office), (number_indicator, hq_office)]
        )
    other = Assignment.objects.get(indicator=number_indicator, office=kenya)
    moved = AssignmentFactory(indicator=number_indicator, office=hq_office)
    with pytest.raises(ValidationError):
        services.assignment_update(user=users["hq"], assignment=moved, data={"office": kenya})
    # then the assignments are as they were
    assert Assignment.objects.filter(indicator=number_indicator).count() == 4
    assert Assignment.objects.get(pk=other.pk).office == kenya


# --- The figures signal ----------------------------------------------------------------------


def _sent(indicator, years=None, office_ids=None) -> list[dict]:
    return [{"indicator_id": indicator.pk, "years": years, "office_ids": office_ids}]


def test_indicator_create_and_delete_send_no_signal(users, strategy, figures_signals):
    # when HQ creates an indicator with targets, then deletes it
    created = services.indicator_create(
        user=users["hq"], data=_data(strategy, targets=[{"year": 2020, "value": Decimal(3)}])
    )
    services.indicator_delete(user=users["hq"], indicator=created)
    # then nobody is told: a new indicator has no figures, a deleted one's go with it
    assert figures_signals == []


@pytest.mark.parametrize(
    "change",
    [
        {"baseline_value": Decimal("7")},
        {"baseline_year": 2017},
        {"measure": "percentage"},
        {"cumulative": False},
        {"direction": "decrease"},
        {"ordinal_levels": ["Low", "High"]},
    ],
)
def test_indicator_update_of_a_figure_field_signals_any_year(
    users, number_indicator, figures_signals, change
):
    # when HQ changes a value every year's figures depend on
    services.indicator_update(user=users["hq"], indicator=number_indicator, data=change)
    # then one signal names the indicator, for any year and office
    assert figures_signals == _sent(number_indicator)


def test_indicator_update_of_other_fields_sends_no_signal(users, number_indicator, figures_signals):
    # when HQ changes the wording, or gives the same baseline and targets again
    services.indicator_update(
        user=users["hq"],
        indicator=number_indicator,
        data={
            "name": "Renamed",
            "definition": "Reworded.",
            "baseline_value": Decimal("0.0000"),
            "targets": [{"year": y, "value": Decimal(1000)} for y in range(2019, 2024)],
        },
    )
    # then nothing that moves a figure changed, and nobody is told
    assert figures_signals == []


def test_indicator_update_of_targets_signals_the_years_touched(
    users, number_indicator, kenya, figures_signals
):
    # when HQ gives targets that change 2020, drop 2019 and add Kenya's 2023
    targets = [{"year": y, "value": Decimal(1000)} for y in range(2020, 2024)]
    targets[0]["value"] = Decimal(1500)
    targets.append({"year": 2023, "office": kenya, "value": Decimal(40)})
    services.indicator_update(
        user=users["hq"], indicator=number_indicator, data={"targets": targets}
    )
    # then one signal names those years
    assert figures_signals == _sent(number_indicator, years=[2019, 2020, 2023])


def test_indicator_update_of_baseline_and_targets_sends_one_signal(
    users, number_indicator, figures_signals
):
    # when HQ changes the baseline and a target in one write
    services.indicator_update(
        user=users["hq"],
        indicator=number_indicator,
        data={"baseline_value": Decimal(5), "targets": [{"year": 2021, "value": Decimal(9)}]},
    )
    # then one signal, for any year
    assert figures_signals == _sent(number_indicator)


def test_indicator_targets_set_signals_the_years_touched(users, number_indicator, figures_signals):
    # given the targets kept but 2022's
    kept = IndicatorTarget.objects.filter(indicator=number_indicator).exclude(year=2022)
    unchanged = [{"year": t.year, "value": t.value} for t in kept]
    keep_ids = set(kept.values_list("pk", flat=True))
    # when HQ sets them
    saved = services.indicator_targets_set(
        user=users["hq"], indicator=number_indicator, targets=unchanged
    )
    # then 2022 is gone, the others kept their rows, and one signal names 2022
    assert [t.year for t in saved] == [2019, 2020, 2021, 2023]
    assert {t.pk for t in saved} == keep_ids
    assert figures_signals == _sent(number_indicator, years=[2022])
    # and setting the same targets again tells nobody
    services.indicator_targets_set(user=users["hq"], indicator=number_indicator, targets=unchanged)
    assert len(figures_signals) == 1


def test_assignment_writes_signal_the_office(
    users, number_indicator, kenya, hq_office, figures_signals
):
    # when HQ assigns, deactivates, reactivates, moves and deletes an assignment
    assignment = services.assignment_create(
        user=users["hq"], indicator=number_indicator, office=hq_office
    )
    services.assignment_update(user=users["hq"], assignment=assignment, data={"is_active": False})
    services.assignment_update(user=users["hq"], assignment=assignment, data={"is_active": False})
    services.assignment_update(user=users["hq"], assignment=assignment, data={"is_active": True})
    kenya_assignment = Assignment.objects.get(indicator=number_indicator, office=kenya)
    services.assignment_delete(user=users["hq"], assignment=kenya_assignment)
    services.assignment_update(user=users["hq"], assignment=assignment, data={"office": kenya})
    # then each change that counts sent one signal with the offices touched
    office = _sent(number_indicator, office_ids=[hq_office.pk])
    assert figures_signals == [
        *office,
        *office,
        *office,
        *_sent(number_indicator, office_ids=[kenya.pk]),
        *_sent(number_indicator, office_ids=sorted([kenya.pk, hq_office.pk])),
    ]


def test_inactive_assignment_changes_send_no_signal(
    users, number_indicator, hq_office, figures_signals
):
    # when HQ creates an inactive assignment and deletes it
    assignment = services.assignment_create(
        user=users["hq"], indicator=number_indicator, office=hq_office, is_active=False
    )
    services.assignment_delete(user=users["hq"], assignment=assignment)
    # then no figure could move
    assert figures_signals == []


def test_assignments_create_signals_once_per_indicator(
    users, number_indicator, percentage_indicator, hq_office, nairobi, figures_signals
):
    # given a second office
    regional = hq_office.__class__.objects.get(code="ro-nairobi")
    # when HQ assigns both indicators to both offices in one bulk write
    created = services.assignments_create(
        user=users["hq"],
        pairs=[
            (number_indicator, hq_office),
            (number_indicator, regional),
            (percentage_indicator, hq_office),
        ],
    )
    # then they exist, and each indicator heard once of its offices
    assert len(created) == 3
    assert figures_signals == [
        *_sent(number_indicator, office_ids=sorted([hq_office.pk, regional.pk])),
        *_sent(percentage_indicator, office_ids=[hq_office.pk]),
    ]


def test_indicator_delete_with_targets_and_assignments(users, strategy):
    # given an indicator with a target and an assignment but no updates
    indicator = IndicatorFactory(deliverable=_deliverable(strategy))
    IndicatorTargetFactory(indicator=indicator)
    AssignmentFactory(indicator=indicator)
    # when HQ deletes it
    services.indicator_delete(user=users["hq"], indicator=indicator)
    # then its targets and assignments went with it
    assert not IndicatorTarget.objects.filter(indicator_id=indicator.pk).exists()
    assert not Assignment.objects.filter(indicator_id=indicator.pk).exists()
