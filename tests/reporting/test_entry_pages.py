"""My reporting as a page: grouped by outcome and deliverable with a progress line, filtered by
state, returned updates first, and after a failed submit a summary linking to every field in
error, with the cards and inputs marked; bounded queries with 60 indicators."""

from decimal import Decimal

import pytest
from django.utils import timezone

from reporting.models import IndicatorUpdate
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_return, update_save, update_submit
from tests.factories import AssignmentFactory, IndicatorFactory, IndicatorTargetFactory
from tests.reporting.entry_fixtures import entry_url, row_data

Status = IndicatorUpdate.Status


@pytest.fixture
def second_indicator(strategy, kenya):
    """A.i.2, another count of deliverable (a)(i), assigned to Kenya."""
    deliverable = strategy.outcome_set.get(code="a").deliverables.get(code="i")
    indicator = IndicatorFactory(deliverable=deliverable, code="A.i.2", measure="number")
    AssignmentFactory(indicator=indicator, office=kenya)
    return indicator


@pytest.fixture
def kenya_mixed(users, number_indicator, second_indicator, percentage_indicator, kenya, period):
    """Kenya in 2023-Q4: A.i.1 not started, A.i.2 returned with a comment, O.a.1 a draft."""
    returned = update_save(
        user=users["field"],
        indicator=second_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(value=Decimal("5")),
    )
    returned = update_submit(user=users["field"], update=returned)
    update_return(user=users["reviewer"], update=returned, comment="Which month?")
    update_save(
        user=users["field"],
        indicator=percentage_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(numerator=Decimal("1"), denominator=Decimal("2")),
    )
    return {"returned": second_indicator, "draft": percentage_indicator, "new": number_indicator}


def test_my_reporting_groups_rows_by_outcome_and_deliverable_returned_first(
    client_as, kenya_mixed, kenya, period
):
    # when field staff open My reporting
    response = client_as("field").get(entry_url(kenya, period))
    # then the outcome with the returned update comes first, A.i.2 first in its deliverable
    sections = response.context["sections"]
    outcome = kenya_mixed["returned"].deliverable.outcome
    assert sections[0].key == f"outcome-{outcome.pk}"
    assert sections[-1].key == "outputs"
    group = sections[0].groups[0]
    assert [r.indicator.code for r in group.rows] == ["A.i.2", "A.i.1"]
    assert group.counts["returned"] == 1
    assert group.counts["not_started"] == 1
    html = response.content.decode()
    # with a progress line per group, open because work remains, and a summary of returns
    assert "0 of 2 indicators submitted or approved" in html
    assert f'<details class="entry-group mb-3" id="group-{group.key}" open>' in html
    assert html.index('id="returned-summary"') < html.index(f'id="row-{kenya_mixed["new"].pk}"')
    assert f'href="#row-{kenya_mixed["returned"].pk}"' in html
    assert "Which month?" in html


@pytest.mark.parametrize(
    ("show", "codes"),
    [("returned", ["A.i.2"]), ("not_started", ["A.i.1"]), ("drafts", ["O.a.1"]), ("", None)],
)
def test_my_reporting_filters_rows_on_the_server(
    client_as, kenya_mixed, kenya, period, show, codes
):
    response = client_as("field").get(entry_url(kenya, period) + f"&show={show}")
    shown = [r.indicator.code for r in response.context["rows"]]
    assert shown == (codes or ["A.i.1", "A.i.2", "O.a.1"])
    assert response.context["show"] == show
    tabs = {t["key"]: t["count"] for t in response.context["filter_tabs"]}
    assert tabs == {"returned": 1, "not_started": 1, "drafts": 1, "submitted": 0}


def test_my_reporting_unknown_filter_shows_everything(client_as, kenya_mixed, kenya, period):
    response = client_as("field").get(entry_url(kenya, period) + "&show=<script>")
    assert response.status_code == 200
    assert response.context["show"] == ""
    assert len(response.context["rows"]) == 3


