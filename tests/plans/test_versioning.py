"""Publishing versions of the delivery plan and comparing two of them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from plans.models import Action, DeliveryPlanVersion
from plans.selectors import delivery_plan_compare
from plans.services import action_update, delivery_plan_publish

pytestmark = pytest.mark.django_db


def test_delivery_plan_publish_snapshots_every_action(strategy, users, make_action):
    # given two actions
    first = make_action(title="First")
    second = make_action(title="Second", status=Action.Status.PLANNED)

    # when HQ publishes
    version = delivery_plan_publish(strategy=strategy, user=users["hq"], note=" Initial plan ")

    # then version 1 holds a snapshot of each action as it stood
    assert version.number == 1
    assert version.published_by == users["hq"]
    assert version.note == "Initial plan"
    snapshots = {s.action_key: s for s in version.snapshots.all()}
    assert set(snapshots) == {first.pk, second.pk}
    assert snapshots[second.pk].title == "Second"
    assert snapshots[second.pk].status == Action.Status.PLANNED
    assert snapshots[first.pk].office == first.office
    assert snapshots[first.pk].due_date == first.due_date


def test_delivery_plan_publish_numbers_versions_and_keeps_earlier_ones(
    strategy, users, make_action
):
    # given a published plan
    action = make_action(title="Original title")
    v1 = delivery_plan_publish(strategy=strategy, user=users["hq"])

    # when the action changes and HQ publishes again
    action_update(action=action, user=users["hq"], data={"title": "New title"})
    v2 = delivery_plan_publish(strategy=strategy, user=users["admin"])

    # then version 2 has the new text and version 1 still the old one
    assert v2.number == 2
    assert v1.snapshots.get().title == "Original title"
    assert v2.snapshots.get().title == "New title"


def test_delivery_plan_publish_refused_to_everyone_but_hq(strategy, users, make_action):
    make_action()
    for name in ("field", "reviewer", "reviewer_hq", "steering", "norole"):
        with pytest.raises(PermissionDenied):
            delivery_plan_publish(strategy=strategy, user=users[name])
    assert not DeliveryPlanVersion.objects.exists()


def test_delivery_plan_compare_lists_added_changed_and_dropped(
    strategy, users, make_action, deliverable_bi, uganda
):
    # given version 1 of a plan with five actions
    unchanged = make_action(title="Unchanged")
    changed = make_action(title="Changed", status=Action.Status.PLANNED)
    to_drop = make_action(title="To drop")
    to_remove = make_action(title="To remove")
    moved = make_action(title="Moved")
    older = delivery_plan_publish(strategy=strategy, user=users["hq"])

    # when one is added, one changed, one dropped, one removed and one moved to another
    # deliverable and office, and version 2 is published
    added = make_action(title="Added")
    old_due = changed.due_date
    new_due = old_due + dt.timedelta(days=30)
    action_update(
        action=changed,
        user=users["hq"],
        data={"status": Action.Status.IN_PROGRESS, "due_date": new_due},
    )
    action_update(action=to_drop, user=users["hq"], data={"status": Action.Status.DROPPED})
    removed_key = to_remove.pk
    to_remove.delete()
    action_update(action=moved, user=users["hq"], data={"deliverable": deliverable_bi})
    action_update(action=moved, user=users["hq"], data={"office": uganda})
    newer = delivery_plan_publish(strategy=strategy, user=users["hq"])
    comparison = delivery_plan_compare(older=older, newer=newer)

    # then
    assert [s.action_key for s in comparison.added] == [added.pk]
    changes = {
        c.action_key: {f.field: (f.before, f.after) for f in c.changes} for c in comparison.changed
    }
    assert set(changes) == {changed.pk, moved.pk}
    assert changes[changed.pk] == {
        "status": ("Planned", "In progress"),
        "due_date": (old_due.isoformat(), new_due.isoformat()),
    }
    assert set(changes[moved.pk]) == {"result", "office"}
    assert changes[moved.pk]["office"] == ("Kenya", "Uganda")
    assert changes[moved.pk]["result"][0].startswith("A.i ")
    assert changes[moved.pk]["result"][1].startswith("B.i ")
    dropped = {d.action_key: d for d in comparison.dropped}
    assert set(dropped) == {to_drop.pk, removed_key}
    assert dropped[removed_key].removed is True
    assert dropped[to_drop.pk].removed is False
    assert [(f.field, f.before, f.after) for f in dropped[to_drop.pk].changes] == [
        ("status", "In progress", "Dropped")
    ]
    assert comparison.unchanged_count == 1
    assert unchanged.pk not in changes


def test_delivery_plan_compare_of_identical_versions_finds_nothing(strategy, users, make_action):
    make_action()
    older = delivery_plan_publish(strategy=strategy, user=users["hq"])
    newer = delivery_plan_publish(strategy=strategy, user=users["hq"])

    comparison = delivery_plan_compare(older=older, newer=newer)

    assert not comparison.has_differences
    assert comparison.unchanged_count == 1


def test_versions_page_publishes_for_hq_and_refuses_others(client, strategy, users, make_action):
    make_action()
    client.force_login(users["field"])
    assert client.post(reverse("plans:version_publish"), {"note": "x"}).status_code == 403

    client.force_login(users["hq"])
    page = client.get(reverse("plans:versions"))
    assert b"Publish a new version" in page.content
    response = client.post(reverse("plans:version_publish"), {"note": "Mid-term revision"})

    assert response.status_code == 302
    version = DeliveryPlanVersion.objects.get()
    assert version.note == "Mid-term revision"
    assert version.snapshots.count() == 1


def test_versions_page_hides_publish_from_steering(client, strategy, users):
    client.force_login(users["steering"])

    page = client.get(reverse("plans:versions"))

    assert page.status_code == 200
    assert b"Publish a new version" not in page.content


def test_version_compare_page_shows_differences(client, strategy, users, make_action):
    action = make_action(title="Train officials")
    older = delivery_plan_publish(strategy=strategy, user=users["hq"])
    action_update(action=action, user=users["hq"], data={"lead": "Li Wei"})
    make_action(title="Brand new action")
    newer = delivery_plan_publish(strategy=strategy, user=users["hq"])
    client.force_login(users["steering"])

    # the order of the two versions in the query does not matter
    page = client.get(reverse("plans:version_compare"), {"older": newer.pk, "newer": older.pk})

    assert page.status_code == 200
    comparison = page.context["comparison"]
    assert comparison.older == older
    assert [s.title for s in comparison.added] == ["Brand new action"]
    content = page.content.decode()
    assert "Brand new action" in content
    assert "Amina Diallo" in content
    assert "Li Wei" in content


def test_version_compare_page_rejects_a_missing_version(client, strategy, users, make_action):
    make_action()
    version = delivery_plan_publish(strategy=strategy, user=users["hq"])
    client.force_login(users["hq"])

    page = client.get(reverse("plans:version_compare"), {"older": version.pk, "newer": 999999})

    assert page.status_code == 400
    assert b"Choose two published versions" in page.content


def test_version_detail_page_shows_the_snapshot(client, strategy, users, make_action):
    action = make_action(title="Before the edit")
    version = delivery_plan_publish(strategy=strategy, user=users["hq"])
    action_update(action=action, user=users["hq"], data={"title": "After the edit"})
    client.force_login(users["field"])

    page = client.get(reverse("plans:version_detail", args=[version.pk]))

    assert page.status_code == 200
    assert b"Before the edit" in page.content
    assert b"After the edit" not in page.content


def test_versions_api_publishes_lists_and_compares(api, strategy, users, make_action):
    action = make_action(title="Original")
    hq = api(users["hq"])
    first = hq.post("/api/v1/delivery-plan-versions/", {"note": "v1"}, format="json")
    action_update(action=action, user=users["hq"], data={"status": Action.Status.DONE})
    second = hq.post("/api/v1/delivery-plan-versions/", {"note": "v2"}, format="json")
    assert first.status_code == 201
    assert second.json()["number"] == 2

    steering = api(users["steering"])
    listing = steering.get("/api/v1/delivery-plan-versions/").json()
    detail = steering.get(f"/api/v1/delivery-plan-versions/{first.json()['id']}/").json()
    comparison = steering.get(
        f"/api/v1/delivery-plan-versions/{second.json()['id']}/compare/",
        {"with": first.json()["id"]},
    ).json()

    assert [v["number"] for v in listing["results"]] == [2, 1]
    assert listing["results"][0]["actions_count"] == 1
    assert detail["actions"][0]["title"] == "Original"
    assert comparison["older"] == 1
    assert comparison["newer"] == 2
    assert comparison["changed"][0]["changes"] == [
        {"field": "status", "label": "Status", "before": "In progress", "after": "Done"}
    ]
    assert comparison["added"] == []
    assert comparison["dropped"] == []


def test_versions_api_refuses_publishing_to_non_hq(api, strategy, users):
    for name in ("field", "reviewer", "steering"):
        response = api(users[name]).post("/api/v1/delivery-plan-versions/", {}, format="json")
        assert response.status_code == 403
    assert api(users["norole"]).get("/api/v1/delivery-plan-versions/").status_code == 403
