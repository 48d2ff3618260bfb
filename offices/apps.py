from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "offices"
    verbose_name = _("Offices and roles")

    def ready(self) -> None:
        from offices import receivers  # noqa: F401  (connects to the signals of the apps below)
