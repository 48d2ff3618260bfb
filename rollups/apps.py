from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rollups"
    verbose_name = _("Roll-ups")

    def ready(self) -> None:
        from rollups import receivers  # noqa: F401  (connects the recomputation to its signals)
