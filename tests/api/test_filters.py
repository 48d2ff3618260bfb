"""Filters, ordering and pagination of the updates and roll-ups lists; bad values are 400."""

import pytest

from tests.api.conftest import ids

UPDATES = "/api/v1/updates/"
ROLLUPS = "/api/v1/rollups/"


def _keys(world, *names):
    return {world[name].pk for name in names}


ALL_UPDATES = [
    "ke_draft",
    "ke_submitted",
    "ke_approved",
    "ug_submitted",
    "th_submitted",
    "th_draft",
]


def test_updates_filter_by_office_region_status(client_for, world, kenya, nairobi, bangkok):
    hq = client_for("hq")
    assert ids(hq.get(f"{UPDATES}?office={kenya.pk}")) == _keys(
        world, "ke_draft", "ke_submitted", "ke_approved"
    )
    assert ids(hq.get(f"{UPDATES}?region={nairobi.pk}")) == _keys(
        world, "ke_draft", "ke_submitted", "ke_approved", "ug_submitted"
    )
    assert ids(hq.get(f"{UPDATES}?region={bangkok.pk}")) == _keys(world, "th_submitted", "th_draft")
    assert ids(hq.get(f"{UPDATES}?status=submitted")) == _keys(
        world, "ke_submitted", "ug_submitted", "th_submitted"
    )
    assert ids(hq.get(f"{UPDATES}?status=approved&office={kenya.pk}")) == _keys(
        world, "ke_approved"
    )


def test_updates_filter_by_period_and_period_range(client_for, world, periods):
    hq = client_for("hq")
    q3, q4 = periods[-2], periods[-1]
    in_q4 = _keys(world, "ke_draft", "ug_submitted", "th_submitted", "th_draft")
    in_q3 = _keys(world, "ke_submitted", "ke_approved")
    assert ids(hq.get(f"{UPDATES}?period={q4.pk}")) == in_q4
    # by code
    assert ids(hq.get(f"{UPDATES}?period_from=2023-Q4")) == in_q4
    assert ids(hq.get(f"{UPDATES}?period_to=2023-Q3")) == in_q3
    assert ids(hq.get(f"{UPDATES}?period_from=2023-Q3&period_to=2023-Q4")) == in_q3 | in_q4
    # by start date
    assert ids(hq.get(f"{UPDATES}?period_from=2023-08-01")) == in_q4
    assert ids(hq.get(f"{UPDATES}?period_to={q3.start_date.isoformat()}")) == in_q3
    assert ids(hq.get(f"{UPDATES}?period_from=2019-Q1&period_to=2023-Q2")) == set()


def test_updates_filter_by_framework(
    client_for, world, strategy, number_indicator, percentage_indicator
):
    hq = client_for("hq")
    number = _keys(world, "ke_draft", "ke_submitted", "ug_submitted", "th_submitted")
    percentage = _keys(world, "ke_approved", "th_draft")
    assert ids(hq.get(f"{UPDATES}?indicator={number_indicator.pk}")) == number
    assert ids(hq.get(f"{UPDATES}?deliverable={number_indicator.deliverable_id}")) == number
    outcome_a = strategy.outcome_set.get(code="a")
    outcome_b = strategy.outcome_set.get(code="b")
    assert ids(hq.get(f"{UPDATES}?outcome={outcome_a.pk}")) == number
    assert ids(hq.get(f"{UPDATES}?outcome={outcome_b.pk}")) == set()
    assert ids(hq.get(f"{UPDATES}?output={percentage_indicator.output_id}")) == percentage
    gender = strategy.marker_set.get(code="gender")
    percentage_indicator.markers.add(gender)
    assert ids(hq.get(f"{UPDATES}?marker={gender.pk}")) == percentage


def test_updates_filters_keep_to_what_the_user_may_see(client_for, world, thailand):
    # Kenya's field staff filtering on Thailand gets nothing, not Thailand's updates
    assert ids(client_for("field").get(f"{UPDATES}?office={thailand.pk}")) == set()


