"""The Django admin saves indicators, targets and assignments through deliverables.services:
the same rules as the API, and the figures signal once per change."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.forms import ModelMultipleChoiceField, MultipleChoiceField

from deliverables.models import Assignment, IndicatorTarget

DUPLICATE = "Give one target per year and office."


@pytest.fixture
def admin_client(client, users):
    """The `hq` user in the Django admin: staff, with the framework's model permissions (as the
    demo's HQ group has)."""
    hq = users["hq"]
    hq.is_staff = True
    hq.save()
    hq.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["deliverables", "offices"])
    )
    client.force_login(hq)
    return client


def _form_data(response) -> dict:
    """Return the POST data of an admin change form as it was rendered (forms and inlines)."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            multiple = isinstance(form.fields[name], MultipleChoiceField | ModelMultipleChoiceField)
            if value is True:
                data[key] = "on"
            elif value is None and not multiple:
                data[key] = ""
            elif value is False or value is None:
                continue
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    return data


def _target_rows(data: dict) -> list[str]:
    """Return the inline prefixes of the target rows in the form data, in order."""
    total = int(data["targets-TOTAL_FORMS"])
    return [f"targets-{i}" for i in range(total)]


def _add_target_rows(data: dict, *rows: dict) -> None:
    total = int(data["targets-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        prefix = f"targets-{total + offset}"
        data[f"{prefix}-id"] = ""
        for name, value in row.items():
            data[f"{prefix}-{name}"] = value
    data["targets-TOTAL_FORMS"] = str(total + len(rows))


def test_admin_target_change_goes_through_the_service(
    admin_client, number_indicator, figures_signals
):
    # given the indicator's change page
    url = f"/admin/deliverables/indicator/{number_indicator.pk}/change/"
    data = _form_data(admin_client.get(url))
    row = next(p for p in _target_rows(data) if data[f"{p}-year"] == "2021")
    # when HQ changes the 2021 target and saves
    data[f"{row}-value"] = "1500"
    response = admin_client.post(url, data)
    # then it is saved, and the roll-ups are told once, of 2021
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert number_indicator.targets.get(year=2021, office=None).value == Decimal("1500")
    assert figures_signals == [
        {"indicator_id": number_indicator.pk, "years": [2021], "office_ids": None}
    ]


def test_admin_duplicate_target_is_refused_with_a_message(
    admin_client, number_indicator, kenya, figures_signals
):
    # given the indicator's change page
    url = f"/admin/deliverables/indicator/{number_indicator.pk}/change/"
    data = _form_data(admin_client.get(url))
    # when HQ adds two targets for Kenya in 2024
    row = {"year": "2024", "office": str(kenya.pk), "value": "5"}
    _add_target_rows(data, row, {**row, "value": "6"})
    response = admin_client.post(url, data)
    # then the page comes back with the message, and nothing changed
    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    assert not number_indicator.targets.filter(year=2024).exists()
    assert figures_signals == []


def test_admin_indicator_change_is_one_signal(admin_client, number_indicator, figures_signals):
    # when HQ changes the baseline and a target in one save
    url = f"/admin/deliverables/indicator/{number_indicator.pk}/change/"
    data = _form_data(admin_client.get(url))
    data["baseline_value"] = "12"
    row = _target_rows(data)[0]
    data[f"{row}-value"] = "99"
    response = admin_client.post(url, data)
    # then both are saved, with one signal for any year
    assert response.status_code == 302
    number_indicator.refresh_from_db()
    assert number_indicator.baseline_value == Decimal("12")
    assert figures_signals == [
        {"indicator_id": number_indicator.pk, "years": None, "office_ids": None}
    ]


def test_admin_indicator_add_follows_the_rules(admin_client, strategy, figures_signals):
    # given the add page
    data = _form_data(admin_client.get("/admin/deliverables/indicator/add/"))
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="i")
    output = strategy.institutionaloutput_set.get(code="a")
    data.update(code="A.i.7", name_en="New", measure="number", deliverable=str(deliverable.pk))
    _add_target_rows(data, {"year": "2020", "value": "10"})
    # when HQ gives both a deliverable and an output
    refused = admin_client.post("/admin/deliverables/indicator/add/", {**data, "output": output.pk})
    # then the form says so
    assert refused.status_code == 200
    assert "Give exactly one of a deliverable" in refused.content.decode()
    # when HQ gives the deliverable only
    created = admin_client.post("/admin/deliverables/indicator/add/", data)
    # then the indicator is created in the deliverable's strategy, with its target
    assert created.status_code == 302, (
        created.context["adminform"].form.errors,
        [f.errors for i in created.context["inline_admin_formsets"] for f in i.formset.forms],
        [i.formset.non_form_errors() for i in created.context["inline_admin_formsets"]],
    )
    indicator = deliverable.indicators.get(code="A.i.7")
    assert indicator.strategy == strategy
    assert list(indicator.targets.values_list("year", "value")) == [(2020, Decimal("10"))]
    assert figures_signals == []


def test_admin_target_page_goes_through_the_service(
    admin_client, number_indicator, kenya, figures_signals
):
    # given a global target's own change page
    target = number_indicator.targets.get(year=2022, office=None)
    url = f"/admin/deliverables/indicatortarget/{target.pk}/change/"
    data = _form_data(admin_client.get(url))
    # when HQ changes its value
    response = admin_client.post(url, {**data, "value": "2200"})
    # then it keeps its row, and the roll-ups are told once, of 2022
    assert response.status_code == 302
    assert IndicatorTarget.objects.get(pk=target.pk).value == Decimal("2200")
    assert figures_signals == [
        {"indicator_id": number_indicator.pk, "years": [2022], "office_ids": None}
    ]
    # when HQ adds a second global target for 2022
    add = admin_client.post(
        "/admin/deliverables/indicatortarget/add/",
        {"indicator": number_indicator.pk, "year": "2022", "office": "", "value": "1"},
    )
    # then it is refused with the message
    assert add.status_code == 200
    assert DUPLICATE in add.content.decode()
    assert number_indicator.targets.filter(year=2022).count() == 1
    # when HQ deletes the target
    admin_client.post(f"/admin/deliverables/indicatortarget/{target.pk}/delete/", {"post": "yes"})
    # then it is gone, told once more
    assert not IndicatorTarget.objects.filter(pk=target.pk).exists()
    assert len(figures_signals) == 2


def test_admin_assignment_changes_go_through_the_service(
    admin_client, number_indicator, kenya, uganda, figures_signals
):
    # given Kenya's assignment
    assignment = Assignment.objects.get(indicator=number_indicator, office=kenya)
    url = f"/admin/deliverables/assignment/{assignment.pk}/change/"
    data = _form_data(admin_client.get(url))
    # when HQ deactivates it
    data.pop("is_active")
    assert admin_client.post(url, data).status_code == 302
    # then it went through the service, with its signal
    assert not Assignment.objects.get(pk=assignment.pk).is_active
    sent = {"indicator_id": number_indicator.pk, "years": None, "office_ids": [kenya.pk]}
    assert figures_signals == [sent]
    # when HQ deletes it (inactive: no figure moves) and Uganda's (active)
    ugandas = Assignment.objects.get(indicator=number_indicator, office=uganda)
    for pk in (assignment.pk, ugandas.pk):
        admin_client.post(f"/admin/deliverables/assignment/{pk}/delete/", {"post": "yes"})
    # then both are gone, and only Uganda's deletion was told
    assert not Assignment.objects.filter(pk__in=[assignment.pk, ugandas.pk]).exists()
    assert figures_signals == [sent, {**sent, "office_ids": [uganda.pk]}]


def test_admin_refuses_changes_to_staff_who_do_not_manage_the_framework(
    client, users, number_indicator
):
    # given steering committee staff with the model permissions
    steering = users["steering"]
    steering.is_staff = True
    steering.save()
    steering.user_permissions.set(Permission.objects.filter(content_type__app_label="deliverables"))
    client.force_login(steering)
    # when they open and post an indicator's change page
    url = f"/admin/deliverables/indicator/{number_indicator.pk}/change/"
    page = client.get(url)
    response = client.post(url, {"name": "Changed"})
    # then they may look but not change
    assert page.status_code == 200
    assert response.status_code == 403
    number_indicator.refresh_from_db()
    assert number_indicator.name == "People assisted"
