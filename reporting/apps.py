from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from reporting import receivers  # noqa: F401  (connects its own signals' receivers)
