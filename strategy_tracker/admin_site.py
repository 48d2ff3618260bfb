"""The project's Django admin site: every registered ModelAdmin obeys one policy
(offices.permissions.admin_allows) on top of its own model permissions, so no admin page can
change what the workflow governs or grant powers its user does not hold."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied

from offices.permissions import admin_allows, can_use_admin


class PolicyAdminMixin:
    """Ask the admin policy before the ModelAdmin's own rules."""

    def _policy(self, request, action: str) -> bool:
        return admin_allows(request.user, model_label=self.model._meta.label_lower, action=action)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._policy(request, "view") and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return self._policy(request, "add") and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._policy(request, "change") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._policy(request, "delete") and super().has_delete_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a POSTed "revert" form to anyone who may merely view
        # the row; reverting is a change, so it needs the right to change.
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        disabled = getattr(super(), "revert_disabled", None)
        return not self.has_change_permission(request, obj) or bool(
            disabled and disabled(request, obj)
        )


class TrackerAdminSite(admin.AdminSite):
    """The default admin site (strategy_tracker.admin_config, in INSTALLED_APPS)."""

    def has_permission(self, request) -> bool:
        return can_use_admin(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, PolicyAdminMixin):
            admin_class = type(admin_class.__name__, (PolicyAdminMixin, admin_class), {})
        # Inlines follow the same policy for their own model.
        admin_class.inlines = [
            inline
            if issubclass(inline, PolicyAdminMixin)
            else type(inline.__name__, (PolicyAdminMixin, inline), {})
            for inline in admin_class.inlines
        ]
        return super().register(model_or_iterable, admin_class, **options)