@pytest.mark.parametrize(
    "query",
    [
        "office=abc",
        "office=999999",
        "region=-1",
        "period=1.5",
        "status=lost",
        "indicator=x",
        "deliverable=999999",
        "outcome=abc",
        "output=abc",
        "marker=abc",
        "period_from=2023-Q9",
        "period_to=yesterday",
        "period_from=2023-02-30",
        "office=99999999999999999999999999",
    ],
)
def test_updates_bad_filter_values_are_400(client_for, world, query):
    response = client_for("hq").get(f"{UPDATES}?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]


def test_updates_ordering_and_page_size(client_for, world):
    hq = client_for("hq")
    rows = hq.get(f"{UPDATES}?ordering=id").json()["results"]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    rows = hq.get(f"{UPDATES}?ordering=-id").json()["results"]
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    # an unknown ordering field is ignored, not an error
    assert hq.get(f"{UPDATES}?ordering=password").status_code == 200
    page = hq.get(f"{UPDATES}?page_size=2&ordering=id").json()
    assert (page["count"], len(page["results"])) == (6, 2)
    assert page["next"]
    second = hq.get(f"{UPDATES}?page_size=2&ordering=id&page=2").json()
    assert not {r["id"] for r in page["results"]} & {r["id"] for r in second["results"]}
    assert hq.get(f"{UPDATES}?page=99").status_code == 404


def test_rollups_filters(
    client_for, world, number_indicator, percentage_indicator, kenya, nairobi, periods, strategy
):
    hq = client_for("hq")
    all_rows = _keys(
        world,
        "rollup_global",
        "rollup_nairobi",
        "rollup_bangkok",
        "rollup_hq",
        "rollup_ytd",
    )
    assert ids(hq.get(ROLLUPS)) == all_rows
    assert ids(hq.get(f"{ROLLUPS}?indicator={number_indicator.pk}")) == all_rows
    assert ids(hq.get(f"{ROLLUPS}?indicator={percentage_indicator.pk}")) == set()
    assert ids(hq.get(f"{ROLLUPS}?scope=global")) == _keys(world, "rollup_global", "rollup_ytd")
    assert ids(hq.get(f"{ROLLUPS}?scope=global&span=period")) == _keys(world, "rollup_global")
    assert ids(hq.get(f"{ROLLUPS}?scope=region&region={nairobi.pk}")) == _keys(
        world, "rollup_nairobi"
    )
    assert ids(hq.get(f"{ROLLUPS}?scope=hq")) == _keys(world, "rollup_hq")
    assert ids(hq.get(f"{ROLLUPS}?period={periods[-2].pk}")) == all_rows
    assert ids(hq.get(f"{ROLLUPS}?period={periods[-1].pk}")) == set()
    assert ids(hq.get(f"{ROLLUPS}?period_from=2023-Q4")) == set()
    gender = strategy.marker_set.get(code="gender")
    assert ids(hq.get(f"{ROLLUPS}?marker={gender.pk}")) == set()
    number_indicator.markers.add(gender)
    assert ids(hq.get(f"{ROLLUPS}?marker={gender.pk}")) == all_rows
    for query in [
        "scope=planet",
        "span=week",
        "indicator=abc",
        "region=abc",
        "office=0",
        "period=x",
        "marker=x",
    ]:
        assert hq.get(f"{ROLLUPS}?{query}").status_code == 400, query


def test_rollup_fields(client_for, world):
    body = client_for("steering").get(f"{ROLLUPS}{world['rollup_global'].pk}/").json()
    for name in [
        "indicator",
        "scope",
        "region",
        "office",
        "period",
        "actual",
        "target",
        "progress",
        "status",
        "updates_count",
        "computed_at",
        "span",
    ]:
        assert name in body
    assert (body["scope"], body["actual"], body["status"]) == ("global", "30.0000", "no_data")


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("field", {"rollup_global", "rollup_ytd"}),
        ("reviewer", {"rollup_global", "rollup_ytd", "rollup_nairobi"}),
        ("reviewer_bkk", {"rollup_global", "rollup_ytd", "rollup_bangkok"}),
        ("reviewer_hq", {"rollup_global", "rollup_ytd", "rollup_hq"}),
        ("steering", None),
        ("hq", None),
        ("admin", None),
    ],
)
def test_rollups_are_read_within_scope(client_for, world, name, visible):
    every = {
        "rollup_global",
        "rollup_ytd",
        "rollup_nairobi",
        "rollup_bangkok",
        "rollup_hq",
    }
    visible = every if visible is None else visible
    client = client_for(name)
    assert ids(client.get(ROLLUPS)) == _keys(world, *visible)
    for key in every:
        status = client.get(f"{ROLLUPS}{world[key].pk}/").status_code
        assert status == (200 if key in visible else 404), (name, key)


def test_rollups_anonymous_401_no_role_403_and_read_only(client_for, world):
    assert client_for(None).get(ROLLUPS).status_code == 401
    assert client_for("norole").get(ROLLUPS).status_code == 403
    assert client_for("admin").post(ROLLUPS, {}, format="json").status_code == 405
    url = f"{ROLLUPS}{world['rollup_global'].pk}/"
    assert client_for("admin").delete(url).status_code == 405


def test_updates_pages_go_on_past_the_counted_bound(client_for, world, settings):
    # given a list longer than the bound up to which it is counted (6 updates, bound 3)
    settings.API_COUNT_CAP = 3
    hq = client_for("hq")
    first = hq.get(f"{UPDATES}?page_size=2&ordering=id").json()
    # then the count says it is a bound, not the length
    assert (first["count"], first["count_exact"]) == (3, False)
    # and the pages still go on to the last row, each linking the next while rows follow
    seen, page = [], first
    while True:
        seen += [r["id"] for r in page["results"]]
        if not page["next"]:
            break
        page = hq.get(page["next"]).json()
    assert len(seen) == 6
    assert seen == sorted(set(seen))
    # and past the end a page is "not found", as before
    assert hq.get(f"{UPDATES}?page_size=2&ordering=id&page=4").status_code == 404
    # while a list within the bound keeps its exact count
    settings.API_COUNT_CAP = 100
    assert hq.get(f"{UPDATES}?page_size=2").json()["count_exact"] is True