def test_my_reporting_saving_a_filtered_page_leaves_the_hidden_rows_alone(
    client_as, kenya_mixed, kenya, period
):
    # given the page filtered to the returned update; when it is corrected and saved
    draft = kenya_mixed["draft"]
    url = entry_url(kenya, period) + "&show=returned"
    returned = IndicatorUpdate.objects.get(indicator=kenya_mixed["returned"], office=kenya)
    data = row_data(kenya_mixed["returned"], version=returned.version, value="7")
    data["submit_row"] = f"r{kenya_mixed['returned'].pk}"
    response = client_as("field").post(url, data)
    # then it is resubmitted, the page keeps its filter, and the draft it did not show is intact
    assert response.status_code == 302
    assert response["Location"].endswith("&show=returned")
    returned.refresh_from_db()
    assert (returned.status, returned.value) == (Status.SUBMITTED, Decimal("7"))
    kept = IndicatorUpdate.objects.get(indicator=draft, office=kenya)
    assert (kept.status, kept.numerator) == (Status.DRAFT, Decimal("1"))


def test_my_reporting_failed_submit_summarises_errors_with_links_and_marks_fields(
    client_as, kenya_mixed, kenya, period
):
    # given a letter typed in A.i.1 and a numerator above the denominator in O.a.1
    new, draft = kenya_mixed["new"], kenya_mixed["draft"]
    version = IndicatorUpdate.objects.get(indicator=draft, office=kenya).version
    data = {
        **row_data(new, value="abc"),
        **row_data(draft, version=version, numerator="5", denominator="2"),
        "action": "submit_all",
    }
    # when they submit everything
    response = client_as("field").post(entry_url(kenya, period), data)
    # then the summary at the top links to each field in error
    assert response.status_code == 200
    html = response.content.decode()
    summary = response.context["error_summary"]
    hrefs = [item["href"] for item in summary]
    assert f"#id_r{new.pk}-value" in hrefs
    assert any(h.startswith(f"#id_r{draft.pk}-") or h == f"#row-{draft.pk}" for h in hrefs)
    assert html.index('id="error-summary"') < html.index(f'id="row-{new.pk}"')
    for href in hrefs:
        assert f'href="{href}"' in html
        assert f'id="{href[1:]}"' in html  # every link lands on something
    # and the cards and inputs in error are marked for sight and for screen readers
    assert f'class="card mb-3 border-danger border-2 entry-invalid" id="row-{new.pk}"' in html
    value_input = html[html.index(f'id="id_r{new.pk}-value"') - 300 :]
    value_input = value_input[: value_input.index(">", 300)]
    assert "is-invalid" in value_input
    assert 'aria-invalid="true"' in value_input
    assert f'aria-describedby="id_r{new.pk}-value_error"' in value_input
    assert f'id="id_r{new.pk}-value_error"' in html


def test_my_reporting_renders_60_indicators_in_a_bounded_number_of_queries(
    client_as, strategy, kenya, period, users, django_assert_max_num_queries
):
    # given 60 indicators over every deliverable of outcome (b) and the institutional outputs,
    # with targets, and a third of them returned
    deliverables = list(strategy.outcome_set.get(code="b").deliverables.all())
    outputs = list(strategy.institutionaloutput_set.all())
    for n in range(60):
        on_output = n % 4 == 3
        indicator = IndicatorFactory(
            deliverable=None if on_output else deliverables[n % len(deliverables)],
            output=outputs[n % len(outputs)] if on_output else None,
            code=f"X.{n:02d}",
            measure="number",
            disaggregations=["sex"],
        )
        IndicatorTargetFactory(indicator=indicator, year=period.year, value=50)
        AssignmentFactory(indicator=indicator, office=kenya)
        if n % 3 == 0:
            IndicatorUpdate.objects.create(
                indicator=indicator,
                office=kenya,
                period=period,
                measure="number",
                status=Status.RETURNED,
                value=Decimal(4),
                submitted_at=timezone.now(),
                review_comment="Check",
            )
    client = client_as("field")
    # when the page renders, grouped, unfiltered and filtered, then queries stay bounded
    for suffix in ("", "&show=returned"):
        with django_assert_max_num_queries(12):
            response = client.get(entry_url(kenya, period) + suffix)
        assert response.status_code == 200
    assert len(response.context["rows"]) == 20
    # and a failed save of every row stays bounded too
    data = {"action": "save"}
    for row in response.context["rows"]:
        data.update(row_data(row.indicator, version=row.update.version, value="x"))
    with django_assert_max_num_queries(12):
        response = client.post(entry_url(kenya, period) + "&show=returned", data)
    assert len(response.context["error_summary"]) == 20
