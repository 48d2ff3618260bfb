from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Sign-in and API clients")

    def ready(self) -> None:
        # Audit sign-ins and sign-outs; document the API token scheme in the OpenAPI schema.
        from accounts import schema, signals  # noqa: F401
