"""Fixtures and helpers of the entry, review and period page tests (imported by conftest.py):
signed-in clients per role and updates in each state, all made through the workflow services."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reporting.services.evidence import update_evidence_add
from reporting.services.validation import UpdateValues
from reporting.services.workflow import update_approve, update_save, update_submit


def entry_url(office, period) -> str:
    return f"{reverse('reporting:my_reporting')}?office={office.pk}&period={period.pk}"


def row_data(indicator, version: int | str = 0, **fields) -> dict:
    """Return the POST fields of one indicator's row on My reporting."""
    prefix = f"r{indicator.pk}"
    data = {f"{prefix}-version": str(version)}
    for name, value in fields.items():
        data[f"{prefix}-{name}"] = value
    return data


@pytest.fixture
def client_as(users):
    """Return a test client signed in as one of the `users` (None: anonymous)."""

    def make(name: str | None) -> Client:
        client = Client()
        if name is not None:
            client.force_login(users[name])
        return client

    return make


@pytest.fixture
def kenya_draft(users, number_indicator, kenya, period):
    """Kenya's draft of A.i.1 for 2023-Q4: 40 people, 20 female and 20 male."""
    return update_save(
        user=users["field"],
        indicator=number_indicator,
        office=kenya,
        period=period,
        values=UpdateValues(
            value=Decimal("40"),
            disaggregations={"sex": {"female": 20, "male": 20}},
            narrative="Reached through the mobile clinics.",
        ),
    )


@pytest.fixture
def kenya_submitted(users, kenya_draft):
    """Kenya's update, with an evidence file, submitted for review."""
    update_evidence_add(
        user=users["field"],
        update=kenya_draft,
        file=SimpleUploadedFile("list.csv", b"name,sex\nA,f\n", content_type="text/csv"),
    )
    return update_submit(user=users["field"], update=kenya_draft)


@pytest.fixture
def kenya_approved(users, kenya_submitted):
    return update_approve(user=users["reviewer"], update=kenya_submitted)
