"""`deactivate_stale_users`: people not seen for a while lose access; superusers and machine
clients are left alone."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create
from accounts.tasks import users_deactivate_stale_task
from audit.models import AuditEvent
from tests.factories import Role, UserFactory, grant


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def people(db):
    hq = grant(UserFactory(username="hq"), Role.HQ_MANAGER)
    token, _secret = api_token_create(
        actor=hq, name="ETL", scope=ApiToken.Scope.READ, expires_at=_ago(-30)
    )
    rows = {
        "recent": UserFactory(username="recent", last_login=_ago(10)),
        "stale": UserFactory(username="stale", last_login=_ago(100)),
        "never": UserFactory(username="never"),
        "root": UserFactory(username="root", last_login=_ago(400), is_superuser=True),
        "client": token.user,
        "hq": hq,
    }
    type(hq).objects.filter(pk__in=[rows["never"].pk, token.user.pk]).update(date_joined=_ago(200))
    type(hq).objects.filter(username="hq").update(last_login=_ago(1))
    return rows


def _active(user) -> bool:
    user.refresh_from_db()
    return user.is_active


def test_stale_users_are_deactivated_and_audited(people):
    out = StringIO()
    call_command("deactivate_stale_users", "--days", "90", stdout=out)
    assert "Deactivated 2 user(s)" in out.getvalue()
    assert not _active(people["stale"])
    assert not _active(people["never"])
    for name in ("recent", "root", "client", "hq"):
        assert _active(people[name]), name
    targets = set(
        AuditEvent.objects.filter(action=AuditEvent.Action.USER_DEACTIVATED).values_list(
            "target", flat=True
        )
    )
    assert targets == {"stale", "never"}


def test_stale_users_dry_run_changes_nothing(people):
    out = StringIO()
    call_command("deactivate_stale_users", "--days", "90", "--dry-run", stdout=out)
    assert "Would deactivate 2 user(s)" in out.getvalue()
    assert _active(people["stale"])


def test_stale_users_days_from_settings_and_task(people, settings):
    settings.STALE_USER_DAYS = 150
    assert users_deactivate_stale_task() == 1  # "never" (200 days); "stale" is 100
    assert not _active(people["never"])
    assert _active(people["stale"])


def test_stale_users_days_must_be_positive(db, settings):
    settings.STALE_USER_DAYS = 0
    with pytest.raises(CommandError):
        call_command("deactivate_stale_users")
    assert users_deactivate_stale_task() == 0


def test_stale_user_loses_their_session(client, people):
    client.force_login(people["stale"])
    type(people["stale"]).objects.filter(username="stale").update(last_login=_ago(100))
    call_command("deactivate_stale_users", "--days", "90", stdout=StringIO())
    assert client.get("/").status_code == 302
