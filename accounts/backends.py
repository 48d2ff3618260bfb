"""Password sign-in against the tracker's own accounts."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.oidc import local_login_enabled


class LocalPasswordBackend(ModelBackend):
    """Django's password backend, except that with LOCAL_LOGIN=false only superusers (the
    break-glass account) may use a password; everyone else signs in through the provider.
    The same rule drops the password sessions of others once local login is turned off."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return local_login_enabled() or bool(getattr(user, "is_superuser", False))


def axes_exempt(request: Any, credentials: dict | None = None) -> bool:
    """django-axes' whitelist: a provider callback carries no username, so its failures would
    all count against one "no username" key per address and lock out everyone behind it. The
    provider guards its own sign-in (with MFA); axes keeps guarding passwords."""
    return credentials is not None and "username" not in credentials
