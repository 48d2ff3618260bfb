from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliverablesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deliverables"
    verbose_name = _("Deliverables and indicators")

    def ready(self) -> None:
        from deliverables import receivers  # noqa: F401  (connects to the signals of the apps below)
